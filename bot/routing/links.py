"""Signed, expiring links for files the bot serves (calendar entries, attendee exports).

Every link is made and checked here: the file routes call `Links.verify` and nothing else.
New links are signed with the current key; a link signed with the previous key (the one
before a rotation) stays valid until it expires. A link may carry named query parameters of
its own (e.g. the tab's sign-in link): they are signed with the path, so none can be changed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime
from urllib.parse import urlencode

from domain.numbers import small_number

EXPIRES, SIGNATURE = "exp", "sig"  # the query parameters a signed link carries


class Links:
    """Makes and checks links like /calendar/<network>/<n>.ics?exp=..&sig=.."""

    def __init__(self, base_url: str, key: bytes, previous: Iterable[bytes] = ()) -> None:
        self._base = base_url.rstrip("/")
        self._key = key
        self._keys = (key, *previous)  # the ones a link may have been signed with

    @staticmethod
    def _signature(key: bytes, path: str, expires: int) -> str:
        message = f"{path}\n{expires}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]

    def make(self, path: str, expires: datetime, params: Mapping[str, str] | None = None) -> str:
        """A full URL to `path`, valid until `expires`, signed with the current key; `params`
        go in the query and are signed too."""
        stamp = int(expires.timestamp())
        given = dict(params or {})
        signature = self._signature(self._key, _signed(path, given), stamp)
        query = urlencode({**given, EXPIRES: stamp, SIGNATURE: signature})
        return f"{self._base}{path}?{query}"

    def valid(self, path: str, expires: str, signature: str, now: datetime) -> bool:
        """Whether a link has not expired and one of the keys signed it."""
        until = small_number(expires, digits=12)  # seconds since 1970: 10 digits until 2286
        if until is None or until < now.timestamp():
            return False
        # Every key is compared, so the time taken does not tell which one matched. As bytes:
        # compare_digest refuses (TypeError) a str with characters outside ASCII.
        given = signature.encode("utf-8", "replace")
        matches = [
            hmac.compare_digest(self._signature(key, path, until).encode(), given)
            for key in self._keys
        ]
        return any(matches)

    def verify(
        self, path: str, query: Mapping[str, str], now: datetime, params: Iterable[str] = ()
    ) -> bool:
        """Whether a request for `path` with this query string carries a valid link; `params`
        names the query parameters the link was made with (their values are signed)."""
        signed = _signed(path, {name: query.get(name, "") for name in params})
        return self.valid(signed, query.get(EXPIRES, ""), query.get(SIGNATURE, ""), now)


def _signed(path: str, params: Mapping[str, str]) -> str:
    """What is signed: the path, and the parameters in a fixed order after a `?` (which a
    path of a link never holds, so no path with parameters reads as another without)."""
    if not params:
        return path
    return f"{path}?{urlencode(sorted(params.items()))}"
