"""Each meeting's Outlook event: Graph's id, what was last sent, and a lease for the sender."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, Text, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from services.calendar_ports import EventRecord, EventState
from storage.models import Base, MeetingRow, NetworkRow, PostedCardRow, utcnow
from storage.sparring import meeting_id_of

AGENDA = "agenda"


class MeetingEventRow(Base):
    """One row per meeting: created before Graph is called, so the event is made once."""

    __tablename__ = "meeting_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    mailbox: Mapped[str] = mapped_column(String(254))
    # Sent as the event's transactionId: Graph makes no second event for a retried create.
    transaction_id: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(12))
    event_id: Mapped[str | None] = mapped_column(String(400))
    join_url: Mapped[str | None] = mapped_column(Text)  # the Teams meeting's, from Graph
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    attendees: Mapped[list[Any]] = mapped_column(default=list)
    worker: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


class SqlMeetingEvents:
    """Implements services.calendar_ports.MeetingEventRepository."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def candidates(self) -> list[tuple[str, int]]:
        """Meetings whose agenda card is posted somewhere, and meetings with an event record."""
        posted = select(PostedCardRow.meeting_id).where(PostedCardRow.kind == AGENDA)
        recorded = select(MeetingEventRow.meeting_id)
        rows = await self._s.execute(
            select(NetworkRow.slug, MeetingRow.number)
            .join(NetworkRow)
            .where(or_(MeetingRow.id.in_(posted), MeetingRow.id.in_(recorded)))
            .order_by(NetworkRow.slug, MeetingRow.number)
        )
        return [(slug, number) for slug, number in rows]

    async def claim(
        self, slug: str, number: int, mailbox: str, worker: str, now: datetime, until: datetime
    ) -> EventRecord | None:
        """Insert the record if missing (a unique meeting id), then take its lease if free."""
        meeting_id = await meeting_id_of(self._s, slug, number)
        if meeting_id is None:
            return None
        exists = await self._s.scalar(
            select(MeetingEventRow.id).where(MeetingEventRow.meeting_id == meeting_id)
        )
        if exists is None:
            try:
                async with self._s.begin_nested():
                    self._s.add(
                        MeetingEventRow(
                            meeting_id=meeting_id,
                            mailbox=mailbox,
                            transaction_id=str(uuid.uuid4()),
                            state=EventState.PENDING.value,
                            event_id=None,
                            fingerprint="",
                            attendees=[],
                            last_error="",
                        )
                    )
            except IntegrityError:
                pass  # another worker inserted it a moment ago: the lease decides below
        taken = await self._s.execute(
            update(MeetingEventRow)
            .where(
                MeetingEventRow.meeting_id == meeting_id,
                or_(MeetingEventRow.lease_until.is_(None), MeetingEventRow.lease_until < _utc(now)),
            )
            .values(worker=worker, lease_until=_utc(until))
        )
        if not taken.rowcount:  # type: ignore[attr-defined]
            return None
        row = await self._s.scalar(
            select(MeetingEventRow)
            .where(MeetingEventRow.meeting_id == meeting_id)
            .execution_options(populate_existing=True)
        )
        assert row is not None
        return EventRecord(
            slug=slug,
            number=number,
            mailbox=row.mailbox,
            transaction_id=row.transaction_id,
            state=EventState(row.state),
            event_id=row.event_id,
            fingerprint=row.fingerprint,
            attendees=tuple(str(a) for a in row.attendees),
            last_error=row.last_error,
            join_url=row.join_url or "",
        )

    async def finish(
        self,
        slug: str,
        number: int,
        worker: str,
        *,
        state: EventState,
        event_id: str | None,
        fingerprint: str,
        attendees: tuple[str, ...],
        join_url: str = "",
    ) -> None:
        """Store what Graph has now, even if the lease ran out meanwhile: it is the truth."""
        meeting_id = await meeting_id_of(self._s, slug, number)
        await self._s.execute(
            update(MeetingEventRow)
            .where(MeetingEventRow.meeting_id == meeting_id)
            .values(
                state=state.value,
                event_id=event_id,
                fingerprint=fingerprint,
                attendees=list(attendees),
                last_error="",
                join_url=join_url or None,
            )
        )
        await self._release(meeting_id, worker)

    async def join_url(self, slug: str, number: int) -> str:
        """The Teams join link of the meeting's event while it exists (not cancelled), else ''."""
        meeting_id = await meeting_id_of(self._s, slug, number)
        found = await self._s.scalar(
            select(MeetingEventRow.join_url).where(
                MeetingEventRow.meeting_id == meeting_id,
                MeetingEventRow.state == EventState.CREATED.value,
                MeetingEventRow.event_id.is_not(None),
            )
        )
        return found or ""

    async def fail(self, slug: str, number: int, worker: str, error: str) -> None:
        """Keep the error, release the lease: the next pass tries again."""
        meeting_id = await meeting_id_of(self._s, slug, number)
        await self._s.execute(
            update(MeetingEventRow)
            .where(MeetingEventRow.meeting_id == meeting_id)
            .values(last_error=error[:2000])
        )
        await self._release(meeting_id, worker)

    async def reopen(self, slug: str, number: int, worker: str, transaction_id: str) -> None:
        """Forget a cancelled event (Outlook cannot un-cancel one); the next create is new."""
        meeting_id = await meeting_id_of(self._s, slug, number)
        await self._s.execute(
            update(MeetingEventRow)
            .where(MeetingEventRow.meeting_id == meeting_id, MeetingEventRow.worker == worker)
            .values(
                state=EventState.PENDING.value,
                event_id=None,
                fingerprint="",
                attendees=[],
                transaction_id=transaction_id,
            )
        )

    async def _release(self, meeting_id: int | None, worker: str) -> None:
        await self._s.execute(
            update(MeetingEventRow)
            .where(MeetingEventRow.meeting_id == meeting_id, MeetingEventRow.worker == worker)
            .values(worker=None, lease_until=None)
        )
