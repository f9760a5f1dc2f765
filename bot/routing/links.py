"""Signed, expiring links for files the bot serves (calendar entries, attendee exports)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlencode

from domain.numbers import small_number


class Links:
    """Makes and checks links like /calendar/<network>/<n>.ics?exp=..&sig=.."""

    def __init__(self, base_url: str, key: bytes) -> None:
        self._base = base_url.rstrip("/")
        self._key = key

    def _signature(self, path: str, expires: int) -> str:
        message = f"{path}\n{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def make(self, path: str, expires: datetime) -> str:
        """A full URL to `path`, valid until `expires`."""
        stamp = int(expires.timestamp())
        query = urlencode({"exp": stamp, "sig": self._signature(path, stamp)})
        return f"{self._base}{path}?{query}"

    def valid(self, path: str, expires: str, signature: str, now: datetime) -> bool:
        """Whether a link's signature matches and it has not expired."""
        until = small_number(expires, digits=12)  # seconds since 1970: 10 digits until 2286
        if until is None or until < now.timestamp():
            return False
        return hmac.compare_digest(self._signature(path, until), signature)
