"""Agenda and RSVP over HTTP: real invokes and Action.Submit messages, a fake Bot Connector."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from netpuls.wiring import BACKGROUND
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel, post_activity
from tests.support.networks import small_network_with_colleague

KEY = "kompakte-groenne-byer:1"
PEOPLE = {
    "29:fac": "facilitator@example.org",
    "29:odense": "planner.odense@example.org",
    "29:odense-2": "colleague.odense@example.org",
    "29:x": "stranger@example.org",
}


@pytest.fixture
async def bot(start_bot: BotStarter) -> TestClient[Any, Any]:
    return await start_bot(PEOPLE, network=small_network_with_colleague(), scheduler_enabled=True)


post = post_activity
invoke = act.card_invoke
submit = act.card_submit


def who(url: str, user: str, *, channel: bool = False) -> dict[str, Any]:
    make = act.channel if channel else act.personal
    return make(url, user_id=user, aad=None, name=PEOPLE[user])


async def linked_channel_with_agenda(bot: Any, url: str) -> dict[str, Any]:
    where = who(url, "29:fac", channel=True)
    await link_channel(bot, where)
    await post(bot, act.message(where, "agenda 1", mention=True))
    return where


def texts_of(card: dict[str, Any]) -> str:
    return str(card)


async def test_the_facilitator_posts_the_agenda_once_and_a_repost_updates_it(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    where = await linked_channel_with_agenda(bot, url)
    cards = [s for s in fake.sent if s.activity.get("attachments")]
    assert len(cards) == 1 and cards[0].conversation_id == act.TEAM_ID
    assert "Netværksmøde 1" in str(cards[0].activity["attachments"][0]["content"])
    await post(bot, act.message(where, "agenda 1", mention=True))
    assert len([s for s in fake.sent if s.activity.get("attachments")]) == 1
    sent_ids = [f"sent-{i}" for i, s in enumerate(fake.sent, 1) if s.activity.get("attachments")]
    assert fake.updated and fake.updated[-1][1] == sent_ids[0]
    assert "Updated the agenda" in fake.texts()[-1]


async def test_a_participant_may_not_post_the_agenda(bot: Any, connector: Any) -> None:
    fake, url = connector
    where = who(url, "29:odense", channel=True)
    await post(bot, act.message(where, "agenda 1", mention=True))
    assert "Only the facilitator or the secretariat" in fake.texts()[-1]


async def test_an_rsvp_invoke_answers_with_the_readers_card_and_updates_the_posted_one(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await linked_channel_with_agenda(bot, url)
    status, body = await post(
        bot,
        invoke(
            who(url, "29:odense", channel=True),
            "rsvp",
            {"meeting": KEY, "answer": "attending", "dietary": "vegetarisk"},
        ),
    )
    assert status == 200 and body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    card = body["value"]
    assert card["body"][0]["text"] == "Thank you: you are attending."
    assert "vegetarisk" in str(card)
    shared = fake.updated[-1][2]["attachments"][0]["content"]
    assert "Odense Kommune" in str(shared) and "vegetarisk" not in str(shared)


async def test_after_an_answer_the_shared_update_lists_the_clicker_so_they_keep_their_own_view(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await linked_channel_with_agenda(bot, url)
    posted = next(s for s in fake.sent if s.activity.get("attachments"))
    assert posted.activity["attachments"][0]["content"]["refresh"]["userIds"] == ["29:fac"]
    odense = who(url, "29:odense", channel=True)
    _, body = await post(bot, invoke(odense, "rsvp", {"meeting": KEY, "answer": "attending"}))
    own = body["value"]
    assert "Your answer: Attending" in texts_of(own)
    assert own["refresh"]["userIds"] == ["29:fac", "29:odense"]
    await bot.app[BACKGROUND].drain()
    shared = fake.updated[-1][2]["attachments"][0]["content"]
    assert "Your answer" not in texts_of(shared)  # everyone's copy: no one's own answer
    assert shared["refresh"]["userIds"] == ["29:fac", "29:odense"]
    # The update makes the listed clients refresh by themselves: the clicker's is theirs again.
    automatic = invoke(odense, "refresh", {"meeting": KEY})
    automatic["value"]["trigger"] = "automatic"
    _, refreshed = await post(bot, automatic)
    assert "Your answer: Attending" in texts_of(refreshed["value"])


async def test_a_second_yes_from_the_same_municipality_shows_the_reason_on_the_card(
    bot: Any, connector: Any
) -> None:
    _, url = connector
    await post(bot, invoke(who(url, "29:odense"), "rsvp", {"meeting": KEY, "answer": "attending"}))
    _, body = await post(
        bot, invoke(who(url, "29:odense-2"), "rsvp", {"meeting": KEY, "answer": "attending"})
    )
    notice = body["value"]["body"][0]["text"]
    assert "planner.odense@example.org" not in notice
    assert "already has Odense Kommune's seat" in notice


@pytest.mark.parametrize(
    ("verb", "data"),
    [
        ("rsvp", {"meeting": "kompakte-groenne-byer:99", "answer": "attending"}),
        ("rsvp", {"meeting": "<script>", "answer": "attending"}),
        ("rsvp", {"answer": "attending"}),
        ("explode", {"meeting": KEY}),
    ],
)
async def test_a_forged_or_unknown_card_action_gets_an_error_response_and_writes_nothing(
    bot: Any, connector: Any, uow_factory: Any, verb: str, data: dict[str, Any]
) -> None:
    _, url = connector
    status, body = await post(bot, invoke(who(url, "29:odense"), verb, data))
    assert status == 200 and body["statusCode"] == 400
    assert body["type"] == "application/vnd.microsoft.error" and body["value"]["message"]
    async with uow_factory() as uow:
        assert await uow.rsvps.for_meeting("kompakte-groenne-byer", 1) == []


async def test_a_malformed_invoke_value_gets_an_error_response(bot: Any, connector: Any) -> None:
    _, url = connector
    activity = invoke(who(url, "29:odense"), "rsvp", {})
    activity["value"] = {"action": "not-an-object"}
    status, body = await post(bot, activity)
    assert status == 200 and body["statusCode"] == 400


async def test_someone_outside_the_network_is_refused_in_danish_and_sees_no_agenda(
    bot: Any, connector: Any
) -> None:
    _, url = connector
    activity = invoke(who(url, "29:x"), "rsvp", {"meeting": KEY, "answer": "attending"})
    activity["locale"] = "da-DK"
    response = await bot.post("/api/messages", json=activity)
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    raw = await response.read()
    assert "grønne".encode() in raw  # UTF-8 as it is, not escaped
    body = json.loads(raw)
    assert body["type"] == "application/vnd.microsoft.error"  # the reason, not the agenda card
    assert body["value"]["message"].startswith("Kun medlemmer af Kompakte, grønne byer")


async def test_a_refresh_by_someone_outside_the_network_gets_no_agenda_and_no_names(
    bot: Any, connector: Any
) -> None:
    _, url = connector
    await post(bot, invoke(who(url, "29:odense"), "rsvp", {"meeting": KEY, "answer": "attending"}))
    status, body = await post(bot, invoke(who(url, "29:x"), "refresh", {"meeting": KEY}))
    assert status == 200 and body["statusCode"] == 400
    assert body["type"] == "application/vnd.microsoft.error"
    assert "Planner" not in json.dumps(body) and "Odense" not in json.dumps(body)


async def test_the_submit_fallback_records_the_answer_and_replies_with_the_outcome(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    await post(
        bot, submit(who(url, "29:odense"), {"verb": "rsvp", "meeting": KEY, "answer": "maybe"})
    )
    assert fake.texts()[-1] == "Thank you: you might attend."
    async with uow_factory() as uow:
        (answer,) = await uow.rsvps.for_meeting("kompakte-groenne-byer", 1)
    assert answer.answer.value == "maybe"


async def test_attendees_are_shown_to_the_facilitator_with_dietary_needs_and_a_csv(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(
        bot,
        invoke(
            who(url, "29:odense"),
            "rsvp",
            {"meeting": KEY, "answer": "attending", "dietary": "glutenfri"},
        ),
    )
    _, refused = await post(bot, invoke(who(url, "29:odense"), "attendees", {"meeting": KEY}))
    assert "Only the facilitator" in refused["value"]["body"][0]["text"]
    await post(bot, act.message(who(url, "29:fac"), "attendees 1"))
    card = fake.sent[-1].activity["attachments"][0]["content"]
    assert "glutenfri" in str(card) and "Køge Kommune" in str(card)
    csv_url = next(a["url"] for a in card.get("actions", []) if a["type"] == "Action.OpenUrl")
    link = urlsplit(csv_url)
    response = await bot.get(f"{link.path}?{link.query}")
    assert response.status == 200
    text = await response.text()
    assert text.startswith("\ufeff")  # Danish Excel: UTF-8 with BOM, ';' between cells
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Kommune", "Person", "Svar", "Pladsstatus", "Kosthensyn", "Bemærkning"]
    assert ["Køge Kommune", "", "Intet svar", "", "", ""] in rows
    odense = next(r for r in rows if r[0] == "Odense Kommune")
    assert odense[2:5] == ["Deltager", "Bekræftet", "glutenfri"]
    forged = await bot.get(f"{link.path}?{link.query.replace('sig=', 'sig=0')}")
    assert forged.status == 403


async def test_the_calendar_link_on_the_card_serves_the_meeting_as_ics(
    bot: Any, connector: Any
) -> None:
    _, url = connector
    _, body = await post(bot, invoke(who(url, "29:odense"), "refresh", {"meeting": KEY}))
    sets = [e["actions"] for e in body["value"]["body"] if e["type"] == "ActionSet"]
    ics_url = next(a["url"] for s in sets for a in s if a["title"] == "Add to calendar")
    link = urlsplit(ics_url)
    response = await bot.get(f"{link.path}?{link.query}")
    assert response.status == 200 and response.content_type == "text/calendar"
    ics = await response.text()
    assert "DTSTART;TZID=Europe/Copenhagen:20240314T100000" in ics
    assert "UID:kompakte-groenne-byer-1@netpuls" in ics


async def test_a_slow_card_update_never_leaves_the_channel_card_older_than_the_last_answer(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    where = await linked_channel_with_agenda(bot, url)
    odense = who(url, "29:odense", channel=True)
    fake.update_delays = [0.3]  # the first click's card update is answered slowly
    first = await bot.post(
        "/api/messages", json=invoke(odense, "rsvp", {"meeting": KEY, "answer": "attending"})
    )
    await asyncio.sleep(0.05)
    second = await bot.post(
        "/api/messages", json=invoke(odense, "rsvp", {"meeting": KEY, "answer": "not_attending"})
    )
    assert first.status == second.status == 200
    await bot.app[BACKGROUND].drain()
    await asyncio.sleep(0.4)
    await bot.app[BACKGROUND].drain()
    last_after_clicks = fake.updated[-1][2]["attachments"]
    await post(bot, act.message(where, "agenda 1", mention=True))  # the card as it should be
    assert last_after_clicks == fake.updated[-1][2]["attachments"]


async def test_a_click_on_a_meeting_whose_card_is_posted_nowhere_starts_no_background_work(
    bot: Any, connector: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, url = connector
    spawned: list[str] = []
    background = bot.app[BACKGROUND]
    spawn = background.spawn

    def counting(work: Any, *, name: str) -> None:
        spawned.append(name)
        spawn(work, name=name)

    monkeypatch.setattr(background, "spawn", counting)
    odense = who(url, "29:odense")
    status, body = await post(bot, invoke(odense, "rsvp", {"meeting": KEY, "answer": "attending"}))
    assert status == 200 and body["value"]["body"][0]["text"] == "Thank you: you are attending."
    assert [s for s in spawned if s.startswith("rsvp:")] == []
    await linked_channel_with_agenda(bot, url)  # now a copy is posted in the channel
    updates = len(fake.updated)
    await post(bot, invoke(odense, "rsvp", {"meeting": KEY, "answer": "not_attending"}))
    await background.drain()
    assert [s for s in spawned if s.startswith("rsvp:")] == [f"rsvp:{KEY}"]
    assert len(fake.updated) == updates + 1


async def test_colleagues_clicking_at_the_same_moment_get_one_seat_and_each_their_own_card(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    await linked_channel_with_agenda(bot, url)
    places = [who(url, user) for user in ("29:odense", "29:odense-2")]
    clicks = [invoke(place, "rsvp", {"meeting": KEY, "answer": "attending"}) for place in places]
    answers = await asyncio.gather(*(post(bot, click) for click in clicks))
    notices = [body["value"]["body"][0]["text"] for _, body in answers]
    assert [status for status, _ in answers] == [200, 200]
    assert "Thank you: you are attending." in notices
    assert any("already has Odense Kommune's seat" in notice for notice in notices)
    async with uow_factory() as uow:
        stored = await uow.rsvps.for_meeting("kompakte-groenne-byer", 1)
    assert [r.answer.value for r in stored] == ["attending"]
    # Each reader's card is the one a refresh shows them now, with their notice on top.
    for place, (_, body) in zip(places, answers, strict=True):
        _, refreshed = await post(bot, invoke(place, "refresh", {"meeting": KEY}))
        assert body["value"]["body"][1:] == refreshed["value"]["body"]
        assert body["value"]["actions"] == refreshed["value"]["actions"]
    await bot.app[BACKGROUND].drain()
    assert "Odense Kommune" in str(fake.updated[-1][2]["attachments"][0]["content"])


async def test_an_answer_that_is_not_text_is_refused_at_the_edge_not_with_a_server_error(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    forged = invoke(who(url, "29:odense"), "rsvp", {"meeting": KEY, "answer": {"x": 1}})
    status, body = await post(bot, forged)
    assert status == 200 and body["statusCode"] == 400
    assert body["value"]["message"].startswith("This card's data is not valid.")
    async with uow_factory() as uow:
        assert await uow.rsvps.for_meeting("kompakte-groenne-byer", 1) == []


async def test_each_click_shows_the_answers_after_it_not_a_card_made_for_an_earlier_click(
    bot: Any, connector: Any
) -> None:
    _, url = connector
    odense = who(url, "29:odense")
    for answer in ("attending", "not_attending", "maybe"):
        _, body = await post(bot, invoke(odense, "rsvp", {"meeting": KEY, "answer": answer}))
        _, refreshed = await post(bot, invoke(odense, "refresh", {"meeting": KEY}))
        assert body["value"]["body"][1:] == refreshed["value"]["body"], answer


@pytest.mark.parametrize(
    ("chosen", "locale", "thanks"),
    [
        ("language sv", "en-US", "Tack: du deltar."),  # the reader's own choice comes first
        (None, "da-DK", "Tak: du deltager."),  # else their Teams client's language
        (None, "", "Tak: du deltager."),  # else the network's (Danish for this one)
    ],
)
async def test_the_rsvp_card_comes_in_the_readers_language(
    bot: Any, connector: Any, chosen: str | None, locale: str, thanks: str
) -> None:
    _, url = connector
    odense = who(url, "29:odense")
    if chosen:
        await post(bot, act.message(odense, chosen))
    click = invoke(odense, "rsvp", {"meeting": KEY, "answer": "attending"})
    click["locale"] = locale
    status, body = await post(bot, click)
    assert status == 200 and body["value"]["body"][0]["text"] == thanks


async def test_attendees_asked_in_the_channel_answer_counts_there_and_names_only_in_private(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    channel = await linked_channel_with_agenda(bot, url)
    diet = {"meeting": KEY, "answer": "attending", "dietary": "nøddeallergi"}
    await post(bot, invoke(who(url, "29:odense"), "rsvp", diet))
    await post(bot, act.message(channel, "attendees 1", mention=True))
    in_channel = [
        s for s in fake.sent if s.conversation_id.startswith(channel["conversation"]["id"])
    ]
    assert "nøddeallergi" not in str([s.activity for s in in_channel])
    assert "1 attending" in in_channel[-1].activity["text"]
    assert "personal chat" in in_channel[-1].activity["text"]  # no chat with the bot yet

    await post(bot, act.message(who(url, "29:fac"), "help"))  # the personal chat now exists
    await post(bot, act.message(channel, "attendees 1", mention=True))
    personal = [
        s for s in fake.sent if s.conversation_id == who(url, "29:fac")["conversation"]["id"]
    ]
    assert "nøddeallergi" in str(personal[-1].activity)
    in_channel = [
        s for s in fake.sent if s.conversation_id.startswith(channel["conversation"]["id"])
    ]
    assert "nøddeallergi" not in str([s.activity for s in in_channel])
    assert "I sent you the rest" in in_channel[-1].activity["text"]
