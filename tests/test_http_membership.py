"""Applying and selecting over HTTP: commands, real invokes, Submit fallbacks, a fake Connector."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support import applications as ex
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel, post_activity
from tests.test_cards import nodes

PEOPLE = {
    "29:sek": ex.PLAN22_SECRETARIAT,
    "29:esbjerg": "someone.esbjerg@example.org",
    "29:esbjerg-2": "other.esbjerg@example.org",
    "29:randers": "someone.randers@example.org",
}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(ex.PLAN22_NOW)


@pytest.fixture
async def bot(start_bot: BotStarter) -> TestClient[Any, Any]:
    # The outbox is driven by hand: the welcome cards it holds arrive only when a test says so.
    return await start_bot(PEOPLE, network=ex.plan22(), scheduler_enabled=False)


post = post_activity


def who(url: str, user: str) -> dict[str, Any]:
    return act.personal(url, user_id=user, aad=None, name=PEOPLE[user])


invoke = act.card_invoke


def apply_data(**changes: Any) -> dict[str, Any]:
    return {"network": ex.PLAN22, "base": "", **ex.form(**changes)}


def notice(body: dict[str, Any]) -> str:
    return str(body["value"]["body"][0]["text"])


async def opened(bot: Any, url: str) -> None:
    for user in PEOPLE:
        await post(bot, act.installed(who(url, user)))
    await post(bot, act.message(who(url, "29:sek"), "call open 2024-02-24"))


async def versions(uow_factory: Any, key: str = "esbjerg") -> int:
    async with uow_factory() as uow:
        return len(await uow.membership.versions(ex.PLAN22, key))


async def test_apply_posts_the_form_in_the_networks_language(bot: Any, connector: Any) -> None:
    fake, url = connector
    await opened(bot, url)
    assert "open until" in fake.texts()[-1]
    await post(bot, act.message(who(url, "29:esbjerg"), "apply kompakte-groenne-byer"))
    card = fake.sent[-1].activity["attachments"][0]["content"]
    inputs = {n["id"]: n for n in nodes(card) if str(n.get("type", "")).startswith("Input.")}
    assert inputs["interest"]["isMultiline"] is True and "400" in inputs["interest"]["label"]
    assert inputs["themes"]["isMultiSelect"] is True and len(inputs["themes"]["choices"]) == 8
    assert card["body"][0]["text"].startswith("Ansøg om at komme med i Kompakte, grønne byer")
    (send,) = [n for n in card["actions"] if n["type"] == "Action.Execute"]
    assert send["verb"] == "apply" and send["fallback"]["type"] == "Action.Submit"


async def test_an_application_is_saved_and_a_duplicate_needs_confirming(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    await opened(bot, url)
    status, body = await post(bot, invoke(who(url, "29:esbjerg"), "apply", apply_data()))
    assert status == 200 and body["statusCode"] == 200
    assert "version 1" in notice(body) and "Esbjerg Kommune" in notice(body)
    _, duplicate = await post(bot, invoke(who(url, "29:esbjerg-2"), "apply", apply_data()))
    assert "Esbjerg Kommune" in notice(duplicate) and await versions(uow_factory) == 1
    replace = [a for a in duplicate["value"]["actions"] if a["data"].get("replace") == "true"]
    assert len(replace) == 1
    typed = {n["id"]: n.get("value") for n in nodes(duplicate["value"]) if "id" in n}
    assert typed["email"] == "planchef.esbjerg@example.org"  # what was typed is kept
    _, replaced = await post(
        bot, invoke(who(url, "29:esbjerg-2"), "apply", {**apply_data(), "replace": "true"})
    )
    assert "version 2" in notice(replaced) and await versions(uow_factory) == 2


async def test_over_400_words_is_refused_on_the_card_and_nothing_is_saved(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    await opened(bot, url)
    long = apply_data(interest=" ".join(["ord"] * 401))
    _, body = await post(bot, invoke(who(url, "29:esbjerg"), "apply", long))
    assert notice(body) == "Interessen fylder 401 ord; højst 400 er tilladt."
    assert await versions(uow_factory) == 0


async def test_a_late_application_is_refused_naming_the_deadline(
    bot: Any, connector: Any, clock: FixedClock, uow_factory: Any
) -> None:
    _, url = connector
    await opened(bot, url)
    clock.current = datetime(2024, 2, 26, 9, tzinfo=UTC)
    _, body = await post(bot, invoke(who(url, "29:esbjerg"), "apply", apply_data()))
    assert "24. februar 2024" in notice(body)
    assert await versions(uow_factory) == 0


async def test_the_submit_fallback_answers_with_the_card(bot: Any, connector: Any) -> None:
    fake, url = connector
    await opened(bot, url)
    activity = act.message(who(url, "29:esbjerg"), "")
    activity.update(text="", value={"verb": "apply", **apply_data()})
    await post(bot, activity)
    card = fake.sent[-1].activity["attachments"][0]["content"]
    assert "version 1" in card["body"][0]["text"]


async def test_the_secretariat_lists_selects_and_confirms_and_applicants_are_told(
    bot: Any, connector: Any, clock: FixedClock, uow_factory: Any
) -> None:
    fake, url = connector
    await opened(bot, url)
    await post(bot, invoke(who(url, "29:esbjerg"), "apply", apply_data()))
    randers = apply_data(municipality="Randers Kommune", region="Region Midtjylland")
    await post(bot, invoke(who(url, "29:randers"), "apply", {**randers, "themes": "2"}))
    await post(bot, act.message(who(url, "29:sek"), "applications"))
    listed = str(fake.sent[-1].activity["attachments"][0]["content"])
    assert "Esbjerg Kommune" in listed and "Randers Kommune" in listed
    await post(bot, act.message(who(url, "29:esbjerg"), "applications"))
    assert "Only the secretariat" in fake.texts()[-1]
    clock.current = datetime(2024, 2, 26, 9, tzinfo=UTC)
    await post(bot, act.message(who(url, "29:sek"), "selection 1"))
    card = fake.sent[-1].activity["attachments"][0]["content"]
    (confirm,) = [a for a in card["actions"] if a.get("verb") == "confirm_selection"]
    _, refused = await post(
        bot, invoke(who(url, "29:esbjerg"), "confirm_selection", confirm["data"])
    )
    assert refused["statusCode"] == 400
    _, done = await post(bot, invoke(who(url, "29:sek"), "confirm_selection", confirm["data"]))
    assert done["statusCode"] == 200 and "Selection confirmed" in str(done["value"])
    chosen = confirm["data"]["chosen"]
    told = {s.conversation_id: s.activity["text"] for s in fake.sent[-2:]}
    assert set(told) == {"a:personal-29:esbjerg", "a:personal-29:randers"}
    welcome = told[f"a:personal-29:{chosen}"]
    assert welcome.startswith("Velkommen til Kompakte, grønne byer")
    async with uow_factory() as uow:
        seats = {m.key: m.seat_status.value for m in await uow.networks.municipalities(ex.PLAN22)}
    other = "randers" if chosen == "esbjerg" else "esbjerg"
    assert (seats[chosen], seats[other]) == ("member", "declined")
    before = len(fake.sent)
    _, again = await post(bot, invoke(who(url, "29:sek"), "confirm_selection", confirm["data"]))
    assert "already been confirmed" in str(again["value"]) and len(fake.sent) == before


async def test_opening_the_call_is_announced_in_the_channel_and_apply_there_goes_personal(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    channel = act.channel(url, user_id="29:sek", aad=None, name=PEOPLE["29:sek"])
    await link_channel(bot, channel)
    await opened(bot, url)
    announced = [s for s in fake.sent if s.conversation_id == act.TEAM_ID][-1]
    assert announced.activity["text"].startswith(
        "Kompakte, grønne byer tager imod ansøgninger indtil"
    )
    assert "ansøg kompakte-groenne-byer" in announced.activity["text"]
    asker = act.channel(url, user_id="29:esbjerg", aad=None, name=PEOPLE["29:esbjerg"])
    await post(bot, act.message(asker, "apply", mention=True))
    form, reply = fake.sent[-2:]
    assert form.conversation_id == "a:personal-29:esbjerg" and form.activity["attachments"]
    assert reply.activity["text"] == "I sent you the application form in our personal chat."
