"""Evaluation answers (kept apart from who gave them) and the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.sparring import AuditEntry
from storage.dialect import insert_for
from storage.models import MeetingRow, NetworkRow, PersonRow
from storage.sparring import as_utc, meeting_id_of, person_id_of
from storage.sparring_models import AuditRow, EvaluationAnswerRow, EvaluationRespondentRow


class SqlEvaluationRepository:
    """Evaluation answers and, in a separate table, who answered."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, slug: str, number: int, person_key: str, score: int, comment: str) -> bool:
        """Store an answer unless this person answered already (then False)."""
        meeting_id = await meeting_id_of(self._s, slug, number)
        person_id = await person_id_of(self._s, person_key)
        claimed = await self._s.execute(
            insert_for(self._s, EvaluationRespondentRow)
            .values(meeting_id=meeting_id, person_id=person_id)
            .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            return False
        self._s.add(
            EvaluationAnswerRow(
                id=uuid.uuid4().hex, meeting_id=meeting_id, score=score, comment=comment
            )
        )
        await self._s.flush()
        return True

    async def answered(self, slug: str, number: int, person_key: str) -> bool:
        """Whether this person has answered the meeting's evaluation."""
        found = await self._s.scalar(
            select(EvaluationRespondentRow.person_id)
            .join(MeetingRow)
            .join(NetworkRow)
            .join(PersonRow, PersonRow.id == EvaluationRespondentRow.person_id)
            .where(
                NetworkRow.slug == slug, MeetingRow.number == number, PersonRow.key == person_key
            )
        )
        return found is not None

    async def answers(self, slug: str, number: int) -> list[tuple[int, str]]:
        """Every (score, comment) for a meeting, in no meaningful order."""
        rows = await self._s.execute(
            select(EvaluationAnswerRow.score, EvaluationAnswerRow.comment)
            .join(MeetingRow)
            .join(NetworkRow)
            .where(NetworkRow.slug == slug, MeetingRow.number == number)
            .order_by(EvaluationAnswerRow.id)
        )
        return [(int(score), comment) for score, comment in rows]


class SqlAuditTrail:
    """The audit log."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def record(self, entry: AuditEntry) -> None:
        """Append one entry."""
        self._s.add(
            AuditRow(
                network=entry.network,
                actor=entry.actor,
                action=entry.action,
                subject=entry.subject[:300],
                at=entry.at,
            )
        )
        await self._s.flush()

    async def entries(self, slug: str, since: datetime | None = None) -> list[AuditEntry]:
        """A network's entries, oldest first."""
        query = select(AuditRow).where(AuditRow.network == slug)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        rows = await self._s.scalars(query.order_by(AuditRow.at, AuditRow.id))
        return [AuditEntry(r.network, r.actor, r.action, r.subject, as_utc(r.at)) for r in rows]
