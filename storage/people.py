"""People, their Teams identities and roles, and their own settings."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model import ORGANISERS, Person, RoleKind
from storage.dialect import insert_for
from storage.models import NetworkRow, PersonRow, PreferenceRow, RoleRow, SeatRow, utcnow


class SqlPeopleRepository:
    """People, their Teams identities and their roles."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def find(
        self,
        *,
        aad_object_id: str | None = None,
        teams_user_id: str | None = None,
        email: str | None = None,
    ) -> Person | None:
        """The person with this Teams identity or e-mail, or None."""
        lookups = (
            (PersonRow.aad_object_id, aad_object_id),
            (PersonRow.teams_user_id, teams_user_id),
            (PersonRow.key, email.strip().lower() if email else None),
        )
        for column, value in lookups:
            if value:
                row = (await self._s.scalars(select(PersonRow).where(column == value))).first()
                if row:
                    return await self._person(row)
        return None

    async def _person(self, row: PersonRow) -> Person:
        kinds = (
            await self._s.scalars(select(RoleRow.kind).where(RoleRow.person_id == row.id))
        ).all()
        return Person(
            key=row.key,
            name=row.name,
            email=row.email,
            municipality=row.municipality.key if row.municipality else None,
            locale=row.locale,
            teams_user_id=row.teams_user_id,
            aad_object_id=row.aad_object_id,
            roles=frozenset(RoleKind(k) for k in kinds),
            tenant_id=row.tenant_id,
        )

    async def in_network(self, row: PersonRow, slug: str) -> Person:
        """A person with the roles they hold in one network."""
        person = await self._person(row)
        return dataclasses.replace(person, roles=await self.roles(row.key, slug))

    async def roles(self, person_key: str, network_slug: str) -> frozenset[RoleKind]:
        """The roles this person holds in this network."""
        kinds = await self._s.scalars(
            select(RoleRow.kind)
            .join(PersonRow)
            .join(NetworkRow)
            .where(PersonRow.key == person_key, NetworkRow.slug == network_slug)
        )
        return frozenset(RoleKind(k) for k in kinds)

    async def networks_of(self, person_key: str) -> list[str]:
        """Slugs of the networks where this person holds a role or a seat."""
        by_role = (
            select(NetworkRow.slug).join(RoleRow).join(PersonRow).where(PersonRow.key == person_key)
        )
        by_seat = (
            select(NetworkRow.slug)
            .join(SeatRow)
            .join(PersonRow, PersonRow.municipality_id == SeatRow.municipality_id)
            .where(PersonRow.key == person_key)
        )
        rows = await self._s.scalars(by_role.union(by_seat))
        return sorted(set(rows))

    async def remember_teams_ids(
        self,
        person_key: str,
        *,
        teams_user_id: str | None,
        aad_object_id: str | None,
        tenant_id: str | None = None,
    ) -> None:
        """Store the Teams ids seen for a person, so the next lookup is direct, and the
        tenant they were seen in (set once: it is the person's from then on)."""
        values: dict[str, Any] = {}
        if tenant_id:
            values["tenant_id"] = func.coalesce(PersonRow.tenant_id, tenant_id)
        if teams_user_id:
            values["teams_user_id"] = teams_user_id
        if aad_object_id:
            values["aad_object_id"] = aad_object_id
        if values:
            await self._s.execute(
                update(PersonRow)
                .where(PersonRow.key == person_key)
                .values(**values, updated_at=utcnow())
            )

    async def organiser_teams_ids(self, network_slug: str) -> list[str]:
        """The known Teams user ids of the network's facilitators and secretariat, sorted."""
        rows = await self._s.scalars(
            select(PersonRow.teams_user_id)
            .join(RoleRow, RoleRow.person_id == PersonRow.id)
            .join(NetworkRow, NetworkRow.id == RoleRow.network_id)
            .where(
                NetworkRow.slug == network_slug,
                RoleRow.kind.in_([kind.value for kind in ORGANISERS]),
                PersonRow.teams_user_id.is_not(None),
            )
            .distinct()
            .order_by(PersonRow.teams_user_id)
        )
        return [row for row in rows if row]


class SqlPreferences:
    """Per-user settings such as the language to answer in."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def language(self, teams_user_id: str) -> str | None:
        """The language this user chose, if any."""
        language: str | None = await self._s.scalar(
            select(PreferenceRow.language).where(PreferenceRow.teams_user_id == teams_user_id)
        )
        return language

    async def set_language(self, teams_user_id: str, language: str) -> None:
        """Remember the user's language."""
        now = utcnow()
        stmt = insert_for(self._s, PreferenceRow).values(
            teams_user_id=teams_user_id, language=language, updated_at=now
        )
        await self._s.execute(
            stmt.on_conflict_do_update(
                index_elements=["teams_user_id"], set_={"language": language, "updated_at": now}
            )
        )
