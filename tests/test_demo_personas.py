"""The demo's persona switch: one person in the Agents Playground acts as the facilitator, the
secretariat, a participant or an applicant in turn; never available with an app id."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pydantic import ValidationError

from bot.teams.demo import PERSONAS
from netpuls.settings import Settings
from services.network_file import load_network_file
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.test_production_settings import APP, ROOT, SAFE

DEMO = ROOT / "examples" / "demo.yaml"
VISITOR = {"29:visitor": "visitor@example.org"}  # in the Playground's roster, in no network


async def demo_bot(start_bot: BotStarter, **settings: Any) -> TestClient[Any, Any]:
    network = load_network_file(DEMO, today=dt.date(2024, 3, 1))
    return await start_bot(VISITOR, network=network, **settings)


async def say(bot: TestClient[Any, Any], fake: Any, url: str, text: str) -> str:
    before = len(fake.sent)
    where = act.personal(url, user_id="29:visitor", aad=None, name="Visitor")
    response = await bot.post("/api/messages", json=act.message(where, text))
    assert response.status < 500
    return "\n".join(s.activity.get("text") or str(s.activity) for s in fake.sent[before:])


def test_the_switch_cannot_be_set_with_an_app_id() -> None:
    with pytest.raises(ValidationError, match="NETPULS_DEMO_PERSONAS"):
        Settings(app_id=APP, app_password="secret", demo_personas=True)


def test_the_switch_cannot_be_set_in_a_production_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {**SAFE, "NETPULS_DEMO_PERSONAS": "true"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match="Agents Playground only"):
        Settings()


def test_the_switch_is_off_unless_asked_for() -> None:
    assert Settings(app_id="").demo_personas is False


async def test_without_the_switch_demo_is_an_unknown_command(
    start_bot: BotStarter, connector: Any
) -> None:
    fake, url = connector
    bot = await demo_bot(start_bot)
    assert "I don't know the command 'demo'" in await say(bot, fake, url, "demo secretariat")


async def test_one_person_acts_as_each_role_in_turn(start_bot: BotStarter, connector: Any) -> None:
    fake, url = connector
    bot = await demo_bot(start_bot, demo_personas=True)
    refused = await say(bot, fake, url, "audit")
    assert "audit log of" not in refused

    assert PERSONAS["facilitator"] in await say(bot, fake, url, "demo facilitator")
    assert "audit log of Compact Green Towns (demo)" in await say(bot, fake, url, "audit")

    assert PERSONAS["participant"] in await say(bot, fake, url, "demo deltager")
    assert "audit log of" not in await say(bot, fake, url, "audit")

    assert "yourself again" in await say(bot, fake, url, "demo me")
    assert await say(bot, fake, url, "audit") == refused


async def test_demo_alone_says_how_in_the_readers_language(
    start_bot: BotStarter, connector: Any
) -> None:
    fake, url = connector
    bot = await demo_bot(start_bot, demo_personas=True)
    assert "demo secretariat" in await say(bot, fake, url, "demo")


def test_every_persona_is_a_person_of_the_demo_network_with_that_role() -> None:
    network = load_network_file(DEMO, today=dt.date(2024, 3, 1))
    roles = {p.email: {r.value for r in p.roles} for p in network.people}
    assert "facilitator" in roles[PERSONAS["facilitator"]]
    assert "secretariat" in roles[PERSONAS["secretariat"]]
    assert "participant" in roles[PERSONAS["participant"]]
    assert PERSONAS["applicant"] in roles


async def test_on_the_day_of_the_import_the_call_is_open_and_meeting_one_can_be_summed_up(
    start_bot: BotStarter, connector: Any
) -> None:
    fake, url = connector
    bot = await demo_bot(start_bot, demo_personas=True, scheduler_enabled=True)

    await say(bot, fake, url, "demo applicant")
    applying = await say(bot, fake, url, "apply demo")
    assert "are closed" not in applying and "AdaptiveCard" in applying

    await say(bot, fake, url, "demo facilitator")
    assert "Summary: Network meeting 1" in await say(bot, fake, url, "summary 1")
