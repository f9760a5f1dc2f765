"""The Connector's HTTP client against aiohttp's, sending the same replies to one local sink.

    .venv/bin/python -m bench.connector_client [--requests 20000] [--concurrency 20] [--rounds 3]

The sink (`bench.sink`: 201 to every send) is its own process on 127.0.0.1. This process sends
a `help` reply's POST through each client in turn, rounds interleaved, and prints the CPU this
process spent per request (its own `time.process_time`, so the sink's work is not counted),
the requests per second, and the ratio netpuls / aiohttp. It stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import orjson

from bench.servers import PYTHON, Server, base_env
from bot.teams.connector import USER_AGENT
from bot.teams.http1 import Http1, Origin

REPLY = {
    "type": "message",
    "text": "Here is what I can do:\n- **help**: show this list\n- **next**: the next meeting",
    "textFormat": "markdown",
    "inputHint": "acceptingInput",
    "channelId": "msteams",
    "serviceUrl": "http://127.0.0.1/",
    "from": {"id": "28:bench-bot", "name": "netpuls"},
    "recipient": {"id": "29:bench-user-1", "name": "Bench User", "aadObjectId": "aad-1"},
    "conversation": {"id": "a:personal-29:bench-user-1", "conversationType": "personal"},
    "replyToId": "bench-activity",
}
PATH = "/v3/conversations/a%3Apersonal-29%3Abench-user-1/activities/bench-activity"
HEADERS = {
    "Accept": "application/json",
    "User-Agent": USER_AGENT,
    "Content-Type": "application/json; charset=utf-8",
    "x-ms-conversation-id": "a:personal-29:bench-user-1",
}
MAX_REQUESTS = 200_000

Send = Callable[[], Awaitable[int]]


async def _measure(send: Send, requests: int, concurrency: int) -> tuple[float, float]:
    """CPU microseconds of this process per request, and requests per second."""
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            status = await send()
            if status != 201:
                raise RuntimeError(f"the sink answered {status}")

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu / requests * 1e6, requests / wall


async def main(args: argparse.Namespace) -> None:
    """Start the sink, run the rounds, print the table."""
    requests = min(args.requests, MAX_REQUESTS)
    folder = Path(tempfile.mkdtemp(prefix="netpuls-bench-client-"))
    sink = Server("sink", [PYTHON, "-m", "bench.sink"], base_env(), folder / "sink.log")
    async with aiohttp.ClientSession() as probe:
        await sink.start(probe)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
    http1 = Http1(limit=100)
    origin = Origin.of(sink.url)
    url = sink.url + PATH
    body = orjson.dumps(REPLY)

    async def with_aiohttp() -> int:
        async with session.post(url, data=body, headers=HEADERS) as response:
            await response.read()
            return response.status

    async def with_http1() -> int:
        return (await http1.request(origin, "POST", PATH, HEADERS, body)).status

    clients: dict[str, Send] = {"aiohttp ClientSession": with_aiohttp, "netpuls Http1": with_http1}
    best: dict[str, tuple[float, float]] = {}
    try:
        for send in clients.values():  # warm-up: connections opened, code paths hot
            await _measure(send, min(requests // 10, 2000) or 1, args.concurrency)
        for _ in range(args.rounds):
            for name, send in clients.items():
                cpu, rate = await _measure(send, requests, args.concurrency)
                kept = best.get(name)
                best[name] = (min(cpu, kept[0]), max(rate, kept[1])) if kept else (cpu, rate)
    finally:
        await session.close()
        await http1.close()
        await sink.stop()
    print(f"{requests} POSTs per round, concurrency {args.concurrency}, best of {args.rounds}")
    print(f"{'client':24} {'CPU us/request':>15} {'requests/s':>11}")
    for name, (cpu, rate) in best.items():
        print(f"{name:24} {cpu:15.1f} {rate:11.0f}")
    ours, theirs = best["netpuls Http1"], best["aiohttp ClientSession"]
    print(f"CPU per request, netpuls / aiohttp: {ours[0] / theirs[0]:.2f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(_arguments()))
