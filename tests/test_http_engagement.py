"""`engagement` and the digest over HTTP: real activities, a fake Connector, a seeded history."""

from __future__ import annotations

import base64
import csv
import io
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from netpuls.wiring import RUNNER
from services import cadence
from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.engagement import NOW, seed_history
from tests.support.http import link_channel
from tests.support.http import post_activity as post
from tests.support.sparring import EMAILS
from tests.test_storage_engagement import MONDAY_AFTER_WEEK_18


@pytest.fixture
async def bot(start_bot: BotStarter, uow_factory: Any, clock: FixedClock) -> TestClient[Any, Any]:
    await seed_history(uow_factory)
    await cadence.sync_all(uow_factory)
    clock.current = NOW
    return await start_bot(EMAILS, engagement_quiet_days=30)


def who(url: str, user: str, *, channel: bool = False) -> dict[str, Any]:
    make = act.channel if channel else act.personal
    return make(url, user_id=user, aad=None, name=EMAILS[user])


def card_of(sent: Any) -> dict[str, Any]:
    return sent.activity["attachments"][0]["content"]  # type: ignore[no-any-return]


async def test_the_facilitator_sees_every_municipality_with_the_quiet_highlighted(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:fac"), "engagement"))
    card = card_of(fake.sent[-1])
    assert card["body"][0]["text"] == "Engagement in Kompakte, grønne byer"
    assert card["body"][2]["text"] == (
        "Quiet for more than 30 days: Køge Kommune, Svendborg Kommune"
    )
    assert card["body"][3]["type"] == "Image"  # the overview: activity per month
    listed = {c["items"][0]["text"]: c["items"][1]["text"] for c in card["body"][4:-1]}
    assert list(listed) == ["Køge Kommune", "Odense Kommune", "Svendborg Kommune"]
    assert listed["Odense Kommune"].startswith(
        "RSVPs answered 2 · Meetings attended 2 · Cases submitted 1 · Material shared 1"
    )
    assert card["actions"][0]["title"] == "Download CSV"


async def test_participants_and_strangers_are_refused_in_their_language(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:odense"), "engagement csv"))
    assert fake.texts()[-1] == (
        "Only the facilitator or the secretariat can see the network's engagement."
    )
    await post(bot, act.message(who(url, "29:koege"), "aktivitet", locale="da-DK"))
    assert fake.texts()[-1] == "Kun facilitatoren eller sekretariatet kan se netværkets engagement."
    assert not [s for s in fake.sent if s.activity.get("attachments")]


async def test_the_csv_link_downloads_the_counts_and_a_forged_link_does_not(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:sec"), "engagement csv"))
    reply = fake.texts()[-1]
    assert reply.startswith("Download the engagement of Kompakte, grønne byer as [CSV](")
    link = urlsplit(reply.split("](", 1)[1].split(")", 1)[0])
    response = await bot.get(f"{link.path}?{link.query}")
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    text = await response.text()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Køge Kommune"][1:5] == ["2", "0", "1", "1"]
    assert by_name["Køge Kommune"][-1] == "Ja"
    forged = await bot.get(f"{link.path}?{link.query.replace('sig=', 'sig=0')}")
    assert forged.status == 403
    other = await bot.get(f"/exports/atlantis/engagement.csv?{link.query}")
    assert other.status == 403  # the signature covers the network


async def test_the_chart_arrives_as_a_png_inside_a_card(bot: Any, connector: Any) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:fac"), "engagement chart"))
    card = card_of(fake.sent[-1])
    image = next(b for b in card["body"] if b["type"] == "Image")
    png = base64.b64decode(image["url"].removeprefix("data:image/png;base64,"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 100_000
    totals = {f["title"]: f["value"] for f in card["body"][-1]["facts"]}
    assert totals["RSVPs answered"] == "4" and totals["Meetings attended"] == "2"
    await post(bot, act.message(who(url, "29:fac"), "engagement pie"))
    assert fake.texts()[-1] == "Write engagement, engagement csv or engagement chart."


async def test_the_weekly_digest_reaches_the_linked_channel_once(
    bot: Any, connector: Any, clock: FixedClock
) -> None:
    fake, url = connector
    channel = who(url, "29:fac", channel=True)
    await link_channel(bot, channel)
    clock.current = MONDAY_AFTER_WEEK_18
    before = len(fake.sent)
    await bot.app[RUNNER].run_digest()
    await bot.app[RUNNER].run_digest()
    clock.current += timedelta(hours=1)
    await bot.app[RUNNER].run_digest()
    digests = [card_of(s) for s in fake.sent[before:] if s.activity.get("attachments")]
    assert len(digests) == 1
    body = digests[0]["body"]
    assert body[0]["text"] == "Det skete i Kompakte, grønne byer"  # the network's language
    assert body[1]["text"] == "Uge 18, 2024"
    assert "[koege-link](https://example.org/koege-link)" in body[3]["text"]


async def test_engagement_asked_in_the_channel_goes_to_the_organisers_personal_chat(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    channel = who(url, "29:fac", channel=True)
    await link_channel(bot, channel)
    await post(bot, act.message(who(url, "29:fac"), "help"))  # the personal chat exists
    await post(bot, act.message(channel, "engagement", mention=True))
    mine = who(url, "29:fac")["conversation"]["id"]
    (card,) = [
        card_of(s) for s in fake.sent if s.conversation_id == mine and s.activity.get("attachments")
    ]
    assert card["body"][0]["text"] == "Engagement in Kompakte, grønne byer"
    in_channel = [
        s for s in fake.sent if s.conversation_id.startswith(channel["conversation"]["id"])
    ]
    assert not [s for s in in_channel if s.activity.get("attachments")]
    assert "I sent you the rest" in in_channel[-1].activity["text"]
