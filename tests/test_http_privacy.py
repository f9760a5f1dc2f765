"""`privacy` over HTTP: the card in personal chat, the signed export link, erasure confirmed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support.activities import card_invoke as invoke
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel
from tests.support.http import post_activity as post
from tests.support.privacy import DIET, EMAIL, NAME, TEAMS_ID, dump, privacy_bot


@pytest.fixture
async def bot(start_bot: BotStarter, uow_factory: Any) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = await privacy_bot(start_bot, uow_factory)
    return client


def odense(url: str) -> dict[str, Any]:
    return act.personal(url, user_id=TEAMS_ID, aad=None, name=NAME)


async def privacy_card(
    bot: Any, fake: Any, where: dict[str, Any], text: str, **kw: Any
) -> dict[str, Any]:
    await post(bot, act.message(where, text, **kw))
    content: dict[str, Any] = fake.sent[-1].activity["attachments"][0]["content"]
    return content


def export_url(card: dict[str, Any]) -> str:
    (url,) = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_the_card_lists_what_is_held_and_its_link_exports_it_for_an_hour(
    bot: Any, connector: Any, clock: FixedClock
) -> None:
    fake, url = connector
    card = await privacy_card(bot, fake, odense(url), "privacy")
    facts = {
        f["title"]: f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]
    }
    assert facts["Your answers to meetings, with dietary needs and notes"] == "1"
    link = export_url(card)
    response = await bot.get(link)
    assert response.status == 200
    document = await response.json()
    assert [r["dietary"] for r in document["tables"]["rsvps"]] == [DIET]
    assert (await bot.get(link.replace("sig=", "sig=0"))).status == 403
    clock.current += timedelta(hours=1, minutes=1)
    assert (await bot.get(link)).status == 403


async def test_the_danish_and_swedish_names_show_the_card_in_their_language(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    danish = await privacy_card(bot, fake, odense(url), "privatliv", locale="da-DK")
    assert danish["body"][0]["text"] == "Hvad netpuls har om dig"
    swedish = await privacy_card(bot, fake, odense(url), "integritet", locale="sv-SE")
    assert swedish["body"][0]["text"] == "Vad netpuls har om dig"


async def test_asked_in_the_channel_the_card_goes_to_the_personal_chat(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(odense(url), "help"))  # the personal chat is known
    channel = act.channel(url, user_id=TEAMS_ID, aad=None, name=NAME)
    await link_channel(bot, channel)
    before = len(fake.sent)
    await post(bot, act.message(channel, "privacy", mention=True))
    where = {p.conversation_id: p.activity for p in fake.sent[before:]}
    assert "attachments" in where[f"a:personal-{TEAMS_ID}"]
    # The channel gets a reply in the message's thread (`<channel>;messageid=<post>`), no card.
    [in_channel] = [a for c, a in where.items() if c.startswith(act.TEAM_ID)]
    assert not in_channel.get("attachments")


async def test_erasure_is_confirmed_first_and_then_leaves_no_trace(
    bot: Any, connector: Any, engine: AsyncEngine
) -> None:
    _, url = connector
    await post(bot, act.message(odense(url), "privacy"))
    status, asked = await post(bot, invoke(odense(url), "privacy_erase", {}))
    assert status == 200
    verbs = [a.get("verb") for a in asked["value"]["actions"]]
    assert "privacy_erase_confirm" in verbs
    assert EMAIL in await dump(engine)
    status, done = await post(bot, invoke(odense(url), "privacy_erase_confirm", {}))
    assert status == 200 and done["statusCode"] == 200
    everything = await dump(engine)
    assert EMAIL not in everything and DIET.casefold() not in everything
    assert NAME.casefold() not in everything
