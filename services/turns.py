"""Group commit for the start of message turns: concurrent turns share one transaction.

Every message turn claims its activity id (a write) and reads two small facts before it can
answer. Under load most of that cost is the transaction around the statements, not the
statements: on SQLite each statement is a hop to the database thread, on PostgreSQL a round
trip. The gate runs the turns that arrive while a batch is being written as the next batch,
in one transaction (`networks.begin_turns`). One turn alone is written at once, as before;
a busy process writes fewer, larger transactions. Claims stay exact: the database's unique
key decides, so two replicas, or two copies of one activity in a batch, still claim once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from domain.model import ConversationRef
from services.networks import Actor, TurnRequest, TurnStart, begin_turns
from services.ports import UnitOfWorkFactory

# Bounds the statement size (two parameters per claim) and the work one failure can touch.
MAX_BATCH = 32


@dataclass(slots=True)
class _Waiting:
    request: TurnRequest
    result: asyncio.Future[TurnStart] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class TurnGate:
    """Starts message turns in batches: whoever arrives while a batch is written waits for
    the next one, which starts as soon as the current one commits."""

    def __init__(self, uow: UnitOfWorkFactory, default_language: str) -> None:
        self._uow = uow
        self._default = default_language
        self._queue: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None

    async def begin(self, ref: ConversationRef, activity_id: str | None, actor: Actor) -> TurnStart:
        """Claim the activity, store an unknown chat and pick the reader's language."""
        return await self._join(TurnRequest(ref, activity_id, actor))

    async def language(self, ref: ConversationRef, actor: Actor) -> str:
        """Only the reader's language (a card action): read with the batch, nothing written."""
        return (await self._join(TurnRequest(ref, None, actor, record=False))).language

    async def _join(self, request: TurnRequest) -> TurnStart:
        waiting = _Waiting(request)
        self._queue.append(waiting)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="netpuls:turn-gate")
        # A turn whose request is cancelled still has its claim written with the batch; the
        # shield keeps the writer (and the other turns in the batch) from being cancelled.
        return await asyncio.shield(waiting.result)

    async def _write(self) -> None:
        batch: list[_Waiting] = []
        try:
            while self._queue:
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                requests = [w.request for w in batch]
                try:
                    starts = await begin_turns(self._uow(), requests, self._default)
                except Exception as exc:  # every turn of the batch fails as it would alone
                    for waiting in batch:
                        if not waiting.result.done():
                            waiting.result.set_exception(exc)
                    continue
                for waiting, start in zip(batch, starts, strict=True):
                    if not waiting.result.done():
                        waiting.result.set_result(start)
        finally:  # cancelled (the process is stopping): nobody waits for ever
            for waiting in (*batch, *self._queue):
                if not waiting.result.done():
                    waiting.result.cancel()
