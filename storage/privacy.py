"""Personal data across every table: find it, export it, erase it, let it expire.

The search is generic on purpose: every text and JSON column of every table is looked at for the
person's identifiers, so a column added later is covered without a change here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.privacy import ERASED, ERASED_NAME, Erasure, Subject, stand_in
from storage import schema
from storage.privacy_search import (
    Swap,
    count_of,
    mentions,
    plain,
    table_named,
    tables,
    text_columns,
)

# Rows that are the person's own and go with them (the rest is anonymised).
OWN_ROWS = ("roles", "seat_people")
# Free text about a person that erasure and retention delete.
DIET_COLUMNS = {"rsvps": ("dietary", "note"), "rsvp_changes": ("dietary", "note")}
PENDING = "pending"


class SqlPrivacy:
    """Finds, exports, anonymises and deletes personal data in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def subject(
        self, *, email: str | None = None, teams_user_id: str | None = None
    ) -> Subject:
        """Everything that identifies the person with this e-mail or Teams id."""
        people = table_named("people")
        conditions = []
        if email:
            conditions += [people.c.key == email.strip().lower(), people.c.email == email.strip()]
        if teams_user_id:
            conditions += [
                people.c.teams_user_id == teams_user_id,
                people.c.aad_object_id == teams_user_id,
            ]
        row = (await self._s.execute(select(people).where(or_(*conditions)))).first()
        if row is None:
            return Subject(email=(email or "").strip().lower(), teams_user_id=teams_user_id)
        municipality = None
        if row.municipality_id is not None:
            towns = table_named("municipalities")
            municipality = await self._s.scalar(
                select(towns.c.key).where(towns.c.id == row.municipality_id)
            )
        return Subject(
            email=row.email,
            teams_user_id=row.teams_user_id or teams_user_id,
            key=row.key,
            name=row.name,
            aad_object_id=row.aad_object_id,
            municipality=municipality,
            person_id=row.id,
        )

    async def _rows(self, table: Table, where: ColumnElement[bool]) -> list[dict[str, Any]]:
        result = await self._s.execute(select(table).where(where))
        return [{k: plain(v) for k, v in row._mapping.items()} for row in result]

    async def _linked(self, subject: Subject) -> dict[str, ColumnElement[bool]]:
        """Per table, the rows tied to the person by a foreign key or by being their own."""
        where: dict[str, ColumnElement[bool]] = {}
        if subject.person_id is not None:
            for table in schema.metadata.sorted_tables:
                if "person_id" in table.c:
                    where[table.name] = table.c.person_id == subject.person_id
            where["people"] = table_named("people").c.id == subject.person_id
            rsvps = table_named("rsvps")
            mine = select(rsvps.c.id).where(rsvps.c.person_id == subject.person_id)
            where["rsvp_changes"] = table_named("rsvp_changes").c.rsvp_id.in_(mine)
        applications = table_named("applications")
        applied = await self._applications(subject)
        if applied is not None:
            where["applications"] = applied
            versions = table_named("application_versions")
            where["application_versions"] = versions.c.application_id.in_(
                select(applications.c.id).where(applied)
            )
        return where

    async def _applications(self, subject: Subject) -> ColumnElement[bool] | None:
        applications = table_named("applications")
        ids = [i for i in (subject.teams_user_id, subject.aad_object_id) if i]
        conditions = [applications.c.submitted_by.in_(ids)] if ids else []
        if subject.email:
            conditions.append(applications.c.email.ilike(subject.email))
        return or_(*conditions) if conditions else None

    def _needles(self, subject: Subject) -> list[str]:
        names = [subject.name] if len(subject.name.strip()) >= 5 else []
        return [*subject.identifiers, *names]

    async def export(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        """Every row about the person, per table: tied by key or naming them."""
        linked = await self._linked(subject)
        needles = self._needles(subject)
        found: dict[str, list[dict[str, Any]]] = {}
        for table in schema.metadata.sorted_tables:
            conditions = [
                c for c in (linked.get(table.name), mentions(table, needles)) if c is not None
            ]
            if not conditions:
                continue
            rows = await self._rows(table, or_(*conditions))
            if rows:
                found[table.name] = rows
        return found

    async def open_calls_applied(self, subject: Subject, today: date) -> list[str]:
        """Slugs of networks whose call is open and where the person is an applicant."""
        applied = await self._applications(subject)
        if applied is None:
            return []
        applications, calls, networks = tables("applications", "calls", "networks")
        rows = await self._s.scalars(
            select(networks.c.slug)
            .join(applications, applications.c.network_id == networks.c.id)
            .join(calls, calls.c.network_id == networks.c.id)
            .where(applied, calls.c.closed_at.is_(None), calls.c.deadline >= today)
        )
        return sorted(set(rows))

    async def networks_of(self, subject: Subject) -> list[str]:
        """Slugs of the networks the person takes part in (role, seat, answer, application)."""
        networks = table_named("networks")
        slugs: set[str] = set()
        if subject.person_id is not None:
            for name in ("roles", "seat_people"):
                table = table_named(name)
                slugs.update(
                    await self._s.scalars(
                        select(networks.c.slug)
                        .join(table, table.c.network_id == networks.c.id)
                        .where(table.c.person_id == subject.person_id)
                    )
                )
        applied = await self._applications(subject)
        if applied is not None:
            applications = table_named("applications")
            slugs.update(
                await self._s.scalars(
                    select(networks.c.slug)
                    .join(applications, applications.c.network_id == networks.c.id)
                    .where(applied)
                )
            )
        return sorted(slugs)

    async def erase(self, subject: Subject, today: date) -> Erasure:
        """Delete the person's own rows, diet and answers to meetings still to come; anonymise
        their contributions; keep the rest."""
        counts: dict[str, int] = {}

        def count(kind: str, n: int) -> None:
            if n:
                counts[kind] = counts.get(kind, 0) + n

        linked = await self._linked(subject)
        diets = await self._diets(subject)  # before they are deleted: sent lists carry them too
        if subject.person_id is not None:
            # They will not come: their seat is free again (past answers stay, for the counts).
            rsvps, meetings = tables("rsvps", "meetings")
            coming = select(meetings.c.id).where(meetings.c.day >= today)
            result = await self._s.execute(
                delete(rsvps).where(
                    rsvps.c.person_id == subject.person_id, rsvps.c.meeting_id.in_(coming)
                )
            )
            count("answers to coming meetings", count_of(result))
        for name, columns in DIET_COLUMNS.items():
            if name in linked:
                table = table_named(name)
                result = await self._s.execute(
                    sql_update(table)
                    .where(linked[name], or_(*(table.c[c] != "" for c in columns)))
                    .values({c: "" for c in columns})
                )
                count("dietary", count_of(result))
        if "applications" in linked:
            result = await self._s.execute(
                delete(table_named("applications")).where(linked["applications"])
            )
            count("applications", count_of(result))
        for name in OWN_ROWS:
            if name in linked:
                result = await self._s.execute(delete(table_named(name)).where(linked[name]))
                count(name, count_of(result))
        count("conversations", await self._forget_chats(subject))
        replacement = stand_in(subject.municipality, uuid.uuid4().hex[:12])
        count("anonymised", await self._scrub(subject, replacement, diets))
        if subject.person_id is not None:
            await self._s.execute(
                sql_update(table_named("people"))
                .where(table_named("people").c.id == subject.person_id)
                .values(
                    key=replacement,
                    name=ERASED_NAME,
                    email="",
                    locale=None,
                    teams_user_id=None,
                    aad_object_id=None,
                    # Their rows keep the municipality; the profile keeps nothing to list.
                    municipality_id=None,
                )
            )
            count("people", 1)
        return Erasure(counts)

    async def _forget_chats(self, subject: Subject) -> int:
        """Personal chats with the person, what was sent there, and their language choice."""
        chats, deliveries = tables("conversations", "deliveries")
        addressed = 0
        if subject.person_id is not None:
            # Messages for a chat still to open name the person in their key: gone with them.
            done = await self._s.execute(
                delete(deliveries).where(deliveries.c.recipient_id == subject.person_id)
            )
            addressed = count_of(done)
        ids = [i for i in (subject.teams_user_id, subject.aad_object_id) if i]
        if not ids:
            return addressed
        mine = or_(chats.c.user_id.in_(ids), chats.c.user_aad_object_id.in_(ids))
        personal = and_(chats.c.kind == "personal", mine)
        conversation_ids = list(
            await self._s.scalars(select(chats.c.conversation_id).where(personal))
        )
        sent = 0
        if conversation_ids:
            done = await self._s.execute(
                delete(deliveries).where(deliveries.c.conversation_id.in_(conversation_ids))
            )
            sent = count_of(done)
        gone = await self._s.execute(delete(chats).where(personal))
        prefs = table_named("preferences")
        await self._s.execute(delete(prefs).where(prefs.c.teams_user_id.in_(ids)))
        return count_of(gone) + sent + addressed

    async def _scrub(self, subject: Subject, replacement: str, diets: Sequence[str]) -> int:
        """Every text and JSON value that names the person, rewritten without them."""
        swap = Swap(subject.identifiers, subject.name, replacement)
        audit = Swap(subject.identifiers, subject.name, ERASED)
        changed = 0
        for table in schema.metadata.sorted_tables:
            if table.name == "people":
                continue
            condition = mentions(table, self._needles(subject) or list(subject.identifiers))
            if condition is None:
                continue
            keys = list(table.primary_key.columns)
            rows = (await self._s.execute(select(table).where(condition))).all()
            for row in rows:
                values = self._scrubbed(
                    table, row._mapping, audit if table.name == "audit_log" else swap, diets
                )
                if values:
                    where = and_(*(k == row._mapping[k.name] for k in keys))
                    await self._s.execute(sql_update(table).where(where).values(values))
                    changed += 1
        return changed

    def _scrubbed(self, table: Table, row: Any, swap: Swap, diets: Sequence[str]) -> dict[str, Any]:
        if table.name == "deliveries" and row["status"] != PENDING:
            # Sent or given up: the text is no longer needed, and it may list their diet.
            return {"payload": {"text": "", "card": None}, "last_error": ""}
        values: dict[str, Any] = {}
        for column in text_columns(table):
            value = row[column.name]
            if value is None:
                continue
            new = swap.any(value)
            if table.name == "deliveries":
                new = Swap(diets, "", "").any(new) if diets else new
            if new != value:
                values[column.name] = new
        return values

    async def _diets(self, subject: Subject) -> list[str]:
        if subject.person_id is None:
            return []
        rsvps = table_named("rsvps")
        rows = await self._s.scalars(
            select(rsvps.c.dietary).where(
                rsvps.c.person_id == subject.person_id, rsvps.c.dietary != ""
            )
        )
        return sorted({r for r in rows if len(r) >= 3})

    async def people_of_municipality(self, slug: str, municipality: str) -> list[Subject]:
        """Everyone of a municipality who takes part in a network (seat, role or answer)."""
        people, towns, networks = tables("people", "municipalities", "networks")
        network = select(networks.c.id).where(networks.c.slug == slug).scalar_subquery()
        ties = []
        for name in ("roles", "seat_people"):
            table = table_named(name)
            ties.append(select(table.c.person_id).where(table.c.network_id == network))
        rsvps, meetings = tables("rsvps", "meetings")
        ties.append(
            select(rsvps.c.person_id)
            .join(meetings, meetings.c.id == rsvps.c.meeting_id)
            .where(meetings.c.network_id == network)
        )
        emails = await self._s.scalars(
            select(people.c.key)
            .join(towns, towns.c.id == people.c.municipality_id)
            .where(towns.c.key == municipality, or_(*(people.c.id.in_(t) for t in ties)))
        )
        return [await self.subject(email=e) for e in emails]

    async def delete_application(self, slug: str, municipality: str) -> int:
        """A municipality's application to a network, with every version."""
        applications, networks = tables("applications", "networks")
        network = select(networks.c.id).where(networks.c.slug == slug).scalar_subquery()
        result = await self._s.execute(
            delete(applications).where(
                applications.c.network_id == network,
                applications.c.municipality_key == municipality,
            )
        )
        return count_of(result)
