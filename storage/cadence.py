"""Cadence steps and the outbox of deliveries: the database is the truth for exactly-once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from domain.cadence import PlannedStep
from services.ports import StepRecord
from storage.models import Base, NetworkRow, utcnow


class StepRow(Base):
    """A planned cadence step. Its key is claimed once, whatever runs it."""

    __tablename__ = "cadence_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    meeting_number: Mapped[int | None] = mapped_column(Integer)
    theme: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    moved_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # planned | running | done | skipped | cancelled
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    ran_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When a skipped step was told to the organisers (in one notice with the network's other
    # skipped steps); None while it is still to be told.
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class DeliveryRow(Base):
    """One outbound message to one conversation: the outbox, keyed for exactly-once."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    step_key: Mapped[str | None] = mapped_column(String(200), index=True)
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[str] = mapped_column(String(400))
    # A message for a person whose personal chat is still to be opened (conversation_id is
    # then domain.model.chat_to_open's); erasing the person removes it.
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What to remember once sent (e.g. the agenda card's activity id), if anything.
    remember: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # pending | claimed (leased to a worker, nothing sent yet: retried when the lease runs
    # out) | sending (the request has left: held as unconfirmed when the lease runs out) |
    # sent | failed | blocked | unconfirmed | waiting (for the person to open a chat with the
    # bot: Teams refused to create one, they were told by @mention)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activity_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SqlCadence:
    """Planned steps: synced from the plan, claimed once, finished with a status."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def sync(self, slug: str, planned: list[PlannedStep]) -> int:
        """Insert new steps, move planned ones whose time changed, cancel the vanished."""
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        rows = {
            r.key: r
            for r in await self._s.scalars(select(StepRow).where(StepRow.network_id == network_id))
        }
        changed = 0
        for step in planned:
            due = step.due.astimezone(UTC)  # stored in UTC: SQLite keeps no offsets
            row = rows.pop(step.key, None)
            if row is None:
                self._s.add(
                    StepRow(
                        key=step.key,
                        network_id=network_id,
                        kind=step.kind.value,
                        meeting_number=step.meeting,
                        theme=step.theme,
                        due_at=due,
                        status="planned",
                        reason="",
                    )
                )
                changed += 1
            elif row.status in ("planned", "cancelled", "paused") and (
                _utc(row.due_at) != due or row.status == "cancelled"
            ):
                row.due_at, row.theme = due, step.theme
                row.status = "planned" if row.status == "cancelled" else row.status
                row.reason = ""
                changed += 1
        for row in rows.values():
            if row.status in ("planned", "paused"):
                row.status, row.reason = "cancelled", "no longer in the plan"
                changed += 1
        await self._s.flush()
        return changed

    async def due(self, now: datetime, limit: int = 100) -> list[StepRecord]:
        """Planned steps whose (possibly moved) time has come, oldest first."""
        when = func.coalesce(StepRow.moved_to, StepRow.due_at)
        rows = await self._s.execute(
            select(StepRow, NetworkRow.slug)
            .join(NetworkRow)
            .where(StepRow.status == "planned", when <= now)
            .order_by(when)
            .limit(limit)
        )
        return [_record(row, slug) for row, slug in rows]

    async def upcoming(self, slug: str, start: datetime, end: datetime) -> list[StepRecord]:
        """A network's steps due in [start, end), whatever their status."""
        when = func.coalesce(StepRow.moved_to, StepRow.due_at)
        rows = await self._s.execute(
            select(StepRow, NetworkRow.slug)
            .join(NetworkRow)
            .where(NetworkRow.slug == slug, when >= start, when < end)
            .order_by(when)
        )
        return [_record(row, s) for row, s in rows]

    async def claim(self, key: str, worker: str) -> bool:
        """Take a planned step for this worker; False if another took (or finished) it."""
        result = await self._s.execute(
            update(StepRow)
            .where(StepRow.key == key, StepRow.status == "planned")
            .values(status="running", claimed_by=worker)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def finish(self, key: str, status: str, reason: str, at: datetime) -> None:
        """Record how a step ended: done, or skipped with the reason."""
        await self._s.execute(
            update(StepRow)
            .where(StepRow.key == key)
            .values(status=status, reason=reason, ran_at=at)
        )

    async def unreported(self) -> list[str]:
        """The networks with skipped steps not yet told to their organisers."""
        rows = await self._s.scalars(
            select(NetworkRow.slug)
            .join(StepRow)
            .where(StepRow.status == "skipped", StepRow.reported_at.is_(None))
            .distinct()
            .order_by(NetworkRow.slug)
        )
        return list(rows)

    async def take_unreported(self, slug: str, now: datetime) -> list[StepRecord]:
        """Mark a network's skipped steps not yet told as told, and return them (oldest
        first). The conditional UPDATE hands each step to one transaction only, whatever
        replica runs it. Nothing while some of its steps are still due: the run in progress
        (here or in another replica) reports them all together when it has finished."""
        network_id = select(NetworkRow.id).where(NetworkRow.slug == slug).scalar_subquery()
        when = func.coalesce(StepRow.moved_to, StepRow.due_at)
        pending = await self._s.scalar(
            select(StepRow.id)
            .where(StepRow.network_id == network_id, StepRow.status == "planned", when <= now)
            .limit(1)
        )
        if pending is not None:
            return []
        taken = await self._s.scalars(
            update(StepRow)
            .where(
                StepRow.network_id == network_id,
                StepRow.status == "skipped",
                StepRow.reported_at.is_(None),
            )
            .values(reported_at=now)
            .returning(StepRow.id)
        )
        ids = list(taken)
        rows = await self._s.scalars(
            select(StepRow).where(StepRow.id.in_(ids)).order_by(when, StepRow.key)
        )
        return [_record(row, slug) for row in rows]

    async def set_paused(self, slug: str, paused: bool) -> int:
        """Pause (planned -> paused) or resume (paused -> planned) a network's cadence."""
        network_id = select(NetworkRow.id).where(NetworkRow.slug == slug).scalar_subquery()
        old, new = ("planned", "paused") if paused else ("paused", "planned")
        result = await self._s.execute(
            update(StepRow)
            .where(StepRow.network_id == network_id, StepRow.status == old)
            .values(status=new)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def move(self, key: str, when: datetime) -> bool:
        """Move one planned step to another time."""
        result = await self._s.execute(
            update(StepRow)
            .where(StepRow.key == key, StepRow.status.in_(("planned", "paused")))
            .values(moved_to=when.astimezone(UTC))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns: they are UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _record(row: StepRow, slug: str) -> StepRecord:
    return StepRecord(
        key=row.key,
        network=slug,
        kind=row.kind,
        meeting=row.meeting_number,
        theme=row.theme,
        due=_utc(row.moved_to or row.due_at),
        status=row.status,
        reason=row.reason,
    )
