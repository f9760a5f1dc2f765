"""Activity sources for engagement and the digest: one query per kind of taking part."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.engagement import ActivityEvent, ActivityKind
from domain.material import Material
from domain.model import MeetingStatus
from domain.rsvp import Answer, Standing
from storage.material import MaterialRow, _material
from storage.models import (
    MeetingRow,
    MunicipalityRow,
    NetworkRow,
    PersonRow,
    RsvpChangeRow,
    RsvpRow,
)
from storage.pairs import SqlPairRepository
from storage.questions import QuestionAnswerRow, QuestionRow
from storage.sparring_models import CaseRow

Query = Callable[[AsyncSession, str, datetime, datetime], Awaitable[list[ActivityEvent]]]


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns: they are UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    # Bound as UTC: SQLite compares the stored UTC text, PostgreSQL the instant.
    return value.astimezone(UTC)


async def rsvps_answered(
    s: AsyncSession, slug: str, start: datetime, end: datetime
) -> list[ActivityEvent]:
    """A municipality answered a meeting: once per meeting, at its first answer."""
    first = func.coalesce(func.min(RsvpChangeRow.changed_at), func.min(RsvpRow.answered_at))
    rows = await s.execute(
        select(MunicipalityRow.key, first)
        .select_from(RsvpRow)
        .join(MeetingRow, MeetingRow.id == RsvpRow.meeting_id)
        .join(NetworkRow, NetworkRow.id == MeetingRow.network_id)
        .join(MunicipalityRow, MunicipalityRow.id == RsvpRow.municipality_id)
        .outerjoin(RsvpChangeRow, RsvpChangeRow.rsvp_id == RsvpRow.id)
        .where(NetworkRow.slug == slug)
        .group_by(MunicipalityRow.key, MeetingRow.id)
    )
    events = [ActivityEvent(ActivityKind.RSVP_ANSWERED, key, _aware(at)) for key, at in rows]
    return [e for e in events if start <= e.at < end]


async def meetings_attended(
    s: AsyncSession, slug: str, start: datetime, end: datetime
) -> list[ActivityEvent]:
    """A municipality attended a meeting: a confirmed 'attending' for a meeting that began.

    netpuls records no roll call, so the answer that held a place stands for attendance.
    """
    rows = await s.execute(
        select(MunicipalityRow.key, MeetingRow.day, MeetingRow.starts, NetworkRow.timezone)
        .select_from(RsvpRow)
        .join(MeetingRow, MeetingRow.id == RsvpRow.meeting_id)
        .join(NetworkRow, NetworkRow.id == MeetingRow.network_id)
        .join(MunicipalityRow, MunicipalityRow.id == RsvpRow.municipality_id)
        .where(
            NetworkRow.slug == slug,
            MeetingRow.status != MeetingStatus.CANCELLED.value,
            RsvpRow.answer == Answer.ATTENDING.value,
            RsvpRow.standing == Standing.CONFIRMED.value,
        )
        .group_by(
            MunicipalityRow.key,
            MeetingRow.id,
            MeetingRow.day,
            MeetingRow.starts,
            NetworkRow.timezone,
        )
    )
    events = [
        ActivityEvent(
            ActivityKind.MEETING_ATTENDED, key, datetime.combine(day, starts, ZoneInfo(zone))
        )
        for key, day, starts, zone in rows
    ]
    return [e for e in events if start <= e.at < end]


async def _stamped(
    s: AsyncSession,
    kind: ActivityKind,
    who_when: Select[tuple[Any, datetime]],
    slug: str,
    start: datetime,
    end: datetime,
) -> list[ActivityEvent]:
    """Events of one kind from a query of (municipality key, instant) that joins NetworkRow.

    The network, the window and "someone from a municipality" (a key) are filtered in SQL.
    """

    key, at = who_when.selected_columns
    rows = await s.execute(
        who_when.where(NetworkRow.slug == slug, key.is_not(None), at >= _utc(start), at < _utc(end))
    )
    return [ActivityEvent(kind, str(k), _aware(when)) for k, when in rows]


async def cases_submitted(
    s: AsyncSession, slug: str, start: datetime, end: datetime
) -> list[ActivityEvent]:
    """A municipality submitted a problem statement (whatever the facilitator decided)."""
    query = (
        select(MunicipalityRow.key, CaseRow.submitted_at)
        .select_from(CaseRow)
        .join(MeetingRow, MeetingRow.id == CaseRow.meeting_id)
        .join(NetworkRow, NetworkRow.id == MeetingRow.network_id)
        .join(MunicipalityRow, MunicipalityRow.id == CaseRow.municipality_id)
    )
    return await _stamped(s, ActivityKind.CASE_SUBMITTED, query, slug, start, end)


async def material_shared(
    s: AsyncSession, slug: str, start: datetime, end: datetime
) -> list[ActivityEvent]:
    """Someone from a municipality shared a file or a link (organisers belong to none)."""
    query = (
        select(MunicipalityRow.key, MaterialRow.shared_at)
        .select_from(MaterialRow)
        .join(NetworkRow, NetworkRow.id == MaterialRow.network_id)
        .join(PersonRow, PersonRow.key == MaterialRow.shared_by)
        .join(MunicipalityRow, MunicipalityRow.id == PersonRow.municipality_id)
    )
    return await _stamped(s, ActivityKind.MATERIAL_SHARED, query, slug, start, end)


async def questions_asked(
    s: AsyncSession, slug: str, start: datetime, end: datetime
) -> list[ActivityEvent]:
    """Someone from a municipality asked the network a question (`ask`)."""
    query = select(QuestionRow.asker_municipality, QuestionRow.asked_at).join(
        NetworkRow, NetworkRow.id == QuestionRow.network_id
    )
    return await _stamped(s, ActivityKind.QUESTION_ASKED, query, slug, start, end)


async def questions_answered(
    s: AsyncSession, slug: str, start: datetime, end: datetime
) -> list[ActivityEvent]:
    """Someone from a municipality answered a question in its thread (one per answer)."""
    query = (
        select(QuestionAnswerRow.author_municipality, QuestionAnswerRow.answered_at)
        .join(QuestionRow, QuestionRow.id == QuestionAnswerRow.question_id)
        .join(NetworkRow, NetworkRow.id == QuestionRow.network_id)
    )
    return await _stamped(s, ActivityKind.QUESTION_ANSWERED, query, slug, start, end)


async def pair_calls_held(
    s: AsyncSession, slug: str, start: datetime, end: datetime
) -> list[ActivityEvent]:
    """A pair call was held: one per member of a group someone said met, at the first yes."""
    calls = await SqlPairRepository(s).held_calls(slug, _utc(start), _utc(end))
    return [ActivityEvent(ActivityKind.PAIR_CALL_HELD, key, at) for key, at in calls]


# One query per kind: a new kind of taking part is one more query here, and it appears in the
# engagement card, the CSV, the chart (and, for questions, the digest) without further change.
SOURCES: dict[ActivityKind, Query] = {
    ActivityKind.RSVP_ANSWERED: rsvps_answered,
    ActivityKind.MEETING_ATTENDED: meetings_attended,
    ActivityKind.CASE_SUBMITTED: cases_submitted,
    ActivityKind.MATERIAL_SHARED: material_shared,
    ActivityKind.QUESTION_ASKED: questions_asked,
    ActivityKind.QUESTION_ANSWERED: questions_answered,
    ActivityKind.PAIR_CALL_HELD: pair_calls_held,
}


class SqlActivitySources:
    """The activity sources on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def kinds(self) -> tuple[ActivityKind, ...]:
        """The kinds this installation can count, in ActivityKind order."""
        return tuple(k for k in ActivityKind if k in SOURCES)

    async def events(
        self, kind: ActivityKind, slug: str, start: datetime, end: datetime
    ) -> list[ActivityEvent]:
        """Every event of one kind in a network with start <= at < end."""
        return await SOURCES[kind](self._s, slug, start, end)

    async def material_between(self, slug: str, start: datetime, end: datetime) -> list[Material]:
        """Material shared with start <= shared_at < end, oldest first (for the digest)."""
        rows = await self._s.execute(
            select(MaterialRow, MeetingRow.number)
            .join(NetworkRow, NetworkRow.id == MaterialRow.network_id)
            .outerjoin(MeetingRow, MeetingRow.id == MaterialRow.meeting_id)
            .where(
                NetworkRow.slug == slug,
                MaterialRow.shared_at >= _utc(start),
                MaterialRow.shared_at < _utc(end),
            )
            .order_by(MaterialRow.shared_at, MaterialRow.id)
        )
        return [_material(row, number) for row, number in rows]
