"""A small HTTP/1.1 client for the Bot Connector: keep-alive connections per origin.

The Connector's calls are small JSON requests answered with small JSON bodies. aiohttp's
client spent about a fifth of a message turn's CPU on one such POST (a request object, timers,
a payload registry, a stream reader, a cookie jar). This client writes the request in one
`transport.write`, parses the answer as it arrives (Content-Length, chunked or until close;
gzip/deflate if a server compresses anyway) and keeps the connection for the next request.

What it does not do: proxies, redirects, cookies, `Expect: 100-continue`, HTTP/2. None of
them is part of the Connector's contract. A request on a kept connection that the server
closed meanwhile is sent again on a fresh one only when that cannot double anything: the
method is idempotent (GET, PUT, DELETE) and no byte of an answer had arrived. A POST is never
sent twice by this module; its failure reaches the caller as `ConnectionFailed`.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import re
import ssl
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024  # a page of a big team's roster is well under 1 MB
KEEP_ALIVE_SECONDS = 15.0  # how long an idle connection is kept, unless the server says less
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")  # spaces and control characters


class ConnectionFailed(ConnectionError):
    """The request could not be sent or its answer not read: refused, reset, malformed."""


class Headers(Mapping[str, str]):
    """An answer's header fields, looked up case-insensitively; repeated fields joined."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, str]) -> None:
        self._fields = fields  # lower-case names

    def __getitem__(self, name: str) -> str:
        return self._fields[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"Headers({self._fields!r})"


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer, read whole."""

    status: int
    reason: str
    headers: Headers
    body: bytes


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a base URL's requests go: scheme, host and port, and the path in front."""

    scheme: str
    host: str
    port: int
    host_header: str
    base_path: str

    @classmethod
    def of(cls, url: str) -> Origin:
        """The origin of an http(s) URL; ValueError for anything else."""
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        port = parts.port or DEFAULT_PORTS[parts.scheme]  # ValueError for a bad port
        host = parts.hostname
        shown = f"[{host}]" if ":" in host else host
        if port != DEFAULT_PORTS[parts.scheme]:
            shown += f":{port}"
        base = parts.path.rstrip("/")
        _check_head(shown + base)
        return cls(parts.scheme, host, port, shown, base)


def _check_head(text: str) -> None:
    """Refuse what would break the request head open (CR, LF, spaces, control characters)."""
    if not text.isascii() or _FORBIDDEN.search(text):
        raise ValueError(f"not allowed in an HTTP request head: {text!r}")


class Http1:
    """Keep-alive HTTP/1.1 connections, per origin, shared by every caller in the process.
    The defaults are the Connector's: at most 100 connections, 30 s for a whole request."""

    def __init__(
        self,
        *,
        limit: int = 100,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
        keep_alive: float = KEEP_ALIVE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._timeout = timeout  # seconds for a whole request: connect, send, answer
        self._ssl = ssl_context
        self._keep_alive = keep_alive
        self._now = clock
        self._idle: dict[tuple[str, str, int], collections.deque[_Connection]] = {}
        self._closed = False
        self.opened = 0  # connections opened so far (a test asserts reuse with it)

    async def request(
        self,
        origin: Origin,
        method: str,
        target: str,
        headers: Mapping[str, str],
        body: bytes | None = None,
    ) -> Answer:
        """Send one request to origin; its whole answer. TimeoutError after the timeout."""
        if self._closed:
            raise ConnectionFailed("the HTTP client is closed")
        head = self._head(origin, method, target, headers, body)
        async with asyncio.timeout(self._timeout), self._slots:
            while True:
                connection, reused = self._kept(origin), True
                if connection is None:
                    connection, reused = await self._open(origin), False
                try:
                    answer = await connection.exchange(head, body, method == "HEAD")
                except ConnectionFailed:
                    connection.close()
                    if reused and method in IDEMPOTENT and not connection.answered:
                        continue  # the server had closed it while it waited: send again
                    raise
                except BaseException:  # a timeout or a cancellation mid-answer
                    connection.close()
                    raise
                if connection.reusable and not self._closed:
                    connection.expires = self._now() + min(
                        self._keep_alive, connection.server_keep_alive
                    )
                    self._idle.setdefault(_key(origin), collections.deque()).append(connection)
                else:
                    connection.close()
                return answer

    async def close(self) -> None:
        """Close every kept connection; later requests fail."""
        self._closed = True
        for kept in self._idle.values():
            while kept:
                kept.pop().close()
        self._idle.clear()

    def _head(
        self,
        origin: Origin,
        method: str,
        target: str,
        headers: Mapping[str, str],
        body: bytes | None,
    ) -> bytes:
        path = origin.base_path + target
        _check_head(method + path)
        lines = [f"{method} {path} HTTP/1.1\r\nHost: {origin.host_header}\r\n"]
        for name, value in headers.items():
            _check_head(name)
            if "\r" in value or "\n" in value or "\0" in value:
                raise ValueError(f"a header value may not break the line: {name}")
            lines.append(f"{name}: {value}\r\n")
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}\r\n")
        lines.append("\r\n")
        return "".join(lines).encode("latin-1")

    def _kept(self, origin: Origin) -> _Connection | None:
        """The most recently used live connection to origin, if any; stale ones closed."""
        kept = self._idle.get(_key(origin))
        now = self._now()
        while kept and not (kept[0].open and kept[0].expires > now):
            kept.popleft().close()  # the longest idle, expired or closed by the server
        while kept:
            connection = kept.pop()
            if connection.open and connection.expires > now:
                return connection
            connection.close()
        return None

    async def _open(self, origin: Origin) -> _Connection:
        loop = asyncio.get_running_loop()
        tls: ssl.SSLContext | None = None
        if origin.scheme == "https":
            tls = self._ssl or _default_tls()
        try:
            _, connection = await loop.create_connection(
                _Connection,
                origin.host,
                origin.port,
                ssl=tls,
                server_hostname=origin.host if tls else None,
            )
        except (OSError, ssl.SSLError) as exc:
            raise ConnectionFailed(f"cannot connect to {origin.host_header}: {exc}") from exc
        self.opened += 1
        return connection


def _key(origin: Origin) -> tuple[str, str, int]:
    return origin.scheme, origin.host, origin.port


@functools.cache
def _default_tls() -> ssl.SSLContext:
    """The system's trust store, loaded once (loading it takes milliseconds)."""
    return ssl.create_default_context()


class _Connection(asyncio.Protocol):
    """One connection: one request at a time, its answer parsed as the bytes arrive."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._waiter: asyncio.Future[Answer] | None = None
        self._no_body = False
        self.open = False
        self.answered = False  # some byte of an answer arrived on this connection
        self.reusable = False
        self.expires = 0.0
        self.server_keep_alive = float("inf")

    # -- asyncio.Protocol ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # An asyncio.Transport in behaviour; uvloop's, for one, does not subclass it.
        self._transport = cast(asyncio.Transport, transport)
        self.open = True

    def data_received(self, data: bytes) -> None:
        self.answered = True
        self._buffer += data
        if self._waiter is None or self._waiter.done():
            # Bytes nobody asked for: the connection is out of step; never use it again.
            self.close()
            return
        self._parse(eof=False)

    def eof_received(self) -> bool:
        self.open = False
        if self._waiter is not None and not self._waiter.done():
            self._parse(eof=True)
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        if self._waiter is not None and not self._waiter.done():
            reason = exc or "the server closed the connection"
            self._waiter.set_exception(ConnectionFailed(f"connection lost: {reason}"))

    # -- one exchange -------------------------------------------------------------------

    async def exchange(self, head: bytes, body: bytes | None, no_body: bool) -> Answer:
        """Write the request, wait for its whole answer."""
        if not self.open or self._transport is None:
            raise ConnectionFailed("the connection is closed")
        self._buffer.clear()
        self._no_body = no_body
        self.answered = self.reusable = False
        self._waiter = asyncio.get_running_loop().create_future()
        self._transport.write(head + body if body else head)
        try:
            return await self._waiter
        finally:
            self._waiter = None

    def close(self) -> None:
        self.open = False
        self.reusable = False
        if self._transport is not None:
            self._transport.close()

    # -- parsing ------------------------------------------------------------------------

    def _parse(self, *, eof: bool) -> None:
        assert self._waiter is not None
        try:
            answer = self._answer(eof)
        except ConnectionFailed as exc:
            self.close()
            self._waiter.set_exception(exc)
            return
        if answer is not None:
            self._waiter.set_result(answer)
        elif eof:
            self._waiter.set_exception(ConnectionFailed("the answer ended early"))

    def _answer(self, eof: bool) -> Answer | None:
        """The answer once all of it is in the buffer; None while more is to come."""
        buffer = self._buffer
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEAD_BYTES:
                    raise ConnectionFailed("the answer's head is too long")
                return None
            status, reason, version, fields = _head(bytes(buffer[:end]))
            if 100 <= status < 200 and status != 101:
                del buffer[: end + 4]  # an interim answer (100 Continue, 103): skip it
                continue
            break
        start = end + 4
        persistent = version == "HTTP/1.1" and "close" not in _tokens(fields, "connection")
        if self._no_body or status in (204, 304):
            body, used = b"", start
        elif "chunked" in _tokens(fields, "transfer-encoding"):
            chunked = _dechunk(buffer, start)
            if chunked is None:
                return None
            body, used = chunked
        elif "transfer-encoding" in fields:
            raise ConnectionFailed("an answer in a transfer coding this client cannot read")
        elif "content-length" in fields:
            length = _length(fields["content-length"])
            if len(buffer) - start < length:
                return None
            body, used = bytes(buffer[start : start + length]), start + length
        else:  # no framing: the body runs until the server closes
            if not eof:
                if len(buffer) - start > MAX_BODY_BYTES:
                    raise ConnectionFailed("the answer is too long")
                return None
            body, used, persistent = bytes(buffer[start:]), len(buffer), False
        if used != len(buffer):
            persistent = False  # more bytes than the answer: out of step
        self.reusable = persistent and self.open
        if self.reusable:
            self.server_keep_alive = _keep_alive_timeout(fields)
        return Answer(status, reason, Headers(fields), _decoded(fields, body))


def _head(raw: bytes) -> tuple[int, str, str, dict[str, str]]:
    """Status, reason, version and header fields of an answer's head."""
    try:
        text = raw.decode("latin-1")
        status_line, *lines = text.split("\r\n")
        version, code, *rest = status_line.split(" ", 2)
        if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit():
            raise ValueError(status_line)
        fields: dict[str, str] = {}
        for line in lines:
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip():
                raise ValueError(line)
            name = name.lower()
            value = value.strip()
            fields[name] = f"{fields[name]}, {value}" if name in fields else value
    except ValueError as exc:
        raise ConnectionFailed(f"a malformed answer: {exc}") from None
    return int(code), rest[0] if rest else "", version, fields


def _tokens(fields: dict[str, str], name: str) -> list[str]:
    return [t.strip().lower() for t in fields.get(name, "").split(",")]


def _length(value: str) -> int:
    values = {v.strip() for v in value.split(",")}  # a repeated, equal length is allowed
    if len(values) != 1 or not (length := values.pop()).isdigit():
        raise ConnectionFailed(f"a malformed Content-Length: {value!r}")
    if int(length) > MAX_BODY_BYTES:
        raise ConnectionFailed("the answer is too long")
    return int(length)


def _dechunk(buffer: bytearray, position: int) -> tuple[bytes, int] | None:
    """A chunked body and where it ends in buffer; None while it is incomplete."""
    parts: list[bytes] = []
    size_total = 0
    while True:
        line_end = buffer.find(b"\r\n", position)
        if line_end < 0:
            return None
        size_text = bytes(buffer[position:line_end]).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise ConnectionFailed(f"a malformed chunk size: {size_text!r}") from None
        if size < 0:
            raise ConnectionFailed(f"a malformed chunk size: {size_text!r}")
        size_total += size
        if size_total > MAX_BODY_BYTES:
            raise ConnectionFailed("the answer is too long")
        start = line_end + 2
        if size == 0:
            # Trailer fields, if any, end with an empty line: read past them.
            end = start
            while True:
                line_end = buffer.find(b"\r\n", end)
                if line_end < 0:
                    return None
                if line_end == end:
                    return b"".join(parts), line_end + 2
                end = line_end + 2
        if len(buffer) < start + size + 2:
            return None
        if buffer[start + size : start + size + 2] != b"\r\n":
            raise ConnectionFailed("a chunk does not end where its size says")
        parts.append(bytes(buffer[start : start + size]))
        position = start + size + 2


def _decoded(fields: dict[str, str], body: bytes) -> bytes:
    coding = fields.get("content-encoding", "identity").strip().lower()
    if coding in ("identity", "") or not body:
        return body
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise ConnectionFailed(f"an answer in a content coding this client cannot read: {coding}")
    # gzip or zlib told apart by their header; "deflate" is sometimes sent without one.
    for window in (47, -15) if coding == "deflate" else (47,):
        decompressor = zlib.decompressobj(window)
        try:
            data = decompressor.decompress(body, MAX_BODY_BYTES)
        except zlib.error:
            continue
        if decompressor.unconsumed_tail:
            raise ConnectionFailed("the answer is too long")
        return data
    raise ConnectionFailed(f"a malformed {coding} body")


def _keep_alive_timeout(fields: dict[str, str]) -> float:
    """How long the server keeps an idle connection (`Keep-Alive: timeout=5`), less a margin
    so that a request is not sent just as the server closes it."""
    for part in fields.get("keep-alive", "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "timeout" and value.strip().isdigit():
            return max(int(value) - 1.0, 0.0)
    return float("inf")
