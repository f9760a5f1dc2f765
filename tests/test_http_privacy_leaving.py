"""A municipality leaving: the secretariat erases its people from a card, after confirming;
anyone else is refused in their language and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services import privacy
from tests.support import activities as act
from tests.support.activities import card_invoke as invoke
from tests.support.bot_app import BotStarter
from tests.support.http import post_activity as post
from tests.support.privacy import DIET, EMAIL, NAME, TEAMS_ID, dump, privacy_bot
from tests.support.sparring import SLUG

HOST_EMAIL = "host.odense@example.org"
CONFIRM = "privacy_leave_confirm"
LEAVING = {"network": SLUG, "municipality": "odense"}


@pytest.fixture
async def bot(start_bot: BotStarter, uow_factory: Any) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = await privacy_bot(start_bot, uow_factory)
    return client


def secretariat(url: str) -> dict[str, Any]:
    return act.personal(url, user_id="29:sec", aad=None, name="Sekretariatet")


def planner(url: str) -> dict[str, Any]:
    return act.personal(url, user_id=TEAMS_ID, aad=None, name=NAME)


async def test_the_secretariat_confirms_and_the_municipalitys_people_are_erased(
    bot: Any, connector: Any, engine: AsyncEngine, uow_factory: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(secretariat(url), "privacy Odense Kommune"))
    card = fake.sent[-1].activity["attachments"][0]["content"]
    (action,) = card["actions"]
    assert (action["verb"], action["data"]) == (CONFIRM, LEAVING)
    assert "2 people take part for Odense Kommune" in str(card)
    assert EMAIL in await dump(engine)  # asking changes nothing

    status, done = await post(bot, invoke(secretariat(url), CONFIRM, action["data"]))

    assert status == 200 and done["statusCode"] == 200
    assert "The people of Odense Kommune" in str(done["value"])
    everything = await dump(engine)
    gone = (EMAIL, HOST_EMAIL, NAME.casefold(), "vært odense", DIET.casefold())
    assert [v for v in gone if v in everything] == []
    assert "planner.koege@example.org" in everything
    async with uow_factory() as uow:
        trail = await uow.audit.entries(SLUG)
    (entry,) = [e for e in trail if e.action == privacy.ERASE_MUNICIPALITY]
    assert entry.actor == "secretariat@example.org" and entry.subject.startswith("odense ")


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [
        ("da-DK", "Kun sekretariatet for Kompakte, grønne byer kan gøre det."),
        ("sv-SE", "Endast kansliet för Kompakte, grønne byer kan göra det."),
    ],
)
async def test_anyone_else_is_refused_in_their_language_and_nothing_is_erased(
    bot: Any, connector: Any, engine: AsyncEngine, locale: str, refusal: str
) -> None:
    fake, url = connector
    await post(bot, act.message(planner(url), "privatliv odense", locale=locale))
    assert fake.sent[-1].activity["text"] == refusal
    clicked = invoke(planner(url), CONFIRM, LEAVING)
    clicked["locale"] = locale
    status, body = await post(bot, clicked)
    assert status == 200 and body["value"]["message"] == refusal
    everything = await dump(engine)
    assert EMAIL in everything and HOST_EMAIL in everything


async def test_a_municipality_the_network_does_not_have_is_named_in_the_refusal(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(secretariat(url), "privacy Atlantis"))
    assert fake.sent[-1].activity["text"] == (
        "Kompakte, grønne byer has no municipality called 'Atlantis'."
    )
    status, body = await post(bot, invoke(secretariat(url), CONFIRM, {"network": 7}))
    assert status == 200 and body["statusCode"] == 400
