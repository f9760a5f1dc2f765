"""Cases, summaries, evaluations and the report over HTTP: real activities, a fake Connector."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient
from docx import Document

from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support.activities import card_invoke as invoke
from tests.support.activities import card_submit as submit
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel
from tests.support.http import post_activity as post
from tests.support.sparring import CASE, EMAILS, KEY, sparring_network


@pytest.fixture
async def bot(start_bot: BotStarter) -> TestClient[Any, Any]:
    return await start_bot(EMAILS, network=sparring_network(), scheduler_enabled=True)


def who(url: str, user: str, *, channel: bool = False) -> dict[str, Any]:
    make = act.channel if channel else act.personal
    return make(url, user_id=user, aad=None, name=EMAILS[user])


def card_of(sent: Any) -> dict[str, Any]:
    return sent.activity["attachments"][0]["content"]  # type: ignore[no-any-return]


async def channel_with_agenda(bot: Any, url: str) -> dict[str, Any]:
    where = who(url, "29:fac", channel=True)
    await link_channel(bot, where)
    await post(bot, act.message(where, "agenda 1", mention=True))
    return where


def case_data(**typed: str) -> dict[str, str]:
    return {
        "meeting": KEY,
        "case_meeting": "1",
        "case_title": CASE["title"],
        "case_description": CASE["description"],
        "case_themes": "1",
        **typed,
    }


async def test_a_case_is_submitted_accepted_and_shown_on_the_posted_agenda(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await channel_with_agenda(bot, url)
    planner = who(url, "29:odense")
    await post(bot, act.message(planner, "case"))  # personal chat: the reference is stored
    form = card_of(fake.sent[-1])
    assert form["body"][0]["text"] == "Submit a problem statement"
    _, body = await post(bot, invoke(planner, "case_submit", case_data()))
    assert body["statusCode"] == 200
    assert body["value"]["body"][0]["text"].startswith("Thank you: the facilitator")
    await post(bot, act.message(who(url, "29:fac"), "cases 1"))
    listing = card_of(fake.sent[-1])
    assert CASE["title"] in str(listing) and "Waiting for a decision" in str(listing)
    decision = {"meeting": KEY, "case": "1", "decision": "accept", "note_1": "Velkommen"}
    _, body = await post(bot, invoke(who(url, "29:fac"), "case_decide", decision))
    assert body["value"]["body"][0]["text"] == "Accepted; the submitter is told."
    told = [s for s in fake.sent if s.conversation_id == "a:personal-29:odense"][-1]
    assert "er godkendt til møde 1" in told.activity["text"]  # the network speaks Danish
    assert "Velkommen" in told.activity["text"]
    agenda = fake.updated[-1][2]["attachments"][0]["content"]
    assert CASE["title"] in str(agenda) and "Problemstillinger til sparring" in str(agenda)


async def test_a_typed_title_is_stored_without_hidden_characters_and_shown_as_typed(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await channel_with_agenda(bot, url)
    typed = "[Click to confirm your seat](https://evil.example/phish) \u202eexe.fdp\u0007"
    await post(bot, act.message(who(url, "29:odense"), "case"))  # the personal chat is known
    _, body = await post(
        bot, invoke(who(url, "29:odense"), "case_submit", case_data(case_title=typed))
    )
    assert body["statusCode"] == 200
    await post(bot, act.message(who(url, "29:fac"), "cases 1"))
    listing = card_of(fake.sent[-1])
    shown = "[Click to confirm your seat](https://evil.example/phish) exe.fdp"
    assert f'"text": "{shown}"' in json.dumps(listing, ensure_ascii=False)
    decision = {"meeting": KEY, "case": "1", "decision": "accept", "note_1": "**Ja**"}
    await post(bot, invoke(who(url, "29:fac"), "case_decide", decision))
    told = [s for s in fake.sent if s.conversation_id == "a:personal-29:odense"][-1]
    assert (
        "\\[Click to confirm your seat\\](https://evil.example/phish) exe.fdp"
        in (told.activity["text"])
    )
    assert "\\*\\*Ja\\*\\*" in told.activity["text"]


async def test_an_over_long_title_is_refused_with_the_form_and_the_typed_text_kept(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    _, body = await post(
        bot, invoke(who(url, "29:odense"), "case_submit", case_data(case_title="x" * 121))
    )
    card = body["value"]
    assert card["body"][0]["text"] == "The title is too long: 121 characters, at most 120."
    assert CASE["description"] in str(card)
    await post(
        bot,
        submit(
            who(url, "29:odense"), {"verb": "case_submit", **case_data(case_description="y" * 2001)}
        ),
    )
    assert "The description is too long: 2001 characters, at most 2000." in str(
        fake.sent[-1].activity
    )


async def test_a_participant_may_not_decide_and_is_told_who_can(bot: Any, connector: Any) -> None:
    _, url = connector
    await post(bot, invoke(who(url, "29:odense"), "case_submit", case_data()))
    decision = {"meeting": KEY, "case": "1", "decision": "accept"}
    _, body = await post(bot, invoke(who(url, "29:odense"), "case_decide", decision))
    text = str(body["value"])
    assert "Only the facilitator or the secretariat can review problem statements." in text


async def test_the_summary_is_posted_in_the_agendas_thread_and_an_edit_updates_it(
    bot: Any, connector: Any, clock: FixedClock
) -> None:
    fake, url = connector
    await channel_with_agenda(bot, url)
    clock.current = datetime(2024, 3, 14, 12, tzinfo=UTC)  # the meeting has begun
    agenda_id = next(
        f"sent-{i}" for i, s in enumerate(fake.sent, 1) if s.activity.get("attachments")
    )
    await post(bot, act.message(who(url, "29:fac"), "summary 1"))
    assert card_of(fake.sent[-1])["body"][0]["text"] == "Summary: Network meeting 1"
    fields = {"meeting": KEY, "key_points": "Tæt og grønt", "good_advice": "Start tidligt"}
    _, body = await post(bot, invoke(who(url, "29:fac"), "summary_post", fields))
    assert body["value"]["body"][0]["text"] == "Posted to 1 channel(s)."
    thread = f"{act.TEAM_ID};messageid={agenda_id}"
    (posted,) = [s for s in fake.sent if s.conversation_id == thread]
    assert "Opsamling: Netværksmøde 1" in str(card_of(posted))
    _, body = await post(
        bot, invoke(who(url, "29:fac"), "summary_save", {**fields, "key_points": "Rettet"})
    )
    assert "updated in 1 channel(s)" in body["value"]["body"][0]["text"]
    conversation, activity, content = fake.updated[-1]
    posted_id = f"sent-{fake.sent.index(posted) + 1}"
    assert (conversation, activity) == (thread, posted_id) and "Rettet" in str(content)
    _, refused = await post(bot, invoke(who(url, "29:odense"), "summary_post", fields))
    assert "Only the facilitator or the secretariat can write and post" in str(refused)


async def test_an_attendee_evaluates_once_and_the_facilitator_sees_the_totals(
    bot: Any, connector: Any, clock: FixedClock
) -> None:
    fake, url = connector
    await post(bot, invoke(who(url, "29:odense"), "rsvp", {"meeting": KEY, "answer": "attending"}))
    clock.current = datetime(2024, 3, 15, 9, tzinfo=UTC)
    await post(bot, act.message(who(url, "29:odense"), "evaluate"))
    assert "How useful was Network meeting 1?" in str(card_of(fake.sent[-1]))
    data = {"meeting": KEY, "usefulness": "4", "comment": "Godt"}
    _, body = await post(bot, invoke(who(url, "29:odense"), "evaluate", data))
    assert body["value"]["body"][0]["text"] == "Thank you for your evaluation."
    _, again = await post(bot, invoke(who(url, "29:odense"), "evaluate", data))
    assert "already evaluated" in str(again["value"])
    await post(bot, act.message(who(url, "29:fac"), "evaluation"))
    totals = str(card_of(fake.sent[-1]))
    # One answer would point at its author: below three answers, only the count is shown.
    assert "1 answer(s) so far; totals are shown from 3" in totals
    assert "4.0 / 5" not in totals and "Godt" not in totals
    assert "planner.odense" not in totals and "Planlægger" not in totals


async def test_with_a_minimum_of_one_answer_the_facilitator_sees_the_totals_at_once(
    start_bot: BotStarter, clock: FixedClock, connector: Any
) -> None:
    fake, url = connector
    bot = await start_bot(
        EMAILS, network=sparring_network(), scheduler_enabled=True, evaluation_min_answers=1
    )
    await post(bot, invoke(who(url, "29:odense"), "rsvp", {"meeting": KEY, "answer": "attending"}))
    clock.current = datetime(2024, 3, 15, 9, tzinfo=UTC)
    data = {"meeting": KEY, "usefulness": "4", "comment": "Godt"}
    await post(bot, invoke(who(url, "29:odense"), "evaluate", data))
    await post(bot, act.message(who(url, "29:fac"), "evaluation"))
    totals = str(card_of(fake.sent[-1]))
    assert "Answers" in totals and "4.0 / 5" in totals and "so far" not in totals


async def test_two_post_clicks_at_once_and_a_repeated_invoke_post_the_summary_once(
    bot: Any, connector: Any, clock: FixedClock
) -> None:
    fake, url = connector
    await channel_with_agenda(bot, url)
    clock.current = datetime(2024, 3, 14, 12, tzinfo=UTC)  # the meeting has begun
    agenda_id = next(
        f"sent-{i}" for i, s in enumerate(fake.sent, 1) if s.activity.get("attachments")
    )
    fields = {"meeting": KEY, "key_points": "Tæt og grønt"}
    click = invoke(who(url, "29:fac"), "summary_post", fields)
    other = invoke(who(url, "29:sec"), "summary_post", fields)
    answers = await asyncio.gather(post(bot, click), post(bot, other), post(bot, dict(click)))
    thread = f"{act.TEAM_ID};messageid={agenda_id}"
    assert [s.conversation_id for s in fake.sent].count(thread) == 1
    notices = sorted(str(body["value"]["body"][0]["text"]) for _, body in answers if body)
    assert "Posted to 1 channel(s)." in notices
    assert any("already posted" in n for n in notices)
    again = await post(bot, invoke(who(url, "29:fac"), "summary_post", fields))
    assert "already posted" in again[1]["value"]["body"][0]["text"]
    assert [s.conversation_id for s in fake.sent].count(thread) == 1


async def test_the_report_command_links_a_docx_and_markdown_that_download(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:odense"), "report"))
    assert "Only the facilitator or the secretariat can build" in fake.texts()[-1]
    await post(bot, act.message(who(url, "29:fac"), "report"))
    reply = fake.texts()[-1]
    assert "meeting(s) in the report" in reply
    links = [part.split(")")[0] for part in reply.split("](")[1:]]
    docx_link, md_link = (urlsplit(link) for link in links)
    response = await bot.get(f"{docx_link.path}?{docx_link.query}")
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    document = Document(io.BytesIO(await response.read()))
    assert document.paragraphs[0].text == "Kompakte, grønne byer"
    markdown = await bot.get(f"{md_link.path}?{md_link.query}")
    assert (await markdown.text()).startswith("# Kompakte, grønne byer")
    forged = await bot.get(f"{docx_link.path}?{docx_link.query.replace('sig=', 'sig=0')}")
    assert forged.status == 403
    other = await bot.get(f"/reports/atlantis/report.docx?{docx_link.query}")
    assert other.status == 403  # the signature covers the path


async def test_the_host_prompt_reaches_the_host_contact_who_saves_proposals(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:host"), "case"))  # a chat; the bot knows them now
    await post(bot, act.message(who(url, "29:fac"), "host 1"))
    reply = fake.sent[-1].activity
    assert "Sent the host card to: Vært Odense." in reply["text"]
    prompt = [s for s in fake.sent if s.conversation_id == "a:personal-29:host"][-1]
    assert "I er vært for Netværksmøde 1" in str(card_of(prompt))
    fields = {
        "meeting": KEY,
        "host_programme": "Velkomst\nByvandring",
        "host_address": "Havnegade 1",
        "host_what_to_see": "Havnen",
    }
    _, body = await post(bot, invoke(who(url, "29:host"), "host_plan", fields))
    assert body["value"]["body"][0]["text"].startswith("Thank you: your proposals are saved")
    _, refused = await post(bot, invoke(who(url, "29:odense"), "host_plan", fields))
    assert "Only the contacts of the host municipality (Odense Kommune)" in str(refused)
    await post(bot, act.message(who(url, "29:koege"), "host 1"))
    assert "Only the contacts of the host municipality" in fake.texts()[-1]


async def test_the_final_evaluation_is_opened_answered_once_and_shown_from_three_answers(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(who(url, "29:odense"), "final"))
    assert fake.texts()[-1] == "The final evaluation is not open yet."
    await post(bot, act.message(who(url, "29:odense"), "final open"))
    assert "Only the facilitator or the secretariat can open" in fake.texts()[-1]
    await post(bot, act.message(who(url, "29:fac"), "final open"))
    assert "1 member(s) get the card in a personal chat" in fake.texts()[-1]
    assert "2 member(s) have no personal chat with me yet" in fake.texts()[-1]
    await post(bot, act.message(who(url, "29:odense"), "final"))
    assert "Final evaluation: Kompakte, grønne byer" in str(card_of(fake.sent[-1]))
    data = {
        "network": "kompakte-groenne-byer",
        "usefulness": "4",
        "take_home": "Grønne gårdrum",
        "recommend": "yes",
    }
    _, refused = await post(
        bot, invoke(who(url, "29:odense"), "final_evaluate", {**data, "usefulness": "9"})
    )
    assert "from 1 to 5" in str(refused["value"])
    _, body = await post(bot, invoke(who(url, "29:odense"), "final_evaluate", data))
    assert body["value"]["body"][0]["text"] == "Thank you for your final evaluation."
    _, again = await post(bot, invoke(who(url, "29:odense"), "final_evaluate", data))
    assert "already answered the final evaluation" in str(again["value"])
    await post(bot, act.message(who(url, "29:fac"), "slutevaluering"))
    totals = str(card_of(fake.sent[-1]))
    assert "1 answer(s) so far; totals are shown from 3" in totals
    assert "Grønne gårdrum" not in totals and "Planlægger" not in totals
