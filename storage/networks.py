"""Networks as their files declare them: municipalities and seats, people, meetings, phases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model import Meeting, MeetingStatus, Municipality, Network, NetworkFile, Person, Phase
from services.ports import ImportCounts
from storage.mapping import (
    meeting_from_row,
    municipality_from_seat,
    network_from_row,
    network_values,
    phase_from_row,
)
from storage.models import (
    MeetingRow,
    MunicipalityRow,
    NetworkRow,
    PersonRow,
    PhaseRow,
    ProgrammeItemRow,
    RoleRow,
    SeatRow,
)
from storage.people import SqlPeopleRepository


class SqlNetworkRepository:
    """Networks with their municipalities, meetings, phases and people."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _row(self, slug: str) -> NetworkRow | None:
        return (await self._s.scalars(select(NetworkRow).where(NetworkRow.slug == slug))).first()

    async def get(self, slug: str) -> Network | None:
        """The network with this slug, or None."""
        row = await self._row(slug)
        return network_from_row(row) if row else None

    async def all(self) -> list[Network]:
        """Every network, by name."""
        rows = await self._s.scalars(select(NetworkRow).order_by(NetworkRow.name))
        return [network_from_row(r) for r in rows]

    async def meetings(self, slug: str) -> list[Meeting]:
        """The network's meetings in date order."""
        rows = await self._s.scalars(
            select(MeetingRow)
            .join(NetworkRow)
            .where(NetworkRow.slug == slug)
            .order_by(MeetingRow.day, MeetingRow.number)
        )
        return [meeting_from_row(r) for r in rows]

    async def meeting(self, slug: str, number: int) -> Meeting | None:
        """One meeting of the network, or None."""
        row = (
            await self._s.scalars(
                select(MeetingRow)
                .join(NetworkRow)
                .where(NetworkRow.slug == slug, MeetingRow.number == number)
            )
        ).first()
        return meeting_from_row(row) if row else None

    async def municipalities(self, slug: str) -> list[Municipality]:
        """The municipalities holding or seeking a seat, by name."""
        rows = await self._s.scalars(
            select(SeatRow)
            .join(NetworkRow)
            .join(MunicipalityRow)
            .where(NetworkRow.slug == slug)
            .order_by(MunicipalityRow.name)
        )
        return [municipality_from_seat(r) for r in rows]

    async def phases(self, slug: str) -> list[Phase]:
        """The network's phases in order."""
        rows = await self._s.scalars(
            select(PhaseRow)
            .join(NetworkRow)
            .where(NetworkRow.slug == slug)
            .order_by(PhaseRow.number)
        )
        return [phase_from_row(r) for r in rows]

    async def people(self, slug: str) -> list[Person]:
        """Everyone with a role in the network or a seat's municipality, with their roles."""
        by_role = select(RoleRow.person_id).join(NetworkRow).where(NetworkRow.slug == slug)
        by_seat = (
            select(PersonRow.id)
            .join(SeatRow, SeatRow.municipality_id == PersonRow.municipality_id)
            .join(NetworkRow)
            .where(NetworkRow.slug == slug)
        )
        rows = await self._s.scalars(
            select(PersonRow)
            .where(PersonRow.id.in_(by_role.union(by_seat)))
            .order_by(PersonRow.name)
        )
        people = SqlPeopleRepository(self._s)
        return [await people.in_network(row, slug) for row in rows]

    async def save_file(self, declared: NetworkFile) -> ImportCounts:
        """Create or update everything a network file declares; keyed so nothing duplicates."""
        counter = _Counter()
        net = await self._row(declared.network.slug)
        values = network_values(declared.network)
        if net is None:
            net = NetworkRow(**values)
            self._s.add(net)
            counter.created += 1
        else:
            counter.touch(net, values)
        await self._s.flush()
        towns = await self._save_municipalities(net, declared, counter)
        await self._save_people(net, declared, towns, counter)
        cancelled = await self._save_meetings(net, declared, towns, counter)
        await self._save_phases(net, declared, counter)
        await self._s.flush()
        return ImportCounts(counter.created, counter.updated, cancelled)

    async def _save_municipalities(
        self, net: NetworkRow, declared: NetworkFile, counter: _Counter
    ) -> dict[str, MunicipalityRow]:
        towns: dict[str, MunicipalityRow] = {}
        for m in declared.municipalities:
            row = (
                await self._s.scalars(select(MunicipalityRow).where(MunicipalityRow.key == m.key))
            ).first()
            if row is None:
                row = MunicipalityRow(key=m.key, name=m.name, region=m.region)
                self._s.add(row)
                counter.created += 1
            else:
                counter.touch(row, {"name": m.name, "region": m.region})
            await self._s.flush()
            towns[m.key] = row
            seat = (
                await self._s.scalars(
                    select(SeatRow).where(
                        SeatRow.network_id == net.id, SeatRow.municipality_id == row.id
                    )
                )
            ).first()
            if seat is None:
                self._s.add(
                    SeatRow(network_id=net.id, municipality_id=row.id, status=m.seat_status.value)
                )
                counter.created += 1
            else:
                counter.touch(seat, {"status": m.seat_status.value})
        return towns

    async def _save_people(
        self,
        net: NetworkRow,
        declared: NetworkFile,
        towns: dict[str, MunicipalityRow],
        counter: _Counter,
    ) -> None:
        for p in declared.people:
            town = towns.get(p.municipality) if p.municipality else None
            values = {
                "name": p.name,
                "email": p.email,
                "locale": p.locale,
                "municipality_id": town.id if town else None,
            }
            row = (await self._s.scalars(select(PersonRow).where(PersonRow.key == p.key))).first()
            if row is None:
                row = PersonRow(key=p.key, **values)
                self._s.add(row)
                counter.created += 1
            else:
                counter.touch(row, values)
            await self._s.flush()
            existing = set(
                (
                    await self._s.scalars(
                        select(RoleRow.kind).where(
                            RoleRow.network_id == net.id, RoleRow.person_id == row.id
                        )
                    )
                ).all()
            )
            wanted = {r.value for r in p.roles}
            for kind in wanted - existing:
                self._s.add(RoleRow(network_id=net.id, person_id=row.id, kind=kind))
                counter.created += 1
            if existing - wanted:
                await self._s.execute(
                    delete(RoleRow).where(
                        RoleRow.network_id == net.id,
                        RoleRow.person_id == row.id,
                        RoleRow.kind.in_(existing - wanted),
                    )
                )
                counter.updated += 1

    async def _save_meetings(
        self,
        net: NetworkRow,
        declared: NetworkFile,
        towns: dict[str, MunicipalityRow],
        counter: _Counter,
    ) -> int:
        rows = {
            r.number: r
            for r in await self._s.scalars(
                select(MeetingRow).where(MeetingRow.network_id == net.id)
            )
        }
        for m in declared.meetings:
            host = towns.get(m.host) if m.host else None
            values = {
                "kind": m.kind.value,
                "day": m.day,
                "end_day": m.end_day,
                "starts": m.starts,
                "ends": m.ends,
                "region": m.region,
                "place": m.place,
                "title": m.title,
                "field_visit": m.field_visit,
                "status": m.status.value,
                "host_municipality_id": host.id if host else None,
                "capacity": m.capacity,
                "seats_per_municipality": m.seats_per_municipality,
                "skip_steps": sorted(m.skip_steps),
                "online": m.online,
            }
            row = rows.get(m.number)
            if row is None:
                row = MeetingRow(network_id=net.id, number=m.number, **values)
                self._s.add(row)
                counter.created += 1
            else:
                counter.touch(row, values)
            wanted = [
                (p.position, p.starts, p.ends, p.title, p.kind.value, p.speaker)
                for p in m.programme
            ]
            have = (
                [(p.position, p.starts, p.ends, p.title, p.kind, p.speaker) for p in row.programme]
                if row.id
                else []
            )
            if wanted != have:
                row.programme = [
                    ProgrammeItemRow(
                        position=p.position,
                        starts=p.starts,
                        ends=p.ends,
                        title=p.title,
                        kind=p.kind.value,
                        speaker=p.speaker,
                    )
                    for p in m.programme
                ]
                if have:
                    counter.updated += 1
                await self._s.flush()
        declared_numbers = {m.number for m in declared.meetings}
        gone = [
            r
            for n, r in rows.items()
            if n not in declared_numbers and r.status != MeetingStatus.CANCELLED.value
        ]
        for row in gone:
            row.status = MeetingStatus.CANCELLED.value
        return len(gone)

    async def _save_phases(self, net: NetworkRow, declared: NetworkFile, counter: _Counter) -> None:
        rows = {
            r.number: r
            for r in await self._s.scalars(select(PhaseRow).where(PhaseRow.network_id == net.id))
        }
        for ph in declared.phases:
            values = {
                "title": ph.title,
                "starts_on": ph.starts_on,
                "ends_on": ph.ends_on,
                "description": ph.description,
            }
            row = rows.pop(ph.number, None)
            if row is None:
                self._s.add(PhaseRow(network_id=net.id, number=ph.number, **values))
                counter.created += 1
            else:
                counter.touch(row, values)
        for row in rows.values():
            await self._s.delete(row)
            counter.updated += 1


class _Counter:
    """Counts rows created and rows whose values actually changed."""

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def touch(self, row: Any, values: dict[str, Any]) -> None:
        changed = False
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
                changed = True
        if changed:
            self.updated += 1
