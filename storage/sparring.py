"""Repositories for cases, host proposals, summaries, evaluations and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy import case as when
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model import Person, RoleKind
from domain.sparring import Case, CaseStatus, HostPlan, Summary
from storage.models import MeetingRow, MunicipalityRow, NetworkRow, PersonRow, RoleRow, utcnow
from storage.sparring_models import (
    CaseRow,
    HostPlanRow,
    SummaryRow,
)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def as_utc(value: datetime) -> datetime:
    """A stored timestamp as an aware UTC datetime."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def meeting_id_of(session: AsyncSession, slug: str, number: int) -> int | None:
    """The row id of a network's meeting."""
    return await session.scalar(  # type: ignore[no-any-return]
        select(MeetingRow.id)
        .join(NetworkRow)
        .where(NetworkRow.slug == slug, MeetingRow.number == number)
    )


async def network_id_of(session: AsyncSession, slug: str) -> int:
    """The row id of a network, by slug."""
    found = await session.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
    if found is None:
        raise LookupError(f"no network {slug}")
    return int(found)


async def person_id_of(session: AsyncSession, key: str) -> int:
    """The row id of a person, by key."""
    found = await session.scalar(select(PersonRow.id).where(PersonRow.key == key))
    if found is None:
        raise LookupError(f"no person {key}")
    return int(found)


def _case(row: CaseRow, slug: str) -> Case:
    return Case(
        id=row.id,
        network=slug,
        meeting=row.meeting.number,
        title=row.title,
        description=row.description,
        themes=tuple(str(t) for t in row.themes or ()),
        submitter=row.person.key,
        submitter_name=row.person.name,
        municipality=row.municipality.key if row.municipality else None,
        municipality_name=row.municipality.name if row.municipality else "",
        submitted_at=as_utc(row.submitted_at),
        status=CaseStatus(row.status),
        position=row.position,
        decision_note=row.decision_note,
        sparring_notes=row.sparring_notes,
        notes_by=row.notes_by,
        decided_at=_aware(row.decided_at),
    )


def _cases() -> Select[tuple[CaseRow, str]]:
    accepted_first = when((CaseRow.status == CaseStatus.ACCEPTED.value, 0), else_=1)
    return (
        select(CaseRow, NetworkRow.slug)
        .join(MeetingRow, MeetingRow.id == CaseRow.meeting_id)
        .join(NetworkRow, NetworkRow.id == MeetingRow.network_id)
        .order_by(
            MeetingRow.number,
            accepted_first,
            func.coalesce(CaseRow.position, 0),
            CaseRow.submitted_at,
            CaseRow.id,
        )
    )


class SqlCaseRepository:
    """Problem statements: accepted ones in the facilitator's order, then the rest."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, case: Case) -> int:
        """Store a new case; returns its id."""
        meeting_id = await meeting_id_of(self._s, case.network, case.meeting)
        town = (
            await self._s.scalar(
                select(MunicipalityRow.id).where(MunicipalityRow.key == case.municipality)
            )
            if case.municipality
            else None
        )
        row = CaseRow(
            meeting_id=meeting_id,
            person_id=await person_id_of(self._s, case.submitter),
            municipality_id=town,
            submitted_at=case.submitted_at,
        )
        self._fill(row, case)
        self._s.add(row)
        await self._s.flush()
        return row.id

    async def get(self, case_id: int) -> Case | None:
        """The case with this id, or None."""
        found = (await self._s.execute(_cases().where(CaseRow.id == case_id))).first()
        return _case(found[0], found[1]) if found else None

    async def for_meeting(self, slug: str, number: int) -> list[Case]:
        """Every case for one meeting."""
        rows = await self._s.execute(
            _cases().where(NetworkRow.slug == slug, MeetingRow.number == number)
        )
        return [_case(row, s) for row, s in rows]

    async def for_network(self, slug: str) -> list[Case]:
        """Every case of a network, meeting by meeting."""
        rows = await self._s.execute(_cases().where(NetworkRow.slug == slug))
        return [_case(row, s) for row, s in rows]

    async def update(self, case: Case) -> None:
        """Write back what may change after submission."""
        row = await self._s.get(CaseRow, case.id)
        if row is None:
            raise LookupError(f"no case {case.id}")
        self._fill(row, case)
        await self._s.flush()

    @staticmethod
    def _fill(row: CaseRow, case: Case) -> None:
        row.title, row.description, row.themes = case.title, case.description, list(case.themes)
        row.status, row.position = case.status.value, case.position
        row.decision_note, row.decided_at = case.decision_note, case.decided_at
        row.sparring_notes, row.notes_by = case.sparring_notes, case.notes_by


class SqlHostPlanRepository:
    """The host's proposals, one row per meeting."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _row(self, slug: str, number: int) -> HostPlanRow | None:
        return (
            await self._s.scalars(
                select(HostPlanRow)
                .join(MeetingRow)
                .join(NetworkRow)
                .where(NetworkRow.slug == slug, MeetingRow.number == number)
            )
        ).first()

    async def get(self, slug: str, number: int) -> HostPlan | None:
        """The host's proposals for a meeting, if any."""
        row = await self._row(slug, number)
        if row is None:
            return None
        return HostPlan(
            programme=tuple(str(p) for p in row.programme or ()),
            address=row.address,
            what_to_see=row.what_to_see,
            updated_by=row.updated_by,
            updated_at=_aware(row.updated_at),
        )

    async def save(self, slug: str, number: int, plan: HostPlan) -> None:
        """Create or replace the host's proposals."""
        row = await self._row(slug, number)
        if row is None:
            row = HostPlanRow(meeting_id=await meeting_id_of(self._s, slug, number))
            self._s.add(row)
        row.programme, row.address = list(plan.programme), plan.address
        row.what_to_see, row.updated_by = plan.what_to_see, plan.updated_by
        row.updated_at = plan.updated_at or utcnow()
        await self._s.flush()

    async def contacts(
        self, slug: str, role: RoleKind, municipality: str | None = None
    ) -> list[Person]:
        """The people holding `role` in a network (from one municipality, if given), by name."""
        query = (
            select(PersonRow)
            .join(RoleRow, RoleRow.person_id == PersonRow.id)
            .join(NetworkRow, NetworkRow.id == RoleRow.network_id)
            .where(NetworkRow.slug == slug, RoleRow.kind == role.value)
        )
        if municipality is not None:
            query = query.join(
                MunicipalityRow, MunicipalityRow.id == PersonRow.municipality_id
            ).where(MunicipalityRow.key == municipality)
        rows = await self._s.scalars(query.order_by(PersonRow.name))
        return [
            Person(
                key=r.key,
                name=r.name,
                email=r.email,
                municipality=r.municipality.key if r.municipality else None,
                locale=r.locale,
                teams_user_id=r.teams_user_id,
                aad_object_id=r.aad_object_id,
                roles=frozenset({role}),
            )
            for r in rows
        ]


def _summary(row: SummaryRow) -> Summary:
    return Summary(
        key_points=row.key_points,
        good_advice=row.good_advice,
        experiences=row.experiences,
        next_steps=row.next_steps,
        case_notes=tuple((int(cid), str(note)) for cid, note in row.case_notes or ()),
        posted=row.posted,
        author=row.author,
        updated_at=_aware(row.updated_at),
        posted_at=_aware(row.posted_at),
        reminders=row.reminders,
        reminded_at=_aware(row.reminded_at),
    )


class SqlSummaryRepository:
    """Summaries per meeting."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _select(self) -> Select[tuple[SummaryRow, int]]:
        return select(SummaryRow, MeetingRow.number).join(MeetingRow).join(NetworkRow)

    async def get(self, slug: str, number: int) -> Summary | None:
        """The meeting's summary (draft or posted), if one was started."""
        found = (
            await self._s.execute(
                self._select().where(NetworkRow.slug == slug, MeetingRow.number == number)
            )
        ).first()
        return _summary(found[0]) if found else None

    async def save(self, slug: str, number: int, summary: Summary) -> None:
        """Create or replace the meeting's summary."""
        found = (
            await self._s.execute(
                self._select().where(NetworkRow.slug == slug, MeetingRow.number == number)
            )
        ).first()
        row = found[0] if found else None
        if row is None:
            row = SummaryRow(meeting_id=await meeting_id_of(self._s, slug, number))
            self._s.add(row)
        values: dict[str, Any] = {
            "key_points": summary.key_points,
            "good_advice": summary.good_advice,
            "experiences": summary.experiences,
            "next_steps": summary.next_steps,
            "case_notes": [[cid, note] for cid, note in summary.case_notes],
            "posted": summary.posted,
            "author": summary.author,
            "updated_at": summary.updated_at,
            "posted_at": summary.posted_at,
            "reminders": summary.reminders,
            "reminded_at": summary.reminded_at,
        }
        for key, value in values.items():
            setattr(row, key, value)
        await self._s.flush()

    async def for_network(self, slug: str) -> dict[int, Summary]:
        """Every summary of a network, by meeting number."""
        rows = await self._s.execute(self._select().where(NetworkRow.slug == slug))
        return {number: _summary(row) for row, number in rows}
