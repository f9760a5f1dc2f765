"""Sparring pairs over HTTP: the commands and the "did you meet?" card, real activities."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from netpuls.wiring import RUNNER
from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support.activities import card_invoke as invoke
from tests.support.activities import card_submit as submit
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel
from tests.support.http import post_activity as post
from tests.test_services_pairs import SLUG, TOWNS, pairs_network

EMAILS = {"29:fac": "facilitator@example.org"} | {
    f"29:{t}": f"planner.{t}@example.org" for t in TOWNS
}


@pytest.fixture
async def bot(start_bot: BotStarter) -> TestClient[Any, Any]:
    return await start_bot(EMAILS, network=pairs_network())


def who(url: str, user: str, *, channel: bool = False) -> dict[str, Any]:
    make = act.channel if channel else act.personal
    return make(url, user_id=user, aad=None, name=EMAILS[user])


async def said(bot: Any, fake: Any, where: dict[str, Any], text: str, **kw: Any) -> str:
    await post(bot, act.message(where, text, **kw))
    return str(fake.sent[-1].activity.get("text") or "")


async def test_the_facilitator_pairs_now_and_a_member_sees_the_partner(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    channel = who(url, "29:fac", channel=True)
    await link_channel(bot, channel, SLUG)
    odense = who(url, "29:odense")
    refused = await said(bot, fake, odense, "pairs now")
    assert "Only the facilitator or the secretariat" in refused
    assert await said(bot, fake, channel, "pairs now", mention=True) == (
        "Made a round of 2 sparring groups."
    )
    again = await said(bot, fake, channel, "pairs now", mention=True)
    assert "already has a round of pairs today" in again
    mine = await said(bot, fake, odense, "pairs")
    async with uow_factory() as uow:
        (made,) = await uow.pairs.rounds(SLUG)
    group = next(g for g in made.groups if "odense" in g.members)
    partners = [f"{k.title()} Kommune" for k in group.members if k != "odense"]
    assert "You meet: " + ", ".join(partners) + "." in mine
    paused = await said(bot, fake, odense, "par pausér 2", locale="da-DK")
    assert paused.startswith("Odense Kommune holder pause fra sparringspar indtil")
    bad = await said(bot, fake, odense, "pairs pause many")
    assert bad.startswith("Write the number of weeks to pause")
    async with uow_factory() as uow:
        prefs = await uow.pairs.preferences(SLUG)
    assert set(prefs) == {"odense"} and prefs["odense"].paused_until is not None


async def test_a_member_answers_the_card_and_others_are_refused(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    channel = who(url, "29:fac", channel=True)
    await link_channel(bot, channel, SLUG)
    await post(bot, act.message(channel, "pairs now", mention=True))
    async with uow_factory() as uow:
        (made,) = await uow.pairs.rounds(SLUG)
    group = next(g for g in made.groups if "odense" in g.members)
    stranger = next(k for k in TOWNS if k not in group.members)
    status, body = await post(
        bot, invoke(who(url, "29:odense"), "pair_met", {"group": str(group.id), "met": "yes"})
    )
    assert status == 200 and body["statusCode"] == 200
    assert body["value"]["body"][0]["text"] == "Thank you: you met. It counts for both of you."
    _, refused = await post(
        bot, invoke(who(url, f"29:{stranger}"), "pair_met", {"group": str(group.id), "met": "no"})
    )
    assert refused["statusCode"] == 400
    assert refused["value"]["message"] == "Only the municipalities of this pair can answer."
    await post(
        bot,
        submit(who(url, "29:odense"), {"verb": "pair_met", "group": str(group.id), "met": "no"}),
    )
    async with uow_factory() as uow:
        assert await uow.pairs.answers(made.id) == {(group.id, "odense"): False}


async def test_each_group_is_posted_with_mentions_and_asked_a_week_later(
    bot: Any, connector: Any, uow_factory: Any, clock: FixedClock
) -> None:
    fake, url = connector
    channel = who(url, "29:fac", channel=True)
    await link_channel(bot, channel, SLUG)
    odense = who(url, "29:odense")
    await post(bot, act.message(odense, "pairs"))  # Odense is known to Teams, with a chat
    await post(bot, act.message(channel, "pairs now", mention=True))
    before = len(fake.sent)
    await bot.app[RUNNER].run_outbox()
    posts = fake.sent[before:]
    assert len(posts) == 2 and {p.conversation_id for p in posts} == {act.TEAM_ID}
    texts = [p.activity["text"] for p in posts]
    assert all("30 minutter" in t for t in texts)  # the network speaks Danish
    entities = [e for p in posts for e in p.activity.get("entities") or []]
    assert entities == [
        {
            "type": "mention",
            "text": "<at>Planlægger Odense</at>",
            "mentioned": {"id": "29:odense", "name": "Planlægger Odense"},
        }
    ]
    assert sum("<at>Planlægger Odense</at>" in t for t in texts) == 1
    await bot.app[RUNNER].run_pairs()
    assert len(fake.sent) == before + 2  # not a week yet: nothing asked
    clock.current += timedelta(days=7, hours=1)
    await bot.app[RUNNER].run_pairs()
    await bot.app[RUNNER].run_pairs()  # once only
    asked = fake.sent[before + 2 :]
    where = sorted(p.conversation_id for p in asked)
    # Odense has a chat; the other contacts never wrote: the bot opened chats with them.
    assert "a:personal-29:odense" in where and act.TEAM_ID not in where
    assert all(w == "a:personal-29:odense" or w.startswith("a:created-") for w in where)
    assert len(where) == len(set(where)) >= 2
    card = asked[0].activity["attachments"][0]["content"]
    assert card["body"][0]["text"] == "Mødtes I til jeres sparringsopkald?"
