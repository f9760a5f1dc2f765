"""The cadence commands over HTTP: list the year, move a step, organisers only for the rest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from services import cadence
from services.networks import import_network
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network

PEOPLE = {"29:fac": "facilitator@example.org", "29:odense": "planner.odense@example.org"}


@pytest.fixture
async def bot(start_bot: BotStarter, uow_factory: Any) -> TestClient[Any, Any]:
    await import_network(uow_factory(), small_network())
    await cadence.sync_all(uow_factory)
    return await start_bot(PEOPLE)


def say(url: str, user: str, text: str) -> dict[str, Any]:
    return act.message(act.personal(url, user_id=user, aad=None, name=PEOPLE[user]), text)


async def test_the_facilitator_sees_the_coming_steps_and_moves_one(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence"))
    listing = str(fake.sent[-1].activity["attachments"][0]["content"])
    assert "RSVP reminder · meeting 1" in listing
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence move agenda 2 2024-05-02"))
    assert fake.texts()[-1].startswith("Moved agenda of meeting 2 to")
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence move party 2 2024-05-02"))
    assert "no cadence step called 'party'" in fake.texts()[-1]


async def test_a_participant_may_not_pause_or_see_deliveries(bot: Any, connector: Any) -> None:
    fake, url = connector
    await bot.post("/api/messages", json=say(url, "29:odense", "cadence pause"))
    assert "Only the facilitator or the secretariat" in fake.texts()[-1]
    await bot.post("/api/messages", json=say(url, "29:odense", "deliveries"))
    assert "Only the facilitator or the secretariat can see deliveries" in fake.texts()[-1]


async def test_a_participant_moving_a_step_is_told_moving_a_step_is_for_organisers(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await bot.post("/api/messages", json=say(url, "29:odense", "cadence move agenda 2 2024-05-02"))

    refusal = fake.texts()[-1]
    assert "Only the facilitator or the secretariat can move a step of the cadence" in refusal
    assert "pause" not in refusal


async def test_the_facilitator_pauses_and_resumes_the_cadence(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence pause"))
    assert fake.texts()[-1].startswith("Paused")
    async with uow_factory() as uow:
        assert await uow.cadence.due(datetime(2030, 1, 1, tzinfo=UTC)) == []
    await bot.post("/api/messages", json=say(url, "29:fac", "cadence resume"))
    assert fake.texts()[-1].startswith("Resumed")
