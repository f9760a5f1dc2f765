"""The load generator: a fixed number of workers posting activities for a bounded time."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

MAX_REQUESTS = 500_000  # a hard stop besides the clock, whatever the machine


@dataclass
class Tally:
    """What one phase of load measured."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    unexpected: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        """Requests answered with the expected status."""
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        """Successful requests per second."""
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile_ms(self, fraction: float) -> float:
        """A latency percentile of the successful requests, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def run_load(
    http: aiohttp.ClientSession,
    url: str,
    activity: Callable[[str, int], dict[str, Any]],
    service_url: str,
    *,
    expected_status: int,
    concurrency: int,
    seconds: float,
    headers: dict[str, str] | None = None,
) -> Tally:
    """POST activities from `concurrency` workers for `seconds`, then stop by itself."""
    tally = Tally()
    budget = [MAX_REQUESTS]
    began = time.perf_counter()
    deadline = began + seconds
    sent_headers = {"Content-Type": "application/json", **(headers or {})}
    timeout = aiohttp.ClientTimeout(total=30)

    async def worker(number: int) -> None:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            body = json.dumps(activity(service_url, number)).encode()
            start = time.perf_counter()
            try:
                async with http.post(
                    url, data=body, headers=sent_headers, timeout=timeout
                ) as response:
                    await response.read()
                    status = str(response.status)
            except (aiohttp.ClientError, TimeoutError) as exc:
                status = type(exc).__name__
            if status == str(expected_status):
                tally.latencies.append(time.perf_counter() - start)
            else:
                tally.unexpected[status] = tally.unexpected.get(status, 0) + 1

    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    tally.seconds = time.perf_counter() - began
    return tally
