"""The final evaluation's repository: opened once, answers kept apart from who gave them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.final_evaluation import FinalAnswer
from storage.dialect import insert_for
from storage.final_evaluation_models import FinalAnswerRow, FinalEvaluationRow, FinalRespondentRow
from storage.models import NetworkRow, PersonRow
from storage.sparring import as_utc, network_id_of, person_id_of


class SqlFinalEvaluations:
    """A network's final evaluation."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def open(self, slug: str, at: datetime, by: str) -> bool:
        """Open it; False when it was open already (the first opening is kept)."""
        opened = await self._s.execute(
            insert_for(self._s, FinalEvaluationRow)
            .values(network_id=await network_id_of(self._s, slug), opened_at=at, opened_by=by[:254])
            .on_conflict_do_nothing(index_elements=["network_id"])
        )
        return bool(opened.rowcount)  # type: ignore[attr-defined]

    async def opened_at(self, slug: str) -> datetime | None:
        """When it was opened, or None."""
        found = await self._s.scalar(
            select(FinalEvaluationRow.opened_at)
            .join(NetworkRow, NetworkRow.id == FinalEvaluationRow.network_id)
            .where(NetworkRow.slug == slug)
        )
        return as_utc(found) if found is not None else None

    async def add(self, slug: str, person_key: str, answer: FinalAnswer) -> bool:
        """Store an answer unless this person answered already (then False)."""
        network_id = await network_id_of(self._s, slug)
        claimed = await self._s.execute(
            insert_for(self._s, FinalRespondentRow)
            .values(network_id=network_id, person_id=await person_id_of(self._s, person_key))
            .on_conflict_do_nothing(index_elements=["network_id", "person_id"])
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            return False
        self._s.add(
            FinalAnswerRow(
                id=uuid.uuid4().hex,
                network_id=network_id,
                score=answer.usefulness,
                take_home=answer.take_home,
                recommend=answer.recommend,
                comment=answer.comment,
            )
        )
        await self._s.flush()
        return True

    async def answered(self, slug: str, person_key: str) -> bool:
        """Whether this person has answered."""
        found = await self._s.scalar(
            select(FinalRespondentRow.person_id)
            .join(NetworkRow, NetworkRow.id == FinalRespondentRow.network_id)
            .join(PersonRow, PersonRow.id == FinalRespondentRow.person_id)
            .where(NetworkRow.slug == slug, PersonRow.key == person_key)
        )
        return found is not None

    async def answers(self, slug: str) -> list[FinalAnswer]:
        """Every answer, in no meaningful order (random ids)."""
        rows = await self._s.scalars(
            select(FinalAnswerRow)
            .join(NetworkRow, NetworkRow.id == FinalAnswerRow.network_id)
            .where(NetworkRow.slug == slug)
            .order_by(FinalAnswerRow.id)
        )
        return [FinalAnswer(int(r.score), r.take_home, bool(r.recommend), r.comment) for r in rows]
