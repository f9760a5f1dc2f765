"""Group commit: requests that arrive while a batch is being written wait for the next batch.

Under load most of the cost of a small write is the transaction around it, not its
statements: on SQLite each statement is a hop to the database thread and the one connection
is held for the whole transaction, on PostgreSQL each is a round trip. A `Batches` runs the
requests for one key that arrive while that key's batch is being written as the next batch,
as soon as the current one is done. A request alone is written at once; a busy process
writes fewer, larger transactions. Keys are independent: each has its own line and writer,
and a key's entry lives only while something for it is waiting or being written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")
T = TypeVar("T")


@dataclass(slots=True)
class _Waiting(Generic[R, T]):
    request: R
    result: asyncio.Future[T] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Batches(Generic[K, R, T]):
    """Writes requests in batches per key with `run(key, requests)`, at most `limit` at once.

    `run` answers every request of its batch: a result, or the exception that request's
    caller gets. If `run` itself raises, every request of the batch gets that exception.
    """

    def __init__(
        self,
        run: Callable[[K, list[R]], Awaitable[Sequence[T | BaseException]]],
        limit: int,
        name: str,
    ) -> None:
        self._run = run
        self._limit = limit
        self._name = name
        self._queues: dict[K, list[_Waiting[R, T]]] = {}
        self._writers: dict[K, asyncio.Task[None]] = {}

    async def join(self, key: K, request: R) -> T:
        """The request's result, once the batch it joined is written."""
        waiting: _Waiting[R, T] = _Waiting(request)
        self._queues.setdefault(key, []).append(waiting)
        if key not in self._writers:
            self._writers[key] = asyncio.create_task(self._write(key), name=f"netpuls:{self._name}")
        # A request whose caller is cancelled is still written with its batch; the shield
        # keeps the writer (and the other requests of the batch) from being cancelled.
        return await asyncio.shield(waiting.result)

    def __len__(self) -> int:
        """How many keys have requests waiting or being written."""
        return len(self._queues)

    async def _write(self, key: K) -> None:
        queue = self._queues[key]
        batch: list[_Waiting[R, T]] = []
        try:
            while queue:
                batch, queue[:] = queue[: self._limit], queue[self._limit :]
                try:
                    outcomes = await self._run(key, [w.request for w in batch])
                except Exception as exc:  # every request of the batch fails as it would alone
                    outcomes = [exc] * len(batch)
                for waiting, outcome in zip(batch, outcomes, strict=True):
                    if waiting.result.done():
                        continue
                    if isinstance(outcome, BaseException):
                        waiting.result.set_exception(outcome)
                    else:
                        waiting.result.set_result(outcome)
                batch = []
        finally:  # cancelled (the process is stopping): nobody waits for ever
            for waiting in (*batch, *queue):
                if not waiting.result.done():
                    waiting.result.cancel()
            # No await between the last look at the queue and this: a request that joins
            # later finds no writer and starts one.
            del self._queues[key], self._writers[key]
