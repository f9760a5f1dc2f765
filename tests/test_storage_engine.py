"""The SQLite engine: stock aiosqlite in WAL mode, one pooled connection, no deadlocks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine

import storage.engine
from netpuls.app import create_app
from netpuls.settings import Settings
from services.networks import import_network
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import InboundActivityRow
from storage.uow import SqlUnitOfWork
from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support.http import post_activity
from tests.support.networks import small_network_with_colleague


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated SQLite file behind the production engine."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'engine.db'}"
    await upgrade(url)
    engine = create_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_a_sqlite_file_runs_in_wal_mode_with_foreign_keys_enforced(
    sqlite: AsyncEngine,
) -> None:
    async with sqlite.connect() as conn:
        assert await conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert await conn.scalar(text("PRAGMA foreign_keys")) == 1
        with pytest.raises(IntegrityError):  # a seat for a network that does not exist
            await conn.execute(
                text(
                    "INSERT INTO seats (network_id, municipality_id, status)"
                    " VALUES (999, 999, 'member')"
                )
            )


async def test_an_uncommitted_write_is_still_rolled_back(sqlite: AsyncEngine) -> None:
    sessions = session_factory(sqlite)
    async with SqlUnitOfWork(sessions) as uow:
        await uow.preferences.set_language("29:a", "sv")
    async with SqlUnitOfWork(sessions) as uow:
        assert await uow.preferences.language("29:a") is None
        await uow.preferences.set_language("29:a", "sv")
        await uow.commit()
    async with SqlUnitOfWork(sessions) as uow:
        assert await uow.preferences.language("29:a") == "sv"


async def test_a_constraint_violation_raises_sqlalchemys_integrity_error(
    sqlite: AsyncEngine,
) -> None:
    insert = text(
        "INSERT INTO inbound_activities (conversation_id, activity_id, received_at)"
        " VALUES ('c', 'a', '2026-11-23 10:00:00')"
    )
    async with sqlite.connect() as conn:
        await conn.execute(insert)
        with pytest.raises(IntegrityError):
            await conn.execute(insert)


async def test_many_concurrent_units_of_work_share_the_one_connection_in_turn(
    sqlite: AsyncEngine,
) -> None:
    sessions = session_factory(sqlite)

    async def claim(number: int) -> bool:
        async with SqlUnitOfWork(sessions) as uow:
            fresh = await uow.activities.claim("a:chat", f"activity-{number % 30}")
            await uow.preferences.language(f"29:user-{number}")
            await uow.commit()
            return fresh

    claimed = await asyncio.wait_for(asyncio.gather(*(claim(n) for n in range(60))), timeout=30)
    assert sum(claimed) == 30  # each id claimed once, the redeliveries refused
    async with sessions() as session:
        assert len((await session.scalars(select(InboundActivityRow))).all()) == 30


async def test_a_unit_of_work_opened_inside_another_times_out_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What nesting would do with one connection: the pool timeout turns it into an error.
    monkeypatch.setattr(storage.engine, "SQLITE_POOL_TIMEOUT", 0.2)
    url = f"sqlite+aiosqlite:///{tmp_path / 'nested.db'}"
    await upgrade(url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with SqlUnitOfWork(sessions) as outer:
            await outer.preferences.language("29:a")
            with pytest.raises(PoolTimeout):
                async with SqlUnitOfWork(sessions) as inner:
                    await inner.preferences.language("29:b")
    finally:
        await engine.dispose()


async def test_the_bots_turns_never_nest_units_of_work_on_the_one_connection(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    aiohttp_client: Any,
    clock: FixedClock,
    connector: Any,
) -> None:
    # A unit of work opened inside another would wait for its own connection and fail
    # after the (shortened) pool timeout: every turn below must answer normally instead.
    monkeypatch.setattr(storage.engine, "SQLITE_POOL_TIMEOUT", 2.0)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade(url)
    engine = create_engine(url)
    await import_network(SqlUnitOfWork(session_factory(engine)), small_network_with_colleague())
    await engine.dispose()
    fake, service_url = connector
    people = {"29:fac": "facilitator@example.org", "29:odense": "planner.odense@example.org"}
    for user_id, email in people.items():
        fake.members[user_id] = {"id": user_id, "name": email, "email": email}
    client: TestClient[Any, Any] = await aiohttp_client(
        create_app(Settings(database_url=url, app_id=""), clock=clock)
    )

    def where(user: str, *, channel: bool = False) -> dict[str, Any]:
        make = act.channel if channel else act.personal
        return make(service_url, user_id=user, aad=None, name=people[user])

    channel = where("29:fac", channel=True)
    turns = [
        act.installed(channel),
        act.message(channel, "link kompakte-groenne-byer", mention=True),
        act.message(channel, "agenda 1", mention=True),
        act.card_invoke(
            where("29:odense", channel=True),
            "rsvp",
            {"meeting": "kompakte-groenne-byer:1", "answer": "attending"},
        ),
        act.message(where("29:odense"), "language sv"),
        act.message(where("29:odense"), "help"),
    ]
    for activity in turns:
        status, _ = await post_activity(client, activity)
        assert status in (200, 201), activity
    together = [act.message(where("29:odense"), "help") for _ in range(10)] + [
        act.card_invoke(
            where("29:odense"), "rsvp", {"meeting": "kompakte-groenne-byer:1", "answer": answer}
        )
        for answer in ("maybe", "attending", "not_attending")
    ]
    statuses = await asyncio.gather(*(post_activity(client, a) for a in together))
    assert [s for s, _ in statuses] == [201] * 10 + [200] * 3
    cards = [body for _, body in statuses[10:]]
    assert all(b["type"] == "application/vnd.microsoft.card.adaptive" for b in cards)


async def test_pool_stays_quiet_when_a_command_logs_at_info(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`netpuls` logs at INFO; the pool's connect/dispose chatter must not reach that log."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'quiet.db'}"
    engine = create_engine(url)
    with caplog.at_level("INFO"):
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        await engine.dispose()
    assert [r.getMessage() for r in caplog.records if "Pool" in r.getMessage()] == []
