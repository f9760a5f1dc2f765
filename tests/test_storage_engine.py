"""The SQLite engine: one pooled connection, one thread hop per statement, no deadlocks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine

import storage.engine
from bot.teams.app import create_app
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


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call aiosqlite runs on its connection thread, by name."""
    seen: list[str] = []
    original: Any = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_a_sqlite_file_gets_exactly_one_pooled_connection(sqlite: AsyncEngine) -> None:
    pool: Any = sqlite.pool
    assert pool.size() == 1 and pool._max_overflow == 0


async def test_a_select_a_write_and_a_batch_of_writes_are_one_thread_hop_each(
    sqlite: AsyncEngine, hops: list[str]
) -> None:
    async with sqlite.connect() as conn:
        await conn.execute(text("SELECT 1"))  # the connection's first BEGIN-free statement
        hops.clear()
        rows = (await conn.execute(text("SELECT 1 UNION SELECT 2"))).all()
        assert [tuple(r) for r in rows] == [(1,), (2,)] and len(hops) == 1
        hops.clear()
        written = await conn.execute(
            text(
                "INSERT INTO preferences (teams_user_id, language, updated_at)"
                " VALUES ('29:a', 'da', '2026-11-23 10:00:00')"
            )
        )
        assert written.rowcount == 1 and len(hops) == 1
        hops.clear()
        many = await conn.execute(
            text(
                "INSERT INTO preferences (teams_user_id, language, updated_at)"
                " VALUES (:user, 'sv', '2026-11-23 10:00:00')"
            ),
            [{"user": f"29:{n}"} for n in range(5)],
        )
        assert many.rowcount == 5 and len(hops) == 1  # executemany: one hop for all five
        count = await conn.execute(text("SELECT count(*) FROM preferences"))
        assert count.scalar_one() == 6
        await conn.commit()


async def test_a_unit_of_work_that_only_read_ends_without_a_rollback_hop(
    sqlite: AsyncEngine, hops: list[str]
) -> None:
    sessions = session_factory(sqlite)
    async with SqlUnitOfWork(sessions) as uow:
        await uow.preferences.language("29:nobody")
    async with SqlUnitOfWork(sessions) as uow:
        hops.clear()
        assert await uow.preferences.language("29:nobody") is None
    assert len(hops) == 1  # the SELECT; no rollback for a transaction that never began


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


async def test_waiting_units_of_work_get_the_connection_in_arrival_order(
    sqlite: AsyncEngine,
) -> None:
    order: list[str] = []
    release = asyncio.Event()

    async def holder() -> None:
        async with sqlite.connect() as conn:
            await conn.execute(text("SELECT 1"))
            await release.wait()

    async def waiter(name: str) -> None:
        async with sqlite.connect() as conn:
            order.append(name)
            await conn.execute(text("SELECT 1"))

    held = asyncio.create_task(holder())
    await asyncio.sleep(0.05)
    waiting = []
    for number in range(4):
        waiting.append(asyncio.create_task(waiter(f"waiting-{number}")))
        await asyncio.sleep(0.01)
    release.set()
    await asyncio.sleep(0)  # the holder gives the connection back ...
    # ... and newcomers arrive before the first waiter has run: they must not jump the line.
    newcomers = [asyncio.create_task(waiter(f"new-{number}")) for number in range(2)]
    await asyncio.wait_for(asyncio.gather(held, *waiting, *newcomers), timeout=10)
    assert order == [f"waiting-{n}" for n in range(4)] + ["new-0", "new-1"]


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
