"""Ask the network over HTTP: real activities in a channel, the outbox, a fake Connector."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from netpuls.wiring import RUNNER
from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support.activities import card_invoke as invoke
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel
from tests.support.http import post_activity as post
from tests.support.questions import NOW, SLUG, TOWNS, email, prepared

PEOPLE = {f"29:{t}": email(t) for t in TOWNS} | {"29:fac": "facilitator@example.org"}


@pytest.fixture
async def bot(start_bot: BotStarter, uow_factory: Any) -> TestClient[Any, Any]:
    await prepared(uow_factory, {"aarhus": ("Green space",), "esbjerg": ("Green space",)})
    return await start_bot(PEOPLE, clock=FixedClock(NOW))


def in_channel(url: str, user: str, thread: str | None = None) -> dict[str, Any]:
    return act.channel(url, thread=thread, user_id=user, aad=None, name=PEOPLE[user])


async def linked_channel(bot: Any, url: str) -> None:
    await link_channel(bot, in_channel(url, "29:fac"), SLUG)


async def asked(bot: Any, fake: Any, url: str, text: str) -> Any:
    """Ask as Odense's planner, deliver the outbox, return the channel post."""
    await post(bot, act.message(in_channel(url, "29:odense"), f"ask {text}", mention=True))
    await bot.app[RUNNER].run_outbox()
    return fake.sent[-1]


async def test_ask_posts_a_new_thread_that_mentions_the_interested_contacts(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await linked_channel(bot, url)
    await post(bot, act.message(in_channel(url, "29:odense"), "ask #2 Pocket parks?", mention=True))
    assert fake.texts()[-1].startswith("Question 1 is on its way to 1 channel(s)")
    before = len(fake.sent)
    await bot.app[RUNNER].run_outbox()
    await bot.app[RUNNER].run_outbox()  # exactly once
    assert len(fake.sent) == before + 1
    posted = fake.sent[-1]
    assert posted.conversation_id == act.TEAM_ID  # the channel itself: a new thread
    assert posted.activity["text"] == (
        "Planner Odense asks the network. Can you help? "
        "<at>Planner Aarhus</at> (Aarhus Kommune); Esbjerg Kommune"
    )
    assert posted.activity["entities"] == [
        {
            "type": "mention",
            "text": "<at>Planner Aarhus</at>",
            "mentioned": {"id": "29:aarhus", "name": "Planner Aarhus"},
        }
    ]
    card = posted.activity["attachments"][0]["content"]
    assert card["body"][0]["text"] == "Question 1 to the network"
    assert "Green space" in str(card) and "Aarhus Kommune, Esbjerg Kommune" in str(card)


async def test_a_reply_in_the_thread_is_an_answer_and_the_asker_marks_it_helpful(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await linked_channel(bot, url)
    await asked(bot, fake, url, "#2 Pocket parks?")
    root = f"sent-{len(fake.sent)}"
    reply = act.message(in_channel(url, "29:aarhus", root), "We built three.", mention=True)
    await post(bot, reply)
    assert fake.texts()[-1] == "Thank you: noted as answer 1 to question 1."
    conversation, activity_id, body = fake.updated[-1]
    assert (conversation, activity_id) == (act.TEAM_ID, root)
    assert "We built three." in str(body["attachments"][0]["content"])
    data = {"question": f"{SLUG}:1", "helpful_answer": "1"}
    _, refused = await post(
        bot, invoke(in_channel(url, "29:koege", root), "question_helpful", data)
    )
    assert refused["statusCode"] == 403
    assert "Only the person who asked" in refused["value"]["message"]
    _, marked = await post(
        bot, invoke(in_channel(url, "29:odense", root), "question_helpful", data)
    )
    assert "✓ helpful" in str(marked["value"]) and "Answered" in str(marked["value"])
    assert "✓ helpful" in str(fake.updated[-1][2])  # the channel's copy too
    await post(bot, act.message(in_channel(url, "29:fac"), "questions", mention=True))
    listing = fake.sent[-1].activity["attachments"][0]["content"]
    assert "Answered · 1 answer(s) · Planner Odense, Odense Kommune" in str(listing)


async def test_a_command_in_a_question_thread_still_runs_and_unknown_threads_are_left_alone(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await linked_channel(bot, url)
    await asked(bot, fake, url, "Anyone?")
    root = f"sent-{len(fake.sent)}"
    await post(bot, act.message(in_channel(url, "29:aarhus", root), "questions", mention=True))
    assert "Questions to Kompakte, grønne byer" in str(fake.sent[-1].activity)
    await post(bot, act.message(in_channel(url, "29:aarhus", "elsewhere"), "Hi", mention=True))
    assert fake.texts()[-1].startswith("I don't know the command 'Hi'")


async def test_an_over_long_question_or_an_unknown_theme_is_refused_and_nothing_is_posted(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await linked_channel(bot, url)
    odense = in_channel(url, "29:odense")
    await post(bot, act.message(odense, "ask " + "x" * 1001, mention=True))
    assert fake.texts()[-1] == "The question is too long: 1001 characters, at most 1000."
    await post(bot, act.message(odense, "spørg #9 Hvor?", mention=True, locale="da-DK"))
    assert fake.texts()[-1] == ("Der er intet tema '9'. Netværkets temaer er nummereret 1 til 2.")
    sent = len(fake.sent)
    await bot.app[RUNNER].run_outbox()
    assert len(fake.sent) == sent
    await post(bot, act.message(odense, "questions", mention=True))
    assert "No questions yet" in str(fake.sent[-1].activity)


async def test_the_ask_card_keeps_the_typed_text_on_a_refusal_and_posts_when_valid(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    await linked_channel(bot, url)
    odense = in_channel(url, "29:odense")
    await post(bot, act.message(odense, "ask", mention=True))
    form = fake.sent[-1].activity["attachments"][0]["content"]
    assert form["body"][0]["text"] == "Ask Kompakte, grønne byer"
    assert "Green space" in str(form)
    typed = {"network": SLUG, "question_text": "x" * 1001, "question_themes": "2"}
    _, refused = await post(bot, invoke(odense, "question_ask", typed))
    card = refused["value"]
    assert "The question is too long: 1001 characters, at most 1000." in str(card)
    assert card["body"][2]["value"] == "x" * 1000 and card["body"][3]["value"] == "2"
    typed["question_text"] = "#hashtag parks: who has them?"  # a '#' in the text is no theme
    _, sent = await post(bot, invoke(odense, "question_ask", typed))
    assert "Question 1 is on its way to 1 channel(s)" in str(sent["value"])
    async with uow_factory() as uow:
        (question,) = await uow.questions.listing(SLUG)
    assert (question.text, question.themes) == ("#hashtag parks: who has them?", ("Green space",))
    assert [a.municipality for a in question.asked] == ["aarhus", "esbjerg"]


async def test_people_talking_in_the_channel_get_no_reply_and_their_thread_replies_are_kept(
    bot: Any, connector: Any
) -> None:
    """With RSC the bot hears every channel message; only those that mention it are for it."""
    fake, url = connector
    await linked_channel(bot, url)
    await asked(bot, fake, url, "#2 Pocket parks?")
    root = f"sent-{len(fake.sent)}"
    sent, updated = len(fake.sent), len(fake.updated)
    # A message that starts like a command is still people talking, not `next` or `help`.
    await post(bot, act.message(in_channel(url, "29:koege"), "next week I bring the maps"))
    await post(bot, act.message(in_channel(url, "29:koege"), "help me out here, anyone?"))
    await post(bot, act.message(in_channel(url, "29:aarhus", root), "We built three."))
    assert len(fake.sent) == sent  # the bot said nothing
    assert len(fake.updated) == updated + 1  # but the question's card shows the answer
    assert "We built three." in str(fake.updated[-1][2]["attachments"][0]["content"])


async def test_a_typed_question_loses_hidden_characters_and_shows_as_typed(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await linked_channel(bot, url)
    posted = await asked(bot, fake, url, "Pocket\u202e parks\u0007 for **all**?")
    texts = [b["text"] for b in posted.activity["attachments"][0]["content"]["body"] if "text" in b]
    assert "Pocket parks for \\*\\*all\\*\\*?" in texts
