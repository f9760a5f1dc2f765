"""The audit log: organiser actions and refusals are written with who, when, what and the
network; organisers read it with `audit [n]` in their personal chat, operators with
`netpuls audit`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from domain.sparring import AuditEntry
from services import cadence
from services.networks import import_network
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network

ROOT = Path(__file__).resolve().parents[1]
SLUG = "kompakte-groenne-byer"
FAR = datetime(2100, 1, 1, tzinfo=UTC)
PEOPLE = {"29:fac": "facilitator@example.org", "29:odense": "planner.odense@example.org"}


@pytest.fixture
async def bot(start_bot: BotStarter, uow_factory: Any) -> TestClient[Any, Any]:
    await import_network(uow_factory(), small_network())
    await cadence.sync_all(uow_factory)
    return await start_bot(PEOPLE)


def say(url: str, user: str, text: str) -> dict[str, Any]:
    return act.message(act.personal(url, user_id=user, aad=None, name=PEOPLE[user]), text)


async def entries(uow_factory: Any) -> list[AuditEntry]:
    async with uow_factory() as uow:
        found: list[AuditEntry] = await uow.audit.entries(SLUG)
        return found


async def test_pausing_resuming_and_moving_the_cadence_are_audited(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence pause"))
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence resume"))
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence move agenda 2 2024-05-02"))
    log = await entries(uow_factory)
    assert [e.action for e in log] == ["cadence.pause", "cadence.resume", "cadence.move"]
    assert all(e.network == SLUG and e.at.tzinfo is not None for e in log)
    assert all("Facilitator" not in e.actor and e.actor not in ("", "-") for e in log)


async def test_retrying_a_delivery_is_audited(bot: Any, connector: Any, uow_factory: Any) -> None:
    fake, url = connector
    await bot.post("/api/messages", json=say(url, "29:fac", "deliveries retry 999"))
    assert "999" in fake.texts()[-1]
    log = await entries(uow_factory)
    assert [(e.action, e.subject) for e in log] == [
        ("deliveries.retry", "delivery 999 not retried")
    ]


async def test_a_refused_action_is_audited_and_still_answered(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    await bot.post("/api/messages", json=say(url, "29:odense", "cadence pause"))
    assert "Only the facilitator or the secretariat" in fake.texts()[-1]
    await bot.post("/api/messages", json=say(url, "29:odense", "deliveries retry 1"))
    assert "Only the facilitator or the secretariat can see deliveries" in fake.texts()[-1]
    log = await entries(uow_factory)
    assert [e.action for e in log] == ["refused.pause_cadence", "refused.see_deliveries"]
    async with uow_factory() as uow:  # the refused pause changed nothing
        steps = await uow.cadence.upcoming(SLUG, datetime(2000, 1, 1, tzinfo=UTC), FAR)
        assert steps and all(s.status != "paused" for s in steps)


async def test_linking_a_channel_is_audited(bot: Any, connector: Any, uow_factory: Any) -> None:
    fake, url = connector
    where = act.channel(url, user_id="29:fac", aad=None, name=PEOPLE["29:fac"])
    await bot.post("/api/messages", json=act.installed(where))
    await bot.post("/api/messages", json=act.message(where, f"link {SLUG}", mention=True))
    assert "now linked to" in fake.texts()[-1]
    assert [(e.action, e.subject) for e in await entries(uow_factory)] == [
        ("link", "conversation linked")
    ]


async def test_an_organiser_reads_the_audit_log_in_the_personal_chat(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await bot.post("/api/messages", json=say(url, "29:odense", "cadence pause"))
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence pause"))
    await bot.post("/api/messages", json=say(url, "29:fac", "audit 1"))
    listing = fake.texts()[-1]
    assert "cadence.pause" in listing and "refused" not in listing
    await bot.post("/api/messages", json=say(url, "29:fac", "revision"))
    assert (
        "refused.pause\\_cadence" in fake.texts()[-1]
        or "refused.pause_cadence" in (fake.texts()[-1])
    )
    await bot.post("/api/messages", json=say(url, "29:odense", "audit"))
    assert "Only the facilitator or the secretariat can read the audit log" in fake.texts()[-1]


async def test_the_audit_log_asked_for_in_a_channel_is_not_shown_there(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    where = act.channel(url, user_id="29:fac", aad=None, name=PEOPLE["29:fac"])
    await bot.post("/api/messages", json=act.installed(where))
    await bot.post("/api/messages", json=act.message(where, f"link {SLUG}", mention=True))
    await bot.post("/api/messages", json=act.message(where, "audit", mention=True))
    answer = fake.texts()[-1]
    assert "conversation linked" not in answer and "personal chat" in answer


def test_the_audit_command_lists_a_networks_entries(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'netpuls.db'}"
    asyncio.run(_seed(url))
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "netpuls", "audit", "--network", SLUG]
    result = subprocess.run(
        [*command, "--limit", "2"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("\t")[3] for line in lines] == ["cadence.resume", "cadence.pause"]
    missing = subprocess.run(
        [*command[:4], "--network", "atlantis"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and "atlantis" in missing.stderr


async def _seed(url: str) -> None:
    from services import audit
    from storage.engine import create_engine, session_factory
    from storage.migrate import upgrade
    from storage.uow import SqlUnitOfWork
    from tests.conftest import FixedClock

    await upgrade(url)
    engine = create_engine(url)
    try:
        uow = SqlUnitOfWork(session_factory(engine))
        await import_network(uow, small_network())
        clock = FixedClock(datetime(2024, 5, 1, 9, tzinfo=UTC))
        async with uow:
            for action in ("link", "cadence.pause", "cadence.resume"):
                await audit.record(uow, clock, SLUG, "person-1", action)
            await uow.commit()
    finally:
        await engine.dispose()


async def test_opening_the_call_and_a_refused_secretariat_action_are_audited(
    start_bot: BotStarter, connector: Any, uow_factory: Any, clock: Any
) -> None:
    from tests.support import applications as ex

    people = {"29:sek": ex.PLAN22_SECRETARIAT, "29:randers": "someone.randers@example.org"}
    clock.current = ex.PLAN22_NOW
    bot = await start_bot(people, network=ex.plan22(), scheduler_enabled=False)
    fake, url = connector

    def who(user: str) -> dict[str, Any]:
        return act.personal(url, user_id=user, aad=None, name=people[user])

    await bot.post("/api/messages", json=act.message(who("29:randers"), "call open 2024-02-24"))
    assert "Only the secretariat" in fake.texts()[-1]
    await bot.post("/api/messages", json=act.message(who("29:sek"), "call open 2024-02-24"))
    async with uow_factory() as uow:
        log = await uow.audit.entries(ex.PLAN22)
    assert [(e.action, e.subject) for e in log] == [
        ("refused.secretariat", ""),
        ("call.open", "until 2024-02-24"),
    ]
    assert log[0].actor != log[1].actor and log[1].actor not in ("", "-")
