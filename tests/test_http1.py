"""The Connector's HTTP/1.1 client against loopback servers that answer byte by byte as told."""

from __future__ import annotations

import asyncio
import gzip
import ssl
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.teams.http1 import MAX_HEAD_BYTES, ConnectionFailed, Http1, Origin
from tests.support.tls import loopback_certificate

pytestmark = pytest.mark.both_loops  # uvloop's transports are not asyncio's classes

OK = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"id":"1"}\n'


@dataclass
class Request:
    """One request as the server read it."""

    connection: int
    head: str
    body: bytes


class Closing(bytes):
    """An answer after which the server closes the connection."""


@dataclass
class Script:
    """A loopback server: each request is answered by `answer(request)`'s bytes (None: close
    the connection without answering); `pieces` > 1 writes each answer in that many parts."""

    answer: Callable[[Request], Awaitable[bytes | None]]
    pieces: int = 1
    requests: list[Request] = field(default_factory=list)
    connections: int = 0
    open_now: int = 0
    most_open: int = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while True:
                try:
                    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.split("\r\n"):
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                request = Request(number, head, await reader.readexactly(length))
                self.requests.append(request)
                answer = await self.answer(request)
                if answer is None:
                    return
                step = max(1, -(-len(answer) // self.pieces))
                for start in range(0, len(answer), step):
                    writer.write(answer[start : start + step])
                    await writer.drain()
                    if self.pieces > 1:
                        await asyncio.sleep(0.001)
                if isinstance(answer, Closing):
                    return
        finally:
            self.open_now -= 1
            writer.close()


Serve = Callable[..., Awaitable[tuple[Script, str]]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start scripted loopback servers; all closed after the test."""
    servers: list[asyncio.Server] = []

    async def start(
        answer: bytes | Callable[[Request], Awaitable[bytes | None]],
        *,
        pieces: int = 1,
        tls: ssl.SSLContext | None = None,
    ) -> tuple[Script, str]:
        if isinstance(answer, bytes):
            fixed = answer

            async def answer(_: Request) -> bytes | None:
                return fixed

        script = Script(answer, pieces)
        server = await asyncio.start_server(script.serve, "127.0.0.1", 0, ssl=tls)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return script, f"{'https' if tls else 'http'}://127.0.0.1:{port}"

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def http() -> AsyncIterator[Http1]:
    client = Http1(timeout=5.0)
    yield client
    await client.close()


async def test_requests_reuse_one_kept_connection_and_say_what_they_send(
    serve: Serve, http: Http1
) -> None:
    script, url = await serve(OK)
    origin = Origin.of(url + "/base/")
    for _ in range(3):
        answer = await http.request(
            origin, "POST", "/v3/x?a=1", {"Content-Type": "application/json"}, b'{"k":1}'
        )
        assert (answer.status, answer.reason, answer.body) == (200, "OK", b'{"id":"1"}\n')
        assert answer.headers["content-TYPE"] == "application/json"
    assert http.opened == 1 and script.connections == 1
    first = script.requests[0]
    assert first.head.startswith("POST /base/v3/x?a=1 HTTP/1.1\r\n")
    assert f"Host: {url.removeprefix('http://')}\r\n" in first.head
    assert "Content-Length: 7\r\n" in first.head and first.body == b'{"k":1}'


@pytest.mark.parametrize("pieces", [1, 7, 400])
async def test_chunked_answers_with_extensions_and_trailers_are_read_whole(
    serve: Serve, http: Http1, pieces: int
) -> None:
    answer = (
        b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;name=value\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\nX-Trailer: yes\r\n\r\n"
    )
    script, url = await serve(answer, pieces=pieces)
    for _ in range(2):
        got = await http.request(Origin.of(url), "GET", "/", {})
        assert (got.status, got.body) == (201, b"hello world!")
    assert script.connections == 1


async def test_an_answer_without_framing_runs_until_close_and_its_connection_is_not_kept(
    serve: Serve, http: Http1
) -> None:
    script, url = await serve(Closing(b"HTTP/1.1 200 OK\r\n\r\nall of it"), pieces=3)
    for _ in range(2):
        assert (await http.request(Origin.of(url), "GET", "/", {})).body == b"all of it"
    assert script.connections == 2


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        b"HTTP/1.1 200 OK\r\nContent-Le",
    ],
)
async def test_an_answer_cut_short_fails(serve: Serve, http: Http1, answer: bytes) -> None:
    _, url = await serve(Closing(answer))
    with pytest.raises(ConnectionFailed):
        await http.request(Origin.of(url), "POST", "/", {}, b"x")


async def test_answers_without_a_body_and_interim_answers(serve: Serve, http: Http1) -> None:
    answers = iter(
        [
            b"HTTP/1.1 204 No Content\r\n\r\n",
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
            b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}",
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",  # HEAD: no body follows
        ]
    )

    async def next_answer(_: Request) -> bytes | None:
        return next(answers)

    script, url = await serve(next_answer)
    origin = Origin.of(url)
    assert (await http.request(origin, "DELETE", "/a", {})).status == 204
    assert (await http.request(origin, "POST", "/a", {}, b"x")).body == b"{}"
    head = await http.request(origin, "HEAD", "/a", {})
    assert (head.status, head.body) == (200, b"")
    assert script.connections == 1


async def test_connection_close_and_http_1_0_answers_are_not_kept(
    serve: Serve, http: Http1
) -> None:
    answers = iter(
        [
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
            OK,
        ]
    )

    async def next_answer(_: Request) -> bytes | None:
        return next(answers)

    _script, url = await serve(next_answer)
    for _ in range(3):
        await http.request(Origin.of(url), "GET", "/", {})
    assert http.opened == 3


async def test_a_connection_idle_longer_than_the_server_keeps_it_is_not_used() -> None:
    now = [0.0]
    http = Http1(clock=lambda: now[0], keep_alive=15.0)
    answers = {"timeout=5": b"Keep-Alive: timeout=5\r\n", "": b""}
    servers = []
    try:
        for said, header in answers.items():
            script = Script(_fixed(b"HTTP/1.1 200 OK\r\n" + header + b"Content-Length: 0\r\n\r\n"))
            server = await asyncio.start_server(script.serve, "127.0.0.1", 0)
            servers.append(server)
            origin = Origin.of(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
            await http.request(origin, "GET", "/", {})
            now[0] += 3.9  # within 5 s less a second of margin, and within 15 s
            await http.request(origin, "GET", "/", {})
            now[0] += 4.1 if said else 15.1
            await http.request(origin, "GET", "/", {})
            assert script.connections == 2, said
    finally:
        await http.close()
        for server in servers:
            server.close()


def _slowly(answer: bytes) -> Callable[[Request], Awaitable[bytes | None]]:
    """Answer after 50 ms, so that concurrent requests overlap."""

    async def slow(_: Request) -> bytes | None:
        await asyncio.sleep(0.05)
        return answer

    return slow


def _fixed(answer: bytes) -> Callable[[Request], Awaitable[bytes | None]]:
    async def fixed(_: Request) -> bytes | None:
        return answer

    return fixed


@pytest.mark.parametrize(
    ("method", "sent_again"), [("GET", True), ("DELETE", True), ("POST", False)]
)
async def test_a_kept_connection_the_server_dropped_is_retried_only_when_that_cannot_double(
    serve: Serve, http: Http1, method: str, sent_again: bool
) -> None:
    async def drop_the_second(request: Request) -> bytes | None:
        return None if len(script.requests) == 2 else OK

    script, url = await serve(drop_the_second)
    origin = Origin.of(url)
    await http.request(origin, method, "/", {}, b"{}" if method == "POST" else None)
    if sent_again:
        assert (await http.request(origin, method, "/", {})).status == 200
        assert [r.connection for r in script.requests] == [1, 1, 2]
    else:
        with pytest.raises(ConnectionFailed):
            await http.request(origin, method, "/", {}, b"{}")
        assert [r.connection for r in script.requests] == [1, 1]  # sent once, not again


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/2 200 OK\r\n\r\n",
        b"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx",
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
        b"HTTP/1.1 200 OK\r\nX: " + b"a" * (MAX_HEAD_BYTES + 10),
        b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
    ],
)
async def test_a_malformed_answer_fails_clearly_and_its_connection_is_dropped(
    serve: Serve, http: Http1, answer: bytes
) -> None:
    script, url = await serve(answer)
    with pytest.raises(ConnectionFailed):
        await http.request(Origin.of(url), "GET", "/", {})
    script.answer = _fixed(OK)
    assert (await http.request(Origin.of(url), "GET", "/", {})).status == 200
    assert script.connections == 2


async def test_gzip_and_deflate_answers_are_decoded(serve: Serve, http: Http1) -> None:
    body = b'{"id":"gz"}'
    answers = iter(
        [
            (b"gzip", gzip.compress(body)),
            (b"deflate", zlib.compress(body)),
            (b"deflate", zlib.compress(body)[2:-4]),  # without the zlib header
        ]
    )

    async def compressed(_: Request) -> bytes | None:
        coding, data = next(answers)
        return (
            b"HTTP/1.1 200 OK\r\nContent-Encoding: " + coding + b"\r\n"
            b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data
        )

    _, url = await serve(compressed)
    for _ in range(3):
        assert (await http.request(Origin.of(url), "GET", "/", {})).body == body


async def test_bytes_after_the_answer_drop_the_connection(serve: Serve, http: Http1) -> None:
    script, url = await serve(OK + b"HTTP/1.1 200 OK\r\n")
    await http.request(Origin.of(url), "GET", "/", {})
    await http.request(Origin.of(url), "GET", "/", {})
    assert script.connections == 2


@pytest.mark.parametrize(
    ("target", "headers"),
    [
        ("/a b", {}),
        ("/a\r\nX-Injected: 1", {}),
        ("/ok", {"x-ms-conversation-id": "a:1\r\nX-Injected: 1"}),
        ("/ok", {"Bad Name": "x"}),
        ("/ok", {"x": "ünïcode ✓"}),
    ],
)
async def test_nothing_that_would_break_the_request_head_is_sent(
    serve: Serve, http: Http1, target: str, headers: dict[str, str]
) -> None:
    script, url = await serve(OK)
    with pytest.raises(ValueError):
        await http.request(Origin.of(url), "POST", target, headers, b"{}")
    assert script.requests == []


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/", "http:///v3", "http://127.0.0.1:99999/", "http://a b/"]
)
def test_an_origin_is_an_http_url_with_a_host(url: str) -> None:
    with pytest.raises(ValueError):
        Origin.of(url)


def test_an_origin_names_the_host_as_the_host_header_needs_it() -> None:
    assert Origin.of("https://smba.trafficmanager.net/emea/").host_header == (
        "smba.trafficmanager.net"
    )
    assert Origin.of("https://smba.trafficmanager.net/emea/").base_path == "/emea"
    assert Origin.of("http://[::1]:8080").host_header == "[::1]:8080"


async def test_a_silent_server_times_out_and_the_connection_is_closed(serve: Serve) -> None:
    async def never(_: Request) -> bytes | None:
        await asyncio.sleep(10)
        return None

    script, url = await serve(never)
    http = Http1(timeout=0.2)
    with pytest.raises(TimeoutError):
        await http.request(Origin.of(url), "POST", "/", {}, b"{}")
    script.answer = _fixed(OK)
    assert (await http.request(Origin.of(url), "POST", "/", {}, b"{}")).status == 200
    assert http.opened == 2
    await http.close()


async def test_a_cancelled_request_closes_its_connection() -> None:
    closed = asyncio.Event()

    async def read_then_wait_for_the_close(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await reader.read()  # b"" once the client closes; never answered
        closed.set()
        writer.close()

    server = await asyncio.start_server(read_then_wait_for_the_close, "127.0.0.1", 0)
    http = Http1()
    origin = Origin.of(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
    task = asyncio.ensure_future(http.request(origin, "GET", "/", {}))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.wait_for(closed.wait(), 2)
    await http.close()
    server.close()


async def test_no_more_connections_than_the_limit(serve: Serve) -> None:
    script, url = await serve(_slowly(OK))
    http = Http1(limit=2)
    answers = await asyncio.gather(
        *(http.request(Origin.of(url), "GET", "/", {}) for _ in range(6))
    )
    assert [a.status for a in answers] == [200] * 6
    assert script.most_open == 2 and http.opened == 2
    await http.close()


async def test_a_refused_connection_fails_as_connection_failed(http: Http1) -> None:
    with pytest.raises(ConnectionFailed):
        await http.request(Origin.of("http://127.0.0.1:9"), "POST", "/", {}, b"{}")


async def test_a_closed_client_refuses_requests(serve: Serve) -> None:
    _, url = await serve(OK)
    http = Http1()
    await http.request(Origin.of(url), "GET", "/", {})
    await http.close()
    with pytest.raises(ConnectionFailed):
        await http.request(Origin.of(url), "GET", "/", {})


async def test_https_verifies_the_server_certificate(serve: Serve, tmp_path: Path) -> None:
    certificate = loopback_certificate(tmp_path)
    _script, url = await serve(OK, tls=certificate.server_context())
    trusting = ssl.create_default_context(cafile=str(certificate.cert_path))
    http = Http1(ssl_context=trusting)
    for _ in range(2):
        assert (await http.request(Origin.of(url), "GET", "/", {})).status == 200
    assert http.opened == 1
    await http.close()
    with pytest.raises(ConnectionFailed):  # the system's trust store does not know it
        await Http1().request(Origin.of(url), "GET", "/", {})


async def test_connections_kept_too_long_are_closed_while_a_fresher_one_is_used(
    serve: Serve,
) -> None:
    script, url = await serve(_slowly(OK))
    now = [0.0]
    http = Http1(clock=lambda: now[0], keep_alive=15.0)
    origin = Origin.of(url)
    await asyncio.gather(*(http.request(origin, "GET", "/", {}) for _ in range(3)))
    now[0] = 10.0
    await http.request(origin, "GET", "/", {})  # one of the three, kept until 25 s now
    now[0] = 16.0
    await http.request(origin, "GET", "/", {})
    for _ in range(100):
        if script.open_now == 1:
            break
        await asyncio.sleep(0.01)
    assert (script.connections, script.open_now, http.opened) == (3, 1, 3)
    await http.close()
