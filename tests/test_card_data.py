"""Each card verb's data is checked at the edge: what no card of ours sends is refused unread."""

from __future__ import annotations

from typing import Any

import pytest

from bot.routing import card_data
from bot.routing.card_actions import INVALID_DATA, CardActions
from netpuls.i18n import translator
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.card_data import MEETING, WELL_FORMED
from tests.support.http import post_activity
from tests.support.networks import small_network

# Ids the cards write, each with values that are not the shape a card writes.
BAD_IDS = {
    "meeting": [
        MEETING + "\x07",  # a control character, which cleaning alone would have removed
        "kompakte-groenne-byer:²",
        "kompakte-groenne-byer:٣",
        "kompakte-groenne-byer:" + "9" * 20,
        "kompakte-groenne-byer:0",
        "kompakte-groenne-byer:-1",
        "kompakte-groenne-byer: 1",
        "../../../etc/passwd:1",
        "Kompakte:1",
        "kompakte-groenne-byer",
        1,
        None,
        {},
    ],
    "case": ["1\x00", "²", "0", "9" * 10, "1.0", 1, []],
    "group": ["1\u202e", "٣", "0", "9" * 10, 1, None],
    "network": ["kompakte-groenne-byer\x07", "KOMPAKTE", "a", "x" * 81, "a/b", 1, None],
    "question": ["kompakte-groenne-byer:1\x07", "kompakte-groenne-byer:²", ":1", "1", 1],
    "material": ["1,²", "1,,2", ",".join(["1"] * 21), "-1", 7, None],
    "materialMeeting": ["²", "0", 2],
    "answer": ["yes", {"x": 1}, 1],
    "decision": ["maybe", {}, 1],
    "met": ["maybe", True, None],
}
CASES = [
    (verb, key, value)
    for verb, data in sorted(WELL_FORMED.items())
    for key, values in BAD_IDS.items()
    if key in data
    for value in values
]


@pytest.mark.parametrize("verb", sorted(card_data.MODELS))
def test_what_each_verbs_card_sends_is_valid(verb: str) -> None:
    assert card_data.valid(verb, WELL_FORMED[verb])
    assert card_data.valid(verb, {**WELL_FORMED[verb], "verb": verb})  # the Submit fallback


@pytest.mark.parametrize(("verb", "key", "value"), CASES)
def test_an_id_that_no_card_writes_is_refused(verb: str, key: str, value: object) -> None:
    assert not card_data.valid(verb, {**WELL_FORMED[verb], key: value})


@pytest.mark.parametrize("verb", sorted(card_data.MODELS))
def test_inputs_are_strings_with_short_printable_ids(verb: str) -> None:
    data = WELL_FORMED[verb]
    assert not card_data.valid(verb, {**data, "extra": 5})
    assert not card_data.valid(verb, {**data, "extra": "x" * (card_data.MAX_TYPED + 1)})
    assert not card_data.valid(verb, {**data, "ex\x00tra": "x"})
    assert not card_data.valid(verb, {**data, "x" * 101: "x"})
    assert card_data.valid(verb, {**data, "extra": "typed\ntext"})


def test_a_verb_without_a_model_of_its_data_cannot_be_registered() -> None:
    async def verb(action: Any) -> dict[str, Any]:
        return {}

    with pytest.raises(ValueError, match="without a model"):
        CardActions().register({"unknown_verb": verb})


def test_the_refusal_is_translated() -> None:
    assert translator("da")(INVALID_DATA) != INVALID_DATA
    assert translator("sv")(INVALID_DATA) != INVALID_DATA


PEOPLE = {"29:odense": "planner.odense@example.org", "29:fac": "facilitator@example.org"}


@pytest.fixture
async def bot(start_bot: BotStarter) -> Any:
    return await start_bot(PEOPLE, network=small_network())


async def test_an_rsvp_whose_meeting_id_holds_a_control_character_is_refused_and_not_stored(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    where = act.personal(url, user_id="29:odense", aad=None, name=PEOPLE["29:odense"])
    data = {"meeting": MEETING + "\x07", "answer": "attending"}
    status, body = await post_activity(bot, act.card_invoke(where, "rsvp", data))
    assert status == 200 and body["statusCode"] == 400
    assert body["type"] == "application/vnd.microsoft.error"
    assert body["value"]["message"] == INVALID_DATA
    async with uow_factory() as uow:
        assert await uow.rsvps.for_meeting("kompakte-groenne-byer", 1) == []


async def test_a_submitted_click_with_malformed_data_is_answered_with_the_refusal(
    bot: Any, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    where = act.personal(url, user_id="29:odense", aad=None, name=PEOPLE["29:odense"])
    data = {"verb": "rsvp", "meeting": "kompakte-groenne-byer:٣", "answer": "attending"}
    await post_activity(bot, act.card_submit(where, data))
    assert "This card's data is not valid" in fake.texts()[-1]
    async with uow_factory() as uow:
        assert await uow.rsvps.for_meeting("kompakte-groenne-byer", 1) == []
