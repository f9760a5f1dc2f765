"""Outgoing activities: what botbuilder's MessageFactory builds, copied cheaply and faithfully."""

from __future__ import annotations

import copy
from enum import Enum
from typing import Any

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, ChannelAccount, Mention
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.teams.connector import codec
from bot.teams.notifier import to_activity
from bot.teams.outgoing import OutgoingActivity
from services.ports import Mention as MentionOf
from services.ports import Outbound

CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Møde 1", "wrap": True}],
    "actions": [{"type": "Action.Execute", "verb": "rsvp", "data": {"answer": "yes", "n": 1}}],
}


def message_factory(message: Outbound) -> Activity:
    """The activity as botbuilder's MessageFactory builds it (the mentions as netpuls does)."""
    if message.card is not None:
        activity = MessageFactory.attachment(
            CardFactory.adaptive_card(message.card), text=message.text or None
        )
    else:
        activity = MessageFactory.text(message.text)
        activity.text_format = "markdown"
    activity.entities = to_activity(message).entities  # mentions: unchanged by this module
    return activity


def mutable_parts(value: Any) -> list[Any]:
    """Every dict, list and schema object inside value, value included."""
    found: list[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            found.append(item)
            stack.extend(item)
        elif hasattr(item, "__dict__") and not isinstance(item, (type, Enum)):
            found.append(item)
            stack.extend(vars(item).values())
    return found


@pytest.mark.parametrize(
    "message",
    [
        Outbound(text="Here is what I can do:\n- **help**"),
        Outbound(card=CARD),
        Outbound(text="Hej <at>Ada</at>", card=CARD, mentions=(MentionOf("29:ada", "Ada"),)),
        Outbound(text="<at>Ada</at> og <at>Bo</at>", mentions=(MentionOf("29:a", "Ada"),) * 2),
    ],
)
def test_an_outgoing_activity_is_what_message_factory_builds(message: Outbound) -> None:
    built = to_activity(message)
    assert isinstance(built, OutgoingActivity)
    assert codec().to_json(built) == message_factory(message).serialize()


@pytest.mark.parametrize("message", [Outbound(text="hej"), Outbound(text="hej", card=CARD)])
def test_its_copy_equals_a_deep_copy_and_shares_nothing_mutable(message: Outbound) -> None:
    original = to_activity(message)
    original.entities = [Mention(mentioned=ChannelAccount(id="29:a", name="A"), type="mention")]
    copied = copy.deepcopy(original)
    reference = copy.deepcopy(message_factory(message))
    reference.entities = copy.deepcopy(original.entities)

    assert type(copied) is OutgoingActivity
    assert copied.__dict__ == reference.__dict__
    shared = {id(p) for p in mutable_parts(original)} & {id(p) for p in mutable_parts(copied)}
    assert not shared
    copied.attachments and copied.attachments[0].content["body"].clear()
    assert original.serialize() == to_activity(message).serialize() | {
        "entities": [{"mentioned": {"id": "29:a", "name": "A"}, "type": "mention"}]
    }


def test_a_value_used_twice_is_copied_once_as_deepcopy_does() -> None:
    part = {"type": "TextBlock", "text": "x"}
    activity = to_activity(Outbound(card={"type": "AdaptiveCard", "body": [part, part]}))
    copied = copy.deepcopy(activity)
    first, second = copied.attachments[0].content["body"]
    assert first is second and first is not part and first == part


def test_a_text_reply_is_copied_without_walking_it_value_by_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    walked: list[Any] = []
    walk = copy._deepcopy_dispatch[dict]  # type: ignore[attr-defined]

    def counting(value: Any, memo: Any, deepcopy: Any = copy.deepcopy) -> Any:
        walked.append(value)
        return walk(value, memo, deepcopy)

    monkeypatch.setitem(copy._deepcopy_dispatch, dict, counting)  # type: ignore[attr-defined]
    copied = copy.deepcopy(to_activity(Outbound(text="hej")))
    assert copied.text == "hej" and walked == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(
    card=st.dictionaries(st.text(max_size=6), json_values, max_size=5), text=st.text(max_size=20)
)
def test_any_card_is_copied_to_an_equal_card_that_shares_nothing(
    card: dict[str, Any], text: str
) -> None:
    original = to_activity(Outbound(text=text, card=card))
    copied = copy.deepcopy(original)
    assert (
        copied.__dict__ == copy.deepcopy(message_factory(Outbound(text=text, card=card))).__dict__
    )
    assert not {id(p) for p in mutable_parts(original)} & {id(p) for p in mutable_parts(copied)}
