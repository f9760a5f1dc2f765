"""Virtual time for code that takes a clock and a sleep: time moves only when everyone waits."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import Any

SETTLE_ROUNDS = 20  # event-loop turns that let every runnable task reach its next wait


class VirtualTime:
    """A monotonic clock (call it) and a sleep; `run` drives coroutines to completion."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait until the virtual clock has moved on by `seconds`."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), future))
        await future

    async def run(self, *coroutines: Awaitable[Any]) -> list[Any]:
        """Run these together; whenever all are waiting, jump to the earliest wake-up."""
        tasks = [asyncio.ensure_future(c) for c in coroutines]
        while True:
            for _ in range(SETTLE_ROUNDS):
                await asyncio.sleep(0)
            failed = [t for t in tasks if t.done() and t.exception() is not None]
            if failed or all(t.done() for t in tasks):
                for task in tasks:
                    task.cancel()
                return [t.result() for t in tasks]  # raises the first failure, if any
            if not self._sleepers:
                raise RuntimeError("every task waits, and not on the virtual clock")
            when, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, when)
            if not future.cancelled():
                future.set_result(None)
