"""Calls, applications (every version kept), admitted seats and yearly fees on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.membership import Application, ApplicationStatus, Call, FeeRecord
from domain.model import Municipality, Person, RoleKind
from domain.seats import SeatPerson, SeatRole
from storage.dialect import insert_for
from storage.membership_mapping import (
    application_from_row,
    aware,
    content_of,
    utc,
    version_from_row,
)
from storage.membership_models import (
    ApplicationRow,
    ApplicationVersionRow,
    CallRow,
    FeeRow,
    SeatPersonRow,
)
from storage.models import MunicipalityRow, NetworkRow, PersonRow, RoleRow, SeatRow, utcnow


class SqlMembershipRepository:
    """Joining a network. `lock_call()` first when writing applications: it serialises them."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _network_id(self, slug: str) -> Any:
        return select(NetworkRow.id).where(NetworkRow.slug == slug).scalar_subquery()

    async def _call_row(self, slug: str) -> CallRow | None:
        return (
            await self._s.scalars(
                select(CallRow).where(CallRow.network_id == self._network_id(slug))
            )
        ).first()

    async def call(self, slug: str) -> Call | None:
        """The network's call for applications, if one was ever opened."""
        row = await self._call_row(slug)
        if row is None:
            return None
        closed = aware(row.closed_at) if row.closed_at else None
        return Call(row.deadline, aware(row.opened_at), closed)

    async def lock_call(self, slug: str) -> Call | None:
        """Take the call's write lock for this transaction (a write first, as for RSVPs)."""
        await self._s.execute(
            update(CallRow)
            .where(CallRow.network_id == self._network_id(slug))
            .values(updated_at=utcnow())
        )
        return await self.call(slug)

    async def save_call(self, slug: str, call: Call, *, by: str) -> None:
        """Open, move or close the network's call."""
        row = await self._call_row(slug)
        if row is None:
            network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
            row = CallRow(network_id=network_id)
            self._s.add(row)
        row.deadline, row.opened_at = call.deadline, utc(call.opened_at)
        row.closed_at = utc(call.closed_at) if call.closed_at else None
        row.opened_by, row.updated_at = by, utcnow()
        await self._s.flush()

    async def _application_row(self, slug: str, key: str) -> ApplicationRow | None:
        return (
            await self._s.scalars(
                select(ApplicationRow).where(
                    ApplicationRow.network_id == self._network_id(slug),
                    ApplicationRow.municipality_key == key,
                )
            )
        ).first()

    async def application(self, slug: str, municipality_key: str) -> Application | None:
        """The municipality's application to the network, as its latest version says."""
        row = await self._application_row(slug, municipality_key)
        return application_from_row(row) if row else None

    async def application_by(self, slug: str, teams_user_id: str) -> Application | None:
        """The latest application this Teams user sent to the network, for editing."""
        row = (
            await self._s.scalars(
                select(ApplicationRow)
                .where(
                    ApplicationRow.network_id == self._network_id(slug),
                    ApplicationRow.submitted_by == teams_user_id,
                )
                .order_by(ApplicationRow.submitted_at.desc(), ApplicationRow.id.desc())
            )
        ).first()
        return application_from_row(row) if row else None

    async def applications(self, slug: str) -> list[Application]:
        """Every application to the network, first sent first."""
        rows = await self._s.scalars(
            select(ApplicationRow)
            .where(ApplicationRow.network_id == self._network_id(slug))
            .order_by(ApplicationRow.id)
        )
        return [application_from_row(r) for r in rows]

    async def save_application(self, slug: str, application: Application) -> None:
        """Store a new version: the current row is updated and the version row added."""
        assert application.submitted_at is not None
        values = content_of(application)
        row = await self._application_row(slug, application.municipality_key)
        if row is None:
            network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
            row = ApplicationRow(network_id=network_id)
            self._s.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.version, row.status = application.version, application.status.value
        row.submitted_at, row.submitted_by = (
            utc(application.submitted_at),
            application.submitted_by,
        )
        row.decided_at = None
        await self._s.flush()
        self._s.add(
            ApplicationVersionRow(
                application_id=row.id,
                version=application.version,
                content=values,
                submitted_at=utc(application.submitted_at),
                submitted_by=application.submitted_by,
            )
        )
        await self._s.flush()

    async def versions(self, slug: str, municipality_key: str) -> list[Application]:
        """Every version of the municipality's application, oldest first."""
        row = await self._application_row(slug, municipality_key)
        if row is None:
            return []
        versions = await self._s.scalars(
            select(ApplicationVersionRow)
            .where(ApplicationVersionRow.application_id == row.id)
            .order_by(ApplicationVersionRow.version)
        )
        return [version_from_row(v, ApplicationStatus(row.status)) for v in versions]

    async def set_status(
        self, slug: str, municipality_key: str, status: ApplicationStatus, at: datetime
    ) -> None:
        """Record the decision on an application."""
        row = await self._application_row(slug, municipality_key)
        assert row is not None
        row.status, row.decided_at = status.value, utc(at)
        await self._s.flush()

    async def _municipality_row(self, municipality: Municipality) -> MunicipalityRow:
        row = (
            await self._s.scalars(
                select(MunicipalityRow).where(MunicipalityRow.key == municipality.key)
            )
        ).first()
        if row is None:
            row = MunicipalityRow(
                key=municipality.key, name=municipality.name, region=municipality.region
            )
            self._s.add(row)
            await self._s.flush()
        return row

    async def set_seat(self, slug: str, municipality: Municipality) -> None:
        """Give the municipality a seat with its status, creating the municipality if new."""
        town = await self._municipality_row(municipality)
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        seat = (
            await self._s.scalars(
                select(SeatRow).where(
                    SeatRow.network_id == network_id, SeatRow.municipality_id == town.id
                )
            )
        ).first()
        if seat is None:
            seat = SeatRow(network_id=network_id, municipality_id=town.id)
            self._s.add(seat)
        seat.status = municipality.seat_status.value
        await self._s.flush()

    async def add_member(self, slug: str, person: Person) -> None:
        """Give a person the seat's municipality and their roles, creating them if new."""
        row = (await self._s.scalars(select(PersonRow).where(PersonRow.key == person.key))).first()
        town = (
            await self._s.scalars(
                select(MunicipalityRow).where(MunicipalityRow.key == person.municipality)
            )
        ).first()
        if row is None:
            row = PersonRow(key=person.key, name=person.name, email=person.email)
            self._s.add(row)
        if row.municipality_id is None and town is not None:
            row.municipality_id = town.id
        await self._s.flush()
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        held = set(
            await self._s.scalars(
                select(RoleRow.kind).where(
                    RoleRow.network_id == network_id, RoleRow.person_id == row.id
                )
            )
        )
        for kind in {r.value for r in person.roles} - held:
            self._s.add(RoleRow(network_id=network_id, person_id=row.id, kind=kind))
        await self._s.flush()

    async def fees(self, slug: str) -> list[FeeRecord]:
        """The fee records kept for the network's municipalities."""
        rows = await self._s.execute(
            select(FeeRow, MunicipalityRow.key)
            .join(MunicipalityRow, MunicipalityRow.id == FeeRow.municipality_id)
            .where(FeeRow.network_id == self._network_id(slug))
            .order_by(MunicipalityRow.name, FeeRow.year)
        )
        return [FeeRecord(key, fee.year, fee.invoiced_on, fee.paid_on) for fee, key in rows]

    async def save_fee(self, slug: str, record: FeeRecord, *, by: str) -> None:
        """Store a fee record (one per network, municipality and year)."""
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        town_id = await self._s.scalar(
            select(MunicipalityRow.id).where(MunicipalityRow.key == record.municipality_key)
        )
        row = (
            await self._s.scalars(
                select(FeeRow).where(
                    FeeRow.network_id == network_id,
                    FeeRow.municipality_id == town_id,
                    FeeRow.year == record.year,
                )
            )
        ).first()
        if row is None:
            row = FeeRow(network_id=network_id, municipality_id=town_id, year=record.year)
            self._s.add(row)
        row.invoiced_on, row.paid_on = record.invoiced_on, record.paid_on
        row.updated_by, row.updated_at = by, utcnow()
        await self._s.flush()

    async def open_declared_call(self, slug: str, call: Call, *, by: str) -> bool:
        """Store the call a network file declares, unless the network has one (race-free)."""
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        stmt = (
            insert_for(self._s, CallRow)
            .values(
                network_id=network_id,
                deadline=call.deadline,
                opened_at=utc(call.opened_at),
                opened_by=by,
                closed_at=None,
                updated_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["network_id"])
        )
        result = await self._s.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def seat_people(self, slug: str, municipality_key: str) -> list[SeatPerson]:
        """Who is on the municipality's seat, holders first, in the order they were added."""
        rows = await self._s.execute(
            select(SeatPersonRow, PersonRow)
            .join(PersonRow, PersonRow.id == SeatPersonRow.person_id)
            .join(MunicipalityRow, MunicipalityRow.id == SeatPersonRow.municipality_id)
            .where(
                SeatPersonRow.network_id == self._network_id(slug),
                MunicipalityRow.key == municipality_key,
            )
            .order_by(SeatPersonRow.position, SeatPersonRow.id)
        )
        return [
            SeatPerson(email=p.email, name=p.name, role=SeatRole(s.role), usual=s.usual)
            for s, p in rows
        ]

    async def save_seat_people(
        self, slug: str, municipality_key: str, people: list[SeatPerson], *, by: str
    ) -> None:
        """Replace who is on the seat; each person must exist (add_member first)."""
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        town_id = await self._s.scalar(
            select(MunicipalityRow.id).where(MunicipalityRow.key == municipality_key)
        )
        await self._s.execute(
            delete(SeatPersonRow).where(
                SeatPersonRow.network_id == network_id, SeatPersonRow.municipality_id == town_id
            )
        )
        for position, person in enumerate(people):
            person_id = await self._s.scalar(
                select(PersonRow.id).where(PersonRow.key == person.key)
            )
            assert person_id is not None, person.key
            self._s.add(
                SeatPersonRow(
                    network_id=network_id,
                    municipality_id=town_id,
                    person_id=person_id,
                    role=person.role.value,
                    usual=person.usual,
                    position=position,
                    updated_by=by,
                    updated_at=utcnow(),
                )
            )
        await self._s.flush()

    async def release_member(self, slug: str, person_key: str) -> None:
        """Take a person off their seat: no participant role here, no municipality if no seat."""
        row = (await self._s.scalars(select(PersonRow).where(PersonRow.key == person_key))).first()
        if row is None:
            return
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        await self._s.execute(
            delete(RoleRow).where(
                RoleRow.network_id == network_id,
                RoleRow.person_id == row.id,
                RoleRow.kind == RoleKind.PARTICIPANT.value,
            )
        )
        elsewhere = await self._s.scalar(
            select(SeatPersonRow.id).where(SeatPersonRow.person_id == row.id).limit(1)
        )
        if elsewhere is None:
            row.municipality_id = None
        await self._s.flush()
