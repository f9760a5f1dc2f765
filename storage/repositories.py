"""Repositories: queries in, domain objects out. One per aggregate the services use."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    String,
    TextClause,
    any_,
    bindparam,
    cast,
    delete,
    exists,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model import (
    ConversationRef,
    Meeting,
    MeetingStatus,
    Municipality,
    Network,
    NetworkFile,
    Person,
    Phase,
    RoleKind,
)
from services.ports import FirstLooks, ImportCounts
from storage.mapping import (
    conversation_from_row,
    meeting_from_row,
    municipality_from_seat,
    network_from_row,
    network_values,
    phase_from_row,
)
from storage.models import (
    ConversationRow,
    InboundActivityRow,
    MeetingRow,
    MunicipalityRow,
    NetworkRow,
    PersonRow,
    PhaseRow,
    PreferenceRow,
    ProgrammeItemRow,
    RoleRow,
    SeatRow,
    table_of,
    utcnow,
)


def _on_postgres(session: AsyncSession) -> bool:
    return bool(session.get_bind().dialect.name == "postgresql")


def _insert(session: AsyncSession, table: Any) -> Any:
    """INSERT for the session's dialect, so ON CONFLICT clauses are available."""
    return (postgresql.insert if _on_postgres(session) else sqlite.insert)(table)


# Statements an RSVP click runs, built once with bound parameters.
_PEOPLE = table_of(PersonRow)


def _person_by(column: Any) -> Any:
    """A person by one unique column, with their municipality and the kinds of role they hold,
    in one Core statement (the ORM loaded an entity, its municipality and then the roles)."""
    return _person_columns().where(column == bindparam("value"))


def _person_columns() -> Any:
    towns, roles = table_of(MunicipalityRow), table_of(RoleRow)
    return (
        select(
            _PEOPLE.c.key,
            _PEOPLE.c.name,
            _PEOPLE.c.email,
            towns.c.key,
            _PEOPLE.c.locale,
            _PEOPLE.c.teams_user_id,
            _PEOPLE.c.aad_object_id,
            *(
                exists().where(roles.c.person_id == _PEOPLE.c.id, roles.c.kind == kind.value)
                for kind in RoleKind
            ),
        )
        .select_from(_PEOPLE)
        .outerjoin(towns, towns.c.id == _PEOPLE.c.municipality_id)
    )


_PERSON_BY_AAD = _person_by(_PEOPLE.c.aad_object_id)
_PERSON_BY_TEAMS_ID = _person_by(_PEOPLE.c.teams_user_id)
_PERSON_BY_KEY = _person_by(_PEOPLE.c.key)


def _one_of(column: Any, name: str, postgres: bool) -> Any:
    """`column IN (:name...)`; on PostgreSQL `column = ANY(:name)`: one statement text for
    any number of values, where an expanding IN is written out again for every execution
    (about a tenth of a batch's CPU on PostgreSQL) and prepared once per list length."""
    if postgres:
        return column == any_(bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def _by_dialect(build: Any) -> dict[bool, Any]:
    """A statement built for SQLite (False) and for PostgreSQL (True)."""
    return {postgres: build(postgres) for postgres in (False, True)}


_PEOPLE_BY_TEAMS_IDS = _by_dialect(
    lambda pg: _person_columns().where(
        or_(
            _one_of(_PEOPLE.c.aad_object_id, "aads", pg),
            _one_of(_PEOPLE.c.teams_user_id, "teams_ids", pg),
        )
    )
)
_ROLE_KINDS = select(RoleRow.kind).where(RoleRow.person_id == bindparam("person"))
_NETWORK = select(NetworkRow).where(NetworkRow.slug == bindparam("n_slug"))
_SEATS = (
    select(SeatRow)
    .join(NetworkRow)
    .join(MunicipalityRow)
    .where(NetworkRow.slug == bindparam("n_slug"))
    .order_by(MunicipalityRow.name)
)
_ONE_MEETING = (
    select(MeetingRow)
    .join(NetworkRow)
    .where(NetworkRow.slug == bindparam("n_slug"), MeetingRow.number == bindparam("m_number"))
)
_CONVERSATIONS = table_of(ConversationRow)
_LINKED_NETWORKS = _by_dialect(
    lambda pg: (
        select(_CONVERSATIONS.c.conversation_id, table_of(NetworkRow).c.slug)
        .join(_CONVERSATIONS, _CONVERSATIONS.c.network_id == table_of(NetworkRow).c.id)
        .where(_one_of(_CONVERSATIONS.c.conversation_id, "conversations", pg))
    )
)


def _person_of(row: Any) -> Person:
    key, name, email, town, locale, teams_id, aad, *held = row
    return Person(
        key=key,
        name=name,
        email=email,
        municipality=town,
        locale=locale,
        teams_user_id=teams_id,
        aad_object_id=aad,
        roles=frozenset(k for k, h in zip(RoleKind, held, strict=True) if h),
    )


class SqlNetworkRepository:
    """Networks with their municipalities, meetings, phases and people."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _row(self, slug: str) -> NetworkRow | None:
        return (await self._s.scalars(_NETWORK, {"n_slug": slug})).first()

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
        row = (await self._s.scalars(_ONE_MEETING, {"n_slug": slug, "m_number": number})).first()
        return meeting_from_row(row) if row else None

    async def municipalities(self, slug: str) -> list[Municipality]:
        """The municipalities holding or seeking a seat, by name."""
        rows = await self._s.scalars(_SEATS, {"n_slug": slug})
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
        if self._s.new or self._s.dirty:  # Core statements do not flush the unit of work
            await self._s.flush()
        lookups = (
            (_PERSON_BY_AAD, aad_object_id),
            (_PERSON_BY_TEAMS_ID, teams_user_id),
            (_PERSON_BY_KEY, email.strip().lower() if email else None),
        )
        for statement, value in lookups:
            if value:
                row = (await self._s.execute(statement, {"value": value})).first()
                if row:
                    return _person_of(row)
        return None

    async def find_many(
        self, identities: Sequence[tuple[str | None, str | None]]
    ) -> list[Person | None]:
        """`find` for each (aad_object_id, teams_user_id), in one statement."""
        if self._s.new or self._s.dirty:
            await self._s.flush()
        aads = {a for a, _ in identities if a}
        teams_ids = {t for _, t in identities if t}
        if not aads and not teams_ids:
            return [None] * len(identities)
        rows = await self._s.execute(
            _PEOPLE_BY_TEAMS_IDS[_on_postgres(self._s)],
            {"aads": list(aads), "teams_ids": list(teams_ids)},
        )
        people = [_person_of(row) for row in rows]
        by_aad = {p.aad_object_id: p for p in people if p.aad_object_id}
        by_teams_id = {p.teams_user_id: p for p in people if p.teams_user_id}
        return [
            (by_aad.get(a) if a else None) or (by_teams_id.get(t) if t else None)
            for a, t in identities
        ]

    async def _person(self, row: PersonRow) -> Person:
        kinds = (await self._s.scalars(_ROLE_KINDS, {"person": row.id})).all()
        return Person(
            key=row.key,
            name=row.name,
            email=row.email,
            municipality=row.municipality.key if row.municipality else None,
            locale=row.locale,
            teams_user_id=row.teams_user_id,
            aad_object_id=row.aad_object_id,
            roles=frozenset(RoleKind(k) for k in kinds),
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
        self, person_key: str, *, teams_user_id: str | None, aad_object_id: str | None
    ) -> None:
        """Store the Teams ids seen for a person, so the next lookup is direct."""
        values: dict[str, Any] = {}
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


# Built once, on the tables (Core, not the ORM): building a statement and its cache key costs
# more than running it. One statement answers for a batch of turns: which chats are stored,
# and the languages readers chose.
_PREFERENCES = table_of(PreferenceRow)
_FIRST_LOOKS = _by_dialect(
    lambda pg: union_all(
        select(literal("c"), _CONVERSATIONS.c.conversation_id, cast(null(), String)).where(
            _one_of(_CONVERSATIONS.c.conversation_id, "conversation_ids", pg)
        ),
        select(literal("p"), _PREFERENCES.c.teams_user_id, _PREFERENCES.c.language).where(
            _one_of(_PREFERENCES.c.teams_user_id, "teams_user_ids", pg)
        ),
    )
)


class SqlConversationRepository:
    """Stored conversation references and which network each is linked to."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def save(self, ref: ConversationRef) -> None:
        """Insert or refresh a reference; an existing network link is kept."""
        values = {
            "conversation_id": ref.conversation_id,
            "kind": ref.kind.value,
            "service_url": ref.service_url,
            "channel_id": ref.channel_id,
            "tenant_id": ref.tenant_id,
            "bot_id": ref.bot_id,
            "bot_name": ref.bot_name,
            "team_id": ref.team_id,
            "team_aad_group_id": ref.team_aad_group_id,
            "teams_channel_id": ref.teams_channel_id,
            "user_id": ref.user_id,
            "user_aad_object_id": ref.user_aad_object_id,
            "installed": ref.installed,
        }
        now = utcnow()
        stmt = _insert(self._s, ConversationRow).values(**values, created_at=now, updated_at=now)
        refresh = {k: stmt.excluded[k] for k in values if k != "conversation_id"}
        await self._s.execute(
            stmt.on_conflict_do_update(
                index_elements=["conversation_id"], set_={**refresh, "updated_at": now}
            )
        )

    async def get(self, conversation_id: str) -> ConversationRef | None:
        """The stored reference for a conversation id, or None."""
        row = (
            await self._s.scalars(
                select(ConversationRow).where(ConversationRow.conversation_id == conversation_id)
            )
        ).first()
        return conversation_from_row(row) if row else None

    async def linked_networks(self, conversation_ids: Collection[str]) -> dict[str, str]:
        """The networks these conversations are linked to, by conversation (unlinked: absent)."""
        if not conversation_ids:
            return {}
        rows = await self._s.execute(
            _LINKED_NETWORKS[_on_postgres(self._s)], {"conversations": list(conversation_ids)}
        )
        return {conversation: slug for conversation, slug in rows}

    async def first_looks(
        self, conversation_ids: Collection[str], teams_user_ids: Collection[str]
    ) -> FirstLooks:
        """Which of these conversations are stored, and the languages these users chose."""
        rows = await self._s.execute(
            _FIRST_LOOKS[_on_postgres(self._s)],
            {"conversation_ids": list(conversation_ids), "teams_user_ids": list(teams_user_ids)},
        )
        known: set[str] = set()
        languages: dict[str, str] = {}
        for kind, key, language in rows:
            if kind == "c":
                known.add(key)
            else:
                languages[key] = language
        return FirstLooks(frozenset(known), languages)

    async def link(self, conversation_id: str, network_slug: str) -> bool:
        """Link a stored conversation to a network; False if either is unknown."""
        net = (
            await self._s.scalars(select(NetworkRow).where(NetworkRow.slug == network_slug))
        ).first()
        if net is None:
            return False
        result = await self._s.execute(
            update(ConversationRow)
            .where(ConversationRow.conversation_id == conversation_id)
            .values(network_id=net.id, updated_at=utcnow())
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def linked_to(self, network_slug: str) -> list[ConversationRef]:
        """The conversations linked to a network."""
        rows = await self._s.scalars(
            select(ConversationRow).join(NetworkRow).where(NetworkRow.slug == network_slug)
        )
        return [conversation_from_row(r) for r in rows]

    async def mark_uninstalled(self, conversation_id: str) -> None:
        """Remember that the bot was removed from a conversation."""
        await self._s.execute(
            update(ConversationRow)
            .where(ConversationRow.conversation_id == conversation_id)
            .values(installed=False, updated_at=utcnow())
        )

    async def personal_for(self, teams_user_id: str) -> ConversationRef | None:
        """The bot's installed personal chat with a user, if there is one."""
        row = (
            await self._s.scalars(
                select(ConversationRow).where(
                    ConversationRow.kind == "personal",
                    ConversationRow.user_id == teams_user_id,
                    ConversationRow.installed.is_(True),
                )
            )
        ).first()
        return conversation_from_row(row) if row else None


@functools.lru_cache(maxsize=64)
def _claims(count: int) -> TextClause:
    """INSERT of `count` claims returning the ones inserted (SQLite >= 3.35, PostgreSQL)."""
    values = ", ".join(f"(:c{n}, :a{n}, :at)" for n in range(count))
    return text(
        "INSERT INTO inbound_activities (conversation_id, activity_id, received_at)"
        f" VALUES {values}"
        " ON CONFLICT (conversation_id, activity_id) DO NOTHING"
        " RETURNING conversation_id, activity_id"
    ).bindparams(bindparam("at", type_=InboundActivityRow.__table__.c.received_at.type))


class SqlActivityLog:
    """Inbound activity ids already handled, claimed under a unique constraint."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def claim(self, conversation_id: str, activity_id: str) -> bool:
        """True the first time this activity is seen; False for a redelivery."""
        return bool(await self.claim_many([(conversation_id, activity_id)]))

    async def claim_many(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Claim several (conversation id, activity id) keys at once; the ones seen first now.

        One statement for the batch: the rows inserted come back, redeliveries do not. Keys go
        in sorted order, so two batches that share keys wait for each other instead of
        deadlocking on PostgreSQL's unique index.
        """
        unique = sorted(set(keys))
        if not unique:
            return set()
        parameters: dict[str, Any] = {"at": utcnow()}
        for n, (conversation_id, activity_id) in enumerate(unique):
            parameters[f"c{n}"], parameters[f"a{n}"] = conversation_id, activity_id
        rows = await self._s.execute(_claims(len(unique)), parameters)
        return {(conversation_id, activity_id) for conversation_id, activity_id in rows}

    async def release(self, conversation_id: str, activity_id: str) -> None:
        """Forget a claim so the key can be claimed again."""
        await self._s.execute(
            delete(InboundActivityRow).where(
                InboundActivityRow.conversation_id == conversation_id,
                InboundActivityRow.activity_id == activity_id,
            )
        )


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
        stmt = _insert(self._s, PreferenceRow).values(
            teams_user_id=teams_user_id, language=language, updated_at=now
        )
        await self._s.execute(
            stmt.on_conflict_do_update(
                index_elements=["teams_user_id"], set_={"language": language, "updated_at": now}
            )
        )
