"""Storage on real databases: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, inspect, select, text

from domain.model import ConversationKind, ConversationRef, MeetingStatus, RoleKind
from services.networks import import_network
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import (
    InboundActivityRow,
    MeetingRow,
    PersonRow,
    ProgrammeItemRow,
    RoleRow,
    SeatRow,
)
from storage.uow import SqlUnitOfWork
from tests.conftest import _reset_postgres
from tests.support.networks import small_network

REF = ConversationRef(
    conversation_id="19:general@thread.tacv2",
    kind=ConversationKind.CHANNEL,
    service_url="http://127.0.0.1:9/",
    channel_id="msteams",
    tenant_id="tenant-1",
    team_id="19:general@thread.tacv2",
    team_aad_group_id="group-1",
    teams_channel_id="19:general@thread.tacv2",
)


async def count(uow_factory: Any, model: Any) -> int:
    async with uow_factory() as uow:
        return int(await uow._session.scalar(select(func.count()).select_from(model)))


async def test_import_stores_the_whole_network(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    async with uow_factory() as uow:
        network = await uow.networks.get("kompakte-groenne-byer")
        meetings = await uow.networks.meetings("kompakte-groenne-byer")
        towns = await uow.networks.municipalities("kompakte-groenne-byer")
        facilitator = await uow.people.find(email="FACILITATOR@example.org")
    assert network is not None and network.language == "da" and len(network.themes) == 2
    assert [m.number for m in meetings] == [1, 2]
    assert meetings[0].host == "odense" and meetings[0].programme[1].title == "Besøg i felten"
    assert {t.key for t in towns} == {"odense", "koege"}
    assert facilitator is not None and facilitator.roles == {RoleKind.FACILITATOR}


async def test_importing_the_same_file_twice_changes_nothing(uow_factory: Any) -> None:
    first = await import_network(uow_factory(), small_network())
    second = await import_network(uow_factory(), small_network())
    assert first.created > 0
    assert (second.created, second.updated, second.cancelled_meetings) == (0, 0, 0)
    for model, expected in (
        (MeetingRow, 2),
        (SeatRow, 2),
        (PersonRow, 2),
        (RoleRow, 2),
        (ProgrammeItemRow, 2),
    ):
        assert await count(uow_factory, model) == expected


async def test_a_changed_file_updates_and_cancels_what_it_no_longer_lists(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    declared = small_network()
    first = dataclasses.replace(declared.meetings[0], place="Odense Havn", programme=())
    changed = dataclasses.replace(declared, meetings=(first,))
    counts = await import_network(uow_factory(), changed)
    async with uow_factory() as uow:
        meetings = await uow.networks.meetings("kompakte-groenne-byer")
    assert counts.cancelled_meetings == 1
    assert meetings[0].place == "Odense Havn" and meetings[0].programme == ()
    assert meetings[1].status is MeetingStatus.CANCELLED
    assert await count(uow_factory, ProgrammeItemRow) == 0


async def test_a_unit_of_work_without_commit_leaves_no_trace(uow_factory: Any) -> None:
    async with uow_factory() as uow:
        await uow.networks.save_file(small_network())
    async with uow_factory() as uow:
        assert await uow.networks.all() == []


async def test_saving_a_reference_again_refreshes_it_and_keeps_the_link(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    async with uow_factory() as uow:
        await uow.conversations.save(REF)
        assert await uow.conversations.link(REF.conversation_id, "kompakte-groenne-byer")
        await uow.commit()
    async with uow_factory() as uow:
        await uow.conversations.save(dataclasses.replace(REF, service_url="http://127.0.0.1:8/"))
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.conversations.get(REF.conversation_id)
        linked = await uow.conversations.linked_to("kompakte-groenne-byer")
    assert stored is not None and stored.service_url == "http://127.0.0.1:8/"
    assert stored.network_slug == "kompakte-groenne-byer"
    assert stored.team_aad_group_id == "group-1" and stored.kind is ConversationKind.CHANNEL
    assert [r.conversation_id for r in linked] == [REF.conversation_id]


async def test_linking_to_an_unknown_network_or_conversation_is_refused(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    async with uow_factory() as uow:
        await uow.conversations.save(REF)
        assert not await uow.conversations.link(REF.conversation_id, "atlantis")
        assert not await uow.conversations.link("19:unknown", "kompakte-groenne-byer")


async def test_teams_ids_remembered_for_a_person_find_them_directly(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    async with uow_factory() as uow:
        await uow.people.remember_teams_ids(
            "planner.odense@example.org", teams_user_id="29:p", aad_object_id="aad-p"
        )
        await uow.commit()
    async with uow_factory() as uow:
        person = await uow.people.find(aad_object_id="aad-p")
        networks = await uow.people.networks_of("planner.odense@example.org")
    assert person is not None and person.municipality == "odense"
    assert networks == ["kompakte-groenne-byer"]


async def test_people_are_found_by_entra_id_then_teams_id_then_e_mail(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    async with uow_factory() as uow:
        await uow.people.remember_teams_ids(
            "planner.odense@example.org", teams_user_id="29:p", aad_object_id="aad-p"
        )
        await uow.people.remember_teams_ids(
            "facilitator@example.org", teams_user_id="29:f", aad_object_id=None
        )
        await uow.commit()
    identities: list[dict[str, str | None]] = [
        {"aad_object_id": "aad-p"},
        {"teams_user_id": "29:f"},
        {"aad_object_id": "aad-p", "teams_user_id": "29:f"},  # two people: the object id wins
        {"aad_object_id": "aad-unknown", "teams_user_id": "29:p"},  # the Teams id still finds
        {"teams_user_id": "29:nobody", "email": " Facilitator@Example.org "},
        {"teams_user_id": "29:nobody"},
        {},
    ]
    async with uow_factory() as uow:
        found = [await uow.people.find(**identity) for identity in identities]
    assert [p.key if p else None for p in found] == [
        "planner.odense@example.org",
        "facilitator@example.org",
        "planner.odense@example.org",
        "planner.odense@example.org",
        "facilitator@example.org",
        None,
        None,
    ]
    assert found[1] is not None and RoleKind.FACILITATOR in found[1].roles
    assert found[0] is not None and found[0].municipality == "odense"


async def test_an_activity_is_claimed_once_even_when_claims_race(uow_factory: Any) -> None:
    async def claim() -> bool:
        async with uow_factory() as uow:
            fresh = bool(await uow.activities.claim("conv", "act-1"))
            await uow.commit()
            return fresh

    results = await asyncio.gather(*(claim() for _ in range(20)))
    assert sorted(results) == [False] * 19 + [True]


async def test_a_released_claim_can_be_claimed_again(uow_factory: Any) -> None:
    async with uow_factory() as uow:
        assert await uow.activities.claim("conv", "greeting")
        await uow.activities.release("conv", "greeting")
        assert await uow.activities.claim("conv", "greeting")


async def test_the_migrations_create_exactly_the_models_schema(engine: Any) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.material import in_models
    from storage.schema import metadata

    def diff(connection: Any) -> list[Any]:
        # The full-text objects of migration 0014 live outside the models, per database.
        context = MigrationContext.configure(connection, opts={"include_object": in_models})
        return list(compare_metadata(context, metadata))

    async with engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_a_chosen_language_is_remembered_per_teams_user(uow_factory: Any) -> None:
    async with uow_factory() as uow:
        await uow.preferences.set_language("29:a", "sv")
        await uow.preferences.set_language("29:a", "da")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.preferences.language("29:a") == "da"
        assert await uow.preferences.language("29:b") is None


async def test_a_claim_records_when_the_activity_arrived(uow_factory: Any) -> None:
    before = datetime.now(UTC)
    async with uow_factory() as uow:
        assert await uow.activities.claim("conv", "act-2")
        await uow.commit()
    async with uow_factory() as uow:
        received = await uow._session.scalar(
            select(InboundActivityRow.received_at).where(InboundActivityRow.activity_id == "act-2")
        )
    if received.tzinfo is None:  # SQLite keeps the UTC wall time without the offset
        received = received.replace(tzinfo=UTC)
    assert received is not None and before <= received <= datetime.now(UTC)


async def test_one_meeting_is_read_whole_and_an_unknown_one_is_none(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    async with uow_factory() as uow:
        every = await uow.networks.meetings("kompakte-groenne-byer")
        assert any(m.programme for m in every)
        for meeting in every:
            assert await uow.networks.meeting("kompakte-groenne-byer", meeting.number) == meeting
        assert await uow.networks.meeting("kompakte-groenne-byer", 99) is None
        assert await uow.networks.meeting("another-network", every[0].number) is None


def _sample(column: Any) -> Any:
    """A value a NOT NULL column of this type accepts."""
    kind = column.type
    for types, value in (
        (sa.Boolean, False),
        (sa.Integer, 1),
        (sa.DateTime, datetime(2024, 1, 1, tzinfo=UTC)),
        (sa.Date, date(2024, 1, 1)),
        (sa.Time, time(10, 0)),
        (sa.JSON, []),
        (sa.String, "x"),
    ):
        if isinstance(kind, types):
            return value
    raise AssertionError(f"no sample for {column.name}: {kind!r}")


def _seed(sync: Any) -> None:
    """A network with a municipality's seat and a meeting, in the tables as they are (the
    application's models have columns later migrations add, so they cannot write them)."""
    tables = sa.MetaData()
    tables.reflect(sync, only=["networks", "municipalities", "seats", "meetings"])

    def add(name: str, **given: Any) -> int:
        table = tables.tables[name]
        values = dict(given)
        for column in table.columns:
            needed = not (column.primary_key or column.nullable or column.server_default)
            if needed and column.name not in values:
                values[column.name] = _sample(column)
        return int(sync.execute(sa.insert(table).values(**values)).inserted_primary_key[0])

    network = add("networks", slug="kompakte-groenne-byer")
    town = add("municipalities", key="odense")
    add("seats", network_id=network, municipality_id=town, status="confirmed")
    add("meetings", network_id=network, number=1, status="planned")


async def test_upgrading_past_the_network_revision_keeps_every_row_and_leaves_no_trigger(
    database_url: str,
) -> None:
    """0016 drops the revision column under tables that reference networks: nothing of the
    network may go with it, and changing a meeting afterwards must not hit a dropped trigger."""
    engine = create_engine(database_url)
    try:
        if engine.dialect.name == "postgresql":
            await _reset_postgres(engine)
        await upgrade(database_url, "0015")
        async with engine.begin() as conn:
            await conn.run_sync(_seed)
        uow_factory = lambda: SqlUnitOfWork(session_factory(engine))  # noqa: E731
        before = 1, 1
        await upgrade(database_url)
        assert (await count(uow_factory, MeetingRow), await count(uow_factory, SeatRow)) == before
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE meetings SET capacity = 3"))
            await conn.execute(text("UPDATE networks SET name = name || ' '"))
            columns = await conn.run_sync(
                lambda sync: [c["name"] for c in inspect(sync).get_columns("networks")]
            )
        assert "revision" not in columns
    finally:
        await engine.dispose()


@pytest.mark.parametrize("order", ["installed first", "channel message first"])
async def test_a_reference_keeps_what_each_event_brought_whatever_their_order(
    uow_factory: Any, order: str
) -> None:
    # Teams' bot-added event carries the team's aadGroupId but no channel; a channel message
    # carries the channel but not the aadGroupId. Neither may erase what the other brought.
    installed = dataclasses.replace(REF, teams_channel_id=None, tenant_id="tenant-1")
    message = dataclasses.replace(
        REF, team_aad_group_id=None, teams_channel_id="19:general@thread.tacv2", tenant_id=None
    )
    events = [installed, message] if order == "installed first" else [message, installed]
    for event in events:
        async with uow_factory() as uow:
            await uow.conversations.save(event)
            await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.conversations.get(REF.conversation_id)
    assert stored is not None
    assert stored.team_aad_group_id == "group-1"
    assert stored.teams_channel_id == "19:general@thread.tacv2"
    assert stored.tenant_id == "tenant-1"


async def test_an_event_without_ids_keeps_every_id_and_takes_the_new_service_url(
    uow_factory: Any,
) -> None:
    full = dataclasses.replace(
        REF, bot_id="28:bot", bot_name="netpuls", user_id="29:u", user_aad_object_id="aad-u"
    )
    bare = ConversationRef(
        conversation_id=REF.conversation_id,
        kind=ConversationKind.CHANNEL,
        service_url="http://127.0.0.1:9/emea/",
        channel_id="msteams",
    )
    for ref in (full, bare):
        async with uow_factory() as uow:
            await uow.conversations.save(ref)
            await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.conversations.get(REF.conversation_id)
    assert stored == dataclasses.replace(full, service_url="http://127.0.0.1:9/emea/")


async def test_a_team_group_id_fills_only_references_that_lack_it(uow_factory: Any) -> None:
    other = dataclasses.replace(
        REF, conversation_id="19:other@thread.tacv2", team_aad_group_id=None
    )
    async with uow_factory() as uow:
        await uow.conversations.save(REF)
        await uow.conversations.save(other)
        await uow.conversations.complete_team(REF.team_id, "group-from-connector")
        await uow.conversations.mark_team_uninstalled("19:another-team@thread.tacv2")
        await uow.commit()
    async with uow_factory() as uow:
        known = await uow.conversations.get(REF.conversation_id)
        filled = await uow.conversations.get(other.conversation_id)
    assert known is not None and filled is not None
    assert (known.team_aad_group_id, filled.team_aad_group_id) == (
        "group-1",
        "group-from-connector",
    )
    assert known.installed and filled.installed
