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

from domain.model import ConversationRef
from services.batches import Batches
from services.networks import Actor, TurnRequest, TurnStart, begin_turns
from services.ports import UnitOfWorkFactory

# Bounds the statement size (two parameters per claim) and the work one failure can touch.
MAX_BATCH = 32


class TurnGate:
    """Starts message turns in batches: whoever arrives while a batch is written waits for
    the next one, which starts as soon as the current one commits."""

    def __init__(self, uow: UnitOfWorkFactory, default_language: str) -> None:
        self._uow = uow
        self._default = default_language
        self._batches: Batches[None, TurnRequest, TurnStart] = Batches(
            self._begin, MAX_BATCH, "turn-gate"
        )

    async def begin(self, ref: ConversationRef, activity_id: str | None, actor: Actor) -> TurnStart:
        """Claim the activity, store an unknown chat and pick the reader's language."""
        return await self._batches.join(None, TurnRequest(ref, activity_id, actor))

    async def language(self, ref: ConversationRef, actor: Actor) -> str:
        """Only the reader's language (a card action): read with the batch, nothing written."""
        request = TurnRequest(ref, None, actor, record=False)
        return (await self._batches.join(None, request)).language

    async def _begin(self, _: None, requests: list[TurnRequest]) -> list[TurnStart]:
        return await begin_turns(self._uow(), requests, self._default)
