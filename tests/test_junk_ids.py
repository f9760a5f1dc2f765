"""Plausible junk ids: well-formed, naming nothing (or another network's thing), refused clearly.

A member or the facilitator clicks a card or writes a command whose ids pass the shape checks
but name no meeting, case, group, question, material or network of theirs. Each gets a clear,
localized refusal (an invoke error or the feature's card with the reason), never a 5xx, and
nothing changes.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.card_data import SLUG, WELL_FORMED
from tests.support.http import link_channel, post_activity
from tests.support.networks import small_network

PEOPLE = {"29:fac": "facilitator@example.org", "29:odense": "planner.odense@example.org"}
UNKNOWN_MEETING = f"{SLUG}:99"
JUNK = [
    ("rsvp", {"meeting": UNKNOWN_MEETING}),
    ("refresh", {"meeting": UNKNOWN_MEETING}),
    ("attendees", {"meeting": UNKNOWN_MEETING}),
    ("rsvp", {"meeting": "ukendt-netvaerk:1"}),
    ("case_form", {"meeting": UNKNOWN_MEETING}),
    ("case_submit", {"meeting": UNKNOWN_MEETING}),
    ("case_submit", {"case_meeting": "99"}),
    ("case_decide", {"case": "999999"}),
    ("case_decide", {"meeting": UNKNOWN_MEETING}),
    ("case_notes", {"case": "999999"}),
    ("host_plan", {"meeting": UNKNOWN_MEETING}),
    ("summary_save", {"meeting": UNKNOWN_MEETING}),
    ("summary_post", {"meeting": UNKNOWN_MEETING}),
    ("evaluate", {"meeting": UNKNOWN_MEETING}),
    ("final_evaluate", {"network": "ukendt-netvaerk"}),
    ("apply", {"network": "ukendt-netvaerk"}),
    ("propose_selection", {"network": "ukendt-netvaerk"}),
    ("confirm_selection", {"network": "ukendt-netvaerk"}),
    ("pair_met", {"group": "999999"}),
    ("question_helpful", {"question": f"{SLUG}:999999"}),
    ("question_helpful", {"question": "ukendt-netvaerk:1"}),
    ("material_meeting", {"material": "999999"}),
    ("material_meeting", {"materialMeeting": "99"}),
]
COMMANDS = [
    "agenda 99",
    "attendees 99",
    "case 99",
    "cases 99",
    "host 99",
    "summary 99",
    "evaluate 99",
    "evaluation 99",
    "answered kompakte-groenne-byer:999999",
    "answered ukendt-netvaerk:1",
    "link ukendt-netvaerk",
    "apply ukendt-netvaerk",
    "seat ukendt-kommune",
    "material 99",
]


@pytest.fixture
async def bot(start_bot: BotStarter, connector: Any) -> Any:
    _, url = connector
    client = await start_bot(PEOPLE, network=small_network())
    await link_channel(client, _where(url, "29:fac", channel=True))
    return client


def _where(url: str, user: str, *, channel: bool = False) -> dict[str, Any]:
    make = act.channel if channel else act.personal
    return make(url, user_id=user, aad=None, name=PEOPLE[user])


@pytest.mark.parametrize("user", sorted(PEOPLE))
@pytest.mark.parametrize(("verb", "junk"), JUNK)
async def test_a_click_naming_nothing_gets_a_clear_refusal(
    bot: Any, connector: Any, user: str, verb: str, junk: dict[str, str]
) -> None:
    _, url = connector
    data = {**WELL_FORMED[verb], **junk}
    status, body = await post_activity(bot, act.card_invoke(_where(url, user), verb, data))
    assert status == 200 and body["statusCode"] < 500, body
    if body["type"] == "application/vnd.microsoft.error":
        assert body["statusCode"] in (400, 403, 404) and body["value"]["message"]
    else:
        texts = [e.get("text", "") for e in body["value"]["body"] if e.get("type") == "TextBlock"]
        assert any(texts), body


@pytest.mark.parametrize("user", sorted(PEOPLE))
@pytest.mark.parametrize("text", COMMANDS)
async def test_a_command_naming_nothing_gets_a_clear_answer(
    bot: Any, connector: Any, user: str, text: str
) -> None:
    fake, url = connector
    before = len(fake.sent)
    status, _ = await post_activity(bot, act.message(_where(url, user), text))
    assert status < 500
    answers = fake.texts()[before:]
    assert answers and all(answers), text
    assert not any("Something went wrong" in a for a in answers), answers
