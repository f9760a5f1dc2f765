"""Seats, the welcome and its calendar over HTTP: commands, the outbox, a signed .ics link."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient
from icalendar import Calendar

from netpuls.wiring import RUNNER
from services.network_file import parse_network_file
from services.networks import import_network
from tests.conftest import EXAMPLES, FixedClock
from tests.support import activities as act
from tests.support import applications as ex
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel, post_activity

PEOPLE = {
    "29:sek": ex.PLAN22_SECRETARIAT,
    "29:koege": "planlaegger.koege@example.org",
    "29:roskilde": "planlaegger.roskilde@example.org",
    "29:kim": "kim.kollega@example.org",
    "29:esbjerg": "someone.esbjerg@example.org",
    "29:randers": "someone.randers@example.org",
}
post = post_activity


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(ex.PLAN22_NOW)


@pytest.fixture
async def bot(start_bot: BotStarter) -> TestClient[Any, Any]:
    return await start_bot(PEOPLE, network=ex.plan22())


def who(url: str, user: str) -> dict[str, Any]:
    return act.personal(url, user_id=user, aad=None, name=PEOPLE[user])


def card_of(sent: Any) -> dict[str, Any]:
    return dict(sent.activity["attachments"][0]["content"])


def texts(card: dict[str, Any]) -> str:
    return str(card)


async def test_the_contact_adds_a_colleague_and_others_are_told_who_can(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:koege"), "seat"))
    shown = card_of(fake.sent[-1])
    assert shown["body"][0]["text"] == "Køge Kommune's seat in Kompakte, grønne byer"
    await post(
        bot, act.message(who(url, "29:koege"), "plads tilføj Kim.Kollega@example.org Kim Kollega")
    )
    changed = card_of(fake.sent[-1])
    assert changed["body"][0]["text"] == "Kim Kollega now shares Køge Kommune's seat."
    assert "kim.kollega@example.org" in texts(changed)
    async with uow_factory() as uow:
        kim = await uow.people.find(email="kim.kollega@example.org")
    assert kim is not None and kim.municipality == "koege"
    await post(
        bot, act.message(who(url, "29:roskilde"), "seat Køge remove kim.kollega@example.org")
    )
    assert fake.texts()[-1] == (
        "Only Planlægger, Køge (who holds Køge Kommune's seat), the secretariat or the "
        "facilitator can change the seat."
    )
    await post(bot, act.message(who(url, "29:koege"), "seat usual kim.kollega@example.org"))
    assert card_of(fake.sent[-1])["body"][0]["text"] == (
        "Kim Kollega usually attends for Køge Kommune."
    )
    await post(bot, act.message(who(url, "29:koege"), "seat remove planlaegger.koege@example.org"))
    assert "is the last holder of Køge Kommune's seat" in fake.texts()[-1]
    await post(bot, act.message(who(url, "29:sek"), "seat Køge Kommune add not-an-address"))
    assert "'not-an-address' is not an e-mail address" in fake.texts()[-1]


async def test_welcome_shows_meetings_themes_commands_and_a_calendar_of_every_meeting(
    bot: Any, connector: Any, clock: FixedClock
) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:koege"), "welcome"))
    card = card_of(fake.sent[-1])
    assert card["body"][0]["text"] == "Welcome to Kompakte, grønne byer"
    assert "Køge Kommune holds a seat in the network." in texts(card)
    assert "help" in texts(card) and "seat" in texts(card) and "next" in texts(card)
    (link,) = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    parts = urlsplit(link["url"])
    response = await bot.get(f"{parts.path}?{parts.query}")
    assert response.status == 200 and response.content_type == "text/calendar"
    events = Calendar.from_ical(await response.read()).walk("VEVENT")
    assert len(events) == 9  # eight meetings and the study trip
    assert {str(e["uid"]) for e in events} == {f"{ex.PLAN22}-{n}@netpuls" for n in range(1, 10)}
    other = "1" if parts.query[-1] != "1" else "2"  # a signature that differs, whatever it was
    forged = await bot.get(f"{parts.path}?{parts.query[:-1]}{other}")
    assert forged.status == 403
    await post(bot, act.message(who(url, "29:kim"), "welcome"))
    assert "Only members of Kompakte, grønne byer get the welcome" in fake.texts()[-1]


def apply_data(**changes: Any) -> dict[str, Any]:
    return {"network": ex.PLAN22, "base": "", **ex.form(**changes)}


async def test_admitted_applicants_get_the_welcome_card_once_in_their_language(
    bot: Any, connector: Any, clock: FixedClock
) -> None:
    fake, url = connector
    for user in PEOPLE:
        await post(bot, act.installed(who(url, user)))
    await post(bot, act.message(who(url, "29:randers"), "language sv"))
    await post(bot, act.message(who(url, "29:sek"), "call open 2024-02-24"))
    await post(bot, act.card_invoke(who(url, "29:esbjerg"), "apply", apply_data()))
    randers = apply_data(municipality="Randers Kommune", region="Region Midtjylland")
    await post(bot, act.card_invoke(who(url, "29:randers"), "apply", {**randers, "themes": "2"}))
    clock.current = datetime(2024, 2, 26, 9, tzinfo=UTC)
    await post(bot, act.message(who(url, "29:sek"), "selection 2"))
    (confirm,) = [
        a for a in card_of(fake.sent[-1])["actions"] if a.get("verb") == "confirm_selection"
    ]
    await post(bot, act.card_invoke(who(url, "29:sek"), "confirm_selection", confirm["data"]))
    await post(bot, act.card_invoke(who(url, "29:sek"), "confirm_selection", confirm["data"]))
    before = len(fake.sent)
    await bot.app[RUNNER].run_outbox()
    await bot.app[RUNNER].run_outbox()
    welcomes = {s.conversation_id: card_of(s) for s in fake.sent[before:]}
    assert set(welcomes) == {"a:personal-29:esbjerg", "a:personal-29:randers"}
    assert welcomes["a:personal-29:esbjerg"]["body"][0]["text"] == (
        "Velkommen til Kompakte, grønne byer"
    )
    swedish = welcomes["a:personal-29:randers"]
    assert swedish["body"][0]["text"] == "Välkommen till Kompakte, grønne byer"
    assert "plats" in texts(swedish) and "Lägg till alla möten i din kalender" in texts(swedish)


async def test_a_call_declared_in_the_network_file_is_posted_in_the_channel_once(
    start_bot: BotStarter, uow_factory: Any, connector: Any
) -> None:
    text = (EXAMPLES / "plan22-kompakte-groenne-byer.yaml").read_text("utf-8")
    declared = text.replace(
        "registration_deadline: 2024-02-24", "call: {opens: 2024-01-15, deadline: 2024-02-24}"
    )
    assert declared != text
    await import_network(
        uow_factory(), parse_network_file(declared, name="plan22.yaml", today=date(2024, 1, 1))
    )
    fake, url = connector
    fake.members["29:sek"] = {"id": "29:sek", "name": "sek", "email": ex.PLAN22_SECRETARIAT}
    clock = FixedClock(datetime(2024, 1, 10, 12, tzinfo=UTC))
    bot = await start_bot({}, clock=clock)
    channel = act.channel(url, user_id="29:sek", aad=None, name=ex.PLAN22_SECRETARIAT)
    await link_channel(bot, channel)
    await bot.app[RUNNER].run_steps()
    assert [s for s in fake.sent if "ansøgninger" in s.activity.get("text", "")] == []
    clock.current = datetime(2024, 1, 15, 8, 0, tzinfo=UTC)  # 09:00 in Copenhagen
    await bot.app[RUNNER].run_steps()
    await bot.app[RUNNER].run_steps()  # the next tick, or another replica
    posted = [s for s in fake.sent if "tager imod ansøgninger" in s.activity.get("text", "")]
    assert len(posted) == 1 and posted[0].conversation_id == act.TEAM_ID
    assert "ansøg kompakte-groenne-byer" in posted[0].activity["text"]
