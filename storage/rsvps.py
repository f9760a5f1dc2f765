"""RSVPs and posted cards: per-meeting answers under a lock, and the cards kept up to date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.rsvp import Answer, Rsvp, Standing
from storage.models import (
    MeetingRow,
    MunicipalityRow,
    NetworkRow,
    PersonRow,
    PostedCardRow,
    RsvpChangeRow,
    RsvpRow,
    utcnow,
)
from storage.sparring import meeting_id_of


def _rsvp(
    person: str,
    person_name: str,
    town: str,
    town_name: str,
    answer: str,
    standing: str,
    answered_at: datetime,
    dietary: str,
    note: str,
) -> Rsvp:
    return Rsvp(
        person=person,
        person_name=person_name,
        municipality=town,
        municipality_name=town_name,
        answer=Answer(answer),
        standing=Standing(standing),
        answered_at=answered_at,
        dietary=dietary,
        note=note,
    )


class SqlRsvpRepository:
    """Answers to meetings. `lock()` first: it serialises answers to one meeting."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def lock(self, slug: str, number: int) -> bool:
        """Lock the meeting for this transaction; False if there is no such meeting.

        Concurrent answers to one meeting then run one after the other, so the seat rule is
        checked against committed answers only, across processes too. PostgreSQL locks the
        meeting's row (SELECT ... FOR UPDATE). SQLite has no row locks: a write as the
        transaction's first statement takes the database's write lock (the driver begins the
        transaction before a write, and reads after it see what others committed).
        """
        meeting = (
            select(MeetingRow.id)
            .join(NetworkRow)
            .where(NetworkRow.slug == slug, MeetingRow.number == number)
        )
        if self._s.get_bind().dialect.name == "sqlite":
            result = await self._s.execute(
                update(MeetingRow)
                .where(MeetingRow.id == meeting.scalar_subquery())
                .values(updated_at=utcnow())
                .returning(MeetingRow.id)
            )
        else:
            result = await self._s.execute(meeting.with_for_update(of=MeetingRow))
        return result.first() is not None

    async def for_meeting(self, slug: str, number: int) -> list[Rsvp]:
        """Every current answer to a meeting, in answer order."""
        rows = await self._s.execute(
            select(
                PersonRow.key,
                PersonRow.name,
                MunicipalityRow.key,
                MunicipalityRow.name,
                RsvpRow.answer,
                RsvpRow.standing,
                RsvpRow.answered_at,
                RsvpRow.dietary,
                RsvpRow.note,
            )
            .select_from(RsvpRow)
            .join(PersonRow, PersonRow.id == RsvpRow.person_id)
            .join(MunicipalityRow, MunicipalityRow.id == RsvpRow.municipality_id)
            .join(MeetingRow, MeetingRow.id == RsvpRow.meeting_id)
            .join(NetworkRow, NetworkRow.id == MeetingRow.network_id)
            .where(NetworkRow.slug == slug, MeetingRow.number == number)
            .order_by(RsvpRow.answered_at, RsvpRow.id)
        )
        return [_rsvp(*row) for row in rows]

    async def save(
        self, slug: str, number: int, rsvp: Rsvp, *, changed_by: str, at: datetime
    ) -> None:
        """Store an answer and log the change (who, when, from, to)."""
        meeting_id = await meeting_id_of(self._s, slug, number)
        person = (
            await self._s.scalars(select(PersonRow).where(PersonRow.key == rsvp.person))
        ).one()
        row = (
            await self._s.scalars(
                select(RsvpRow).where(
                    RsvpRow.meeting_id == meeting_id, RsvpRow.person_id == person.id
                )
            )
        ).first()
        before = (row.answer, row.standing) if row else (None, None)
        if row is None:
            assert meeting_id is not None and person.municipality_id is not None
            row = RsvpRow(
                meeting_id=meeting_id, person_id=person.id, municipality_id=person.municipality_id
            )
            self._s.add(row)
        row.answer, row.standing = rsvp.answer.value, rsvp.standing.value
        row.dietary, row.note = rsvp.dietary, rsvp.note
        row.answered_at, row.updated_at = rsvp.answered_at, at
        await self._s.flush()
        self._s.add(
            RsvpChangeRow(
                rsvp_id=row.id,
                changed_by=changed_by,
                changed_at=at,
                from_answer=before[0],
                to_answer=rsvp.answer.value,
                from_standing=before[1],
                to_standing=rsvp.standing.value,
                dietary=rsvp.dietary,
                note=rsvp.note,
            )
        )

    async def history(self, slug: str, number: int, person: str) -> list[tuple[str | None, str]]:
        """The (from, to) answers a person went through for a meeting, oldest first."""
        rows = await self._s.execute(
            select(RsvpChangeRow.from_answer, RsvpChangeRow.to_answer)
            .join(RsvpRow)
            .join(MeetingRow)
            .join(NetworkRow)
            .join(PersonRow, PersonRow.id == RsvpRow.person_id)
            .where(NetworkRow.slug == slug, MeetingRow.number == number, PersonRow.key == person)
            .order_by(RsvpChangeRow.id)
        )
        return [(a, b) for a, b in rows]

    async def recent_teams_ids(self, slug: str, number: int, limit: int) -> list[str]:
        """The known Teams user ids of the people whose answer changed last, newest first."""
        rows = await self._s.scalars(
            select(PersonRow.teams_user_id)
            .select_from(RsvpRow)
            .join(PersonRow, PersonRow.id == RsvpRow.person_id)
            .join(MeetingRow, MeetingRow.id == RsvpRow.meeting_id)
            .join(NetworkRow, NetworkRow.id == MeetingRow.network_id)
            .where(
                NetworkRow.slug == slug,
                MeetingRow.number == number,
                PersonRow.teams_user_id.is_not(None),
            )
            .order_by(RsvpRow.updated_at.desc(), RsvpRow.id.desc())
            .limit(limit)
        )
        return [row for row in rows if row]


class SqlPostedCards:
    """Which message holds a card the bot keeps up to date."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, kind: str, slug: str, number: int, conversation_id: str) -> str | None:
        """The activity id of the posted card, if it was posted."""
        return await self._s.scalar(
            select(PostedCardRow.activity_id)
            .join(MeetingRow)
            .join(NetworkRow)
            .where(
                PostedCardRow.kind == kind,
                NetworkRow.slug == slug,
                MeetingRow.number == number,
                PostedCardRow.conversation_id == conversation_id,
            )
        )

    async def remember(
        self, kind: str, slug: str, number: int, conversation_id: str, activity_id: str
    ) -> None:
        """Record where a card was posted."""
        meeting_id = await meeting_id_of(self._s, slug, number)
        self._s.add(
            PostedCardRow(
                kind=kind,
                meeting_id=meeting_id,
                conversation_id=conversation_id,
                activity_id=activity_id,
            )
        )

    async def where(self, kind: str, slug: str, number: int) -> list[tuple[str, str]]:
        """Every (conversation id, activity id) holding this card, in the order posted."""
        rows = await self._s.execute(
            select(PostedCardRow.conversation_id, PostedCardRow.activity_id)
            .join(MeetingRow)
            .join(NetworkRow)
            .where(
                PostedCardRow.kind == kind,
                NetworkRow.slug == slug,
                MeetingRow.number == number,
                PostedCardRow.activity_id.is_not(None),
            )
            .order_by(PostedCardRow.id)
        )
        return [(c, a) for c, a in rows if a]
