"""The compiled codec agrees with msrest, value for value and error for error."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    Entity,
    Mention,
)
from botbuilder.schema.teams import ChannelInfo, TeamInfo, TeamsChannelData, TenantInfo
from botframework.connector import models as connector_models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msrest import Deserializer, Serializer
from msrest.serialization import Model

from bot.teams.codec import Codec
from tests.support import activities as act

MODELS = {k: v for k, v in connector_models.__dict__.items() if isinstance(v, type)}
SERVICE = "http://127.0.0.1:9/"


@pytest.fixture(scope="module")
def codec() -> Codec:
    return Codec(MODELS)


def reference_decode(type_name: str, data: Any) -> Any:
    return Deserializer(MODELS)(type_name, data)  # type: ignore[no-untyped-call]


def reference_encode(model: Any) -> Any:
    return Serializer(MODELS)._serialize(model)  # type: ignore[no-untyped-call]


def outcome(call: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", call(*args)
    except Exception as exc:
        return "error", type(exc)


def same_tree(a: Any, b: Any) -> bool:
    """Equal values of exactly the same types, models compared attribute by attribute."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Model):
        return vars(a).keys() == vars(b).keys() and all(
            same_tree(vars(a)[k], vars(b)[k]) for k in vars(a)
        )
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_tree(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def assert_decodes_alike(codec: Codec, type_name: str, data: Any) -> None:
    expected = outcome(reference_decode, type_name, copy.deepcopy(data))
    actual = outcome(codec.from_json, type_name, copy.deepcopy(data))
    assert actual[0] == expected[0], (actual, expected)
    if expected[0] == "ok":
        assert same_tree(actual[1], expected[1]), (vars(actual[1]), vars(expected[1]))
    else:
        assert actual[1] is expected[1]


def assert_encodes_alike(codec: Codec, model: Any) -> None:
    expected = outcome(reference_encode, model)
    actual = outcome(codec.to_json, model)
    assert actual[0] == expected[0], (actual, expected)
    assert same_tree(actual[1], expected[1]) if expected[0] == "ok" else actual[1] is expected[1]


def teams_activities() -> list[dict[str, Any]]:
    """Activities as Teams posts them: every kind the tests and the benchmark send."""
    personal = act.personal(SERVICE)
    channel = act.channel(SERVICE, thread="1700000000000")
    mentioned = act.message(channel, "agenda", mention=True)
    mentioned["entities"].append({"type": "clientInfo", "locale": "da-DK", "timezone": "CET"})
    mentioned["attachments"] = [
        {"contentType": "text/html", "content": "<div><at>netpuls</at> agenda</div>"}
    ]
    with_files = act.message(channel, "material")
    with_files["attachments"] = [
        {
            "contentType": "reference",
            "contentUrl": "https://contoso.sharepoint.com/sites/x/Shared%20Documents/a.docx",
            "name": "a.docx",
            "id": "file-1",
        }
    ]
    odd_times = act.message(personal, "help")
    odd_times["timestamp"] = "2026-11-24T10:00:00.1234567Z"
    odd_times["localTimestamp"] = "2026-11-24T11:00:00.123+01:00"
    unknown_keys = act.message(personal, "help")
    unknown_keys["from"]["userRole"] = "user"
    unknown_keys["conversation"]["odd"] = {"nested": [1, 2.5, True, None, "x"]}
    unknown_keys["somethingNew"] = {"a": 1}
    return [
        act.message(personal, "help"),
        act.message(channel, "agenda", mention=True),
        mentioned,
        with_files,
        odd_times,
        unknown_keys,
        act.installed(personal, locale="sv-SE"),
        act.bot_added(channel),
        act.uninstalled(personal),
        act.card_invoke(personal, "rsvp", {"meeting": "demo:1", "answer": "attending"}),
        act.card_submit(channel, {"verb": "rsvp", "meeting": "demo:1", "dietary": "æøå"}),
    ]


@pytest.mark.parametrize("index", range(len(teams_activities())))
def test_teams_activities_decode_exactly_as_msrest_decodes_them(codec: Codec, index: int) -> None:
    assert_decodes_alike(codec, "Activity", teams_activities()[index])


@pytest.mark.parametrize(
    "broken",
    [
        {"type": 5},
        {"type": "message", "from": "29:user"},
        {"type": "message", "attachments": {"contentType": "x"}},
        {"type": "message", "timestamp": "yesterday"},
        {"type": "message", "timestamp": 12},
        {"type": "message", "historyDisclosed": "true"},
        {"type": "message", "membersAdded": [None, {"id": "x"}, {"id": 7}]},
        {"type": "message", "channelData": {"tenant": {"id": None}}, "value": [[], {}]},
        {"type": "message", "conversation": {"id": "c", "isGroup": 1}},
        {"type": "message", "listenFor": ["a", 2]},
        {},
    ],
)
def test_odd_and_broken_activities_get_msrest_s_result_or_error(
    codec: Codec, broken: dict[str, Any]
) -> None:
    assert_decodes_alike(codec, "Activity", broken)


def test_lists_and_other_types_by_name_decode_alike(codec: Codec) -> None:
    assert_decodes_alike(codec, "[ChannelAccount]", [{"id": "29:a", "name": "A"}, None])
    assert_decodes_alike(codec, "TeamsChannelData", act.channel(SERVICE)["channel_data"])
    assert_decodes_alike(codec, "ResourceResponse", {"id": "1"})
    assert_decodes_alike(codec, "ErrorResponse", {"error": {"code": "Throttled", "message": "x"}})
    assert_decodes_alike(codec, "Activity", '{"type": "message"}')


def test_a_plain_teams_activity_never_reaches_msrest(codec: Codec) -> None:
    class WholeObjectsRefused:
        """msrest for single dates only, as the fast path uses it; never a whole object."""

        def __init__(self, real: Any) -> None:
            self.deserialize_data = getattr(real, "deserialize_data", None)

        def __call__(self, *_args: Any) -> Any:
            raise AssertionError("msrest was asked for a whole object")

        def _serialize(self, *_args: Any) -> Any:
            raise AssertionError("msrest was asked for a whole object")

    fast = Codec(MODELS)
    fast.deserializer = WholeObjectsRefused(fast.deserializer)  # type: ignore[assignment]
    fast.serializer = WholeObjectsRefused(fast.serializer)  # type: ignore[assignment]
    for data in teams_activities()[:4] + teams_activities()[5:]:
        activity = fast.from_json("Activity", data)
        assert isinstance(activity, Activity)
    reply = MessageFactory.attachment(CardFactory.adaptive_card({"type": "AdaptiveCard"}))
    assert fast.to_json(reply)["type"] == "message"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
CHANNEL_ACCOUNT = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=6) | JSON,
        "name": st.text(max_size=6),
        "aadObjectId": st.text(max_size=6) | st.none(),
        "role": st.sampled_from(["user", "bot"]),
        "extra": JSON,
    },
)
ACTIVITY = st.fixed_dictionaries(
    {"type": st.sampled_from(["message", "invoke", "conversationUpdate"]) | JSON},
    optional={
        "id": st.text(max_size=8),
        "timestamp": st.sampled_from(["2026-11-24T10:00:00Z", "2026-11-24T10:00:00.5+02:00"])
        | JSON,
        "from": CHANNEL_ACCOUNT | JSON,
        "recipient": CHANNEL_ACCOUNT,
        "conversation": st.fixed_dictionaries(
            {"id": st.text(max_size=6)},
            optional={"isGroup": st.booleans() | JSON, "tenantId": st.text(max_size=4)},
        ),
        "membersAdded": st.lists(CHANNEL_ACCOUNT | st.none(), max_size=3) | JSON,
        "entities": st.lists(st.fixed_dictionaries({"type": st.text(max_size=5)}), max_size=2),
        "attachments": st.lists(
            st.fixed_dictionaries({"contentType": st.text(max_size=5), "content": JSON}),
            max_size=2,
        ),
        "channelData": JSON,
        "value": JSON,
        "historyDisclosed": st.booleans() | JSON,
        "listenFor": st.lists(st.text(max_size=3), max_size=2) | JSON,
        "unknown": JSON,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=ACTIVITY)
def test_generated_activities_decode_alike(codec: Codec, data: dict[str, Any]) -> None:
    assert_decodes_alike(codec, "Activity", data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=ACTIVITY)
def test_decoded_activities_encode_alike(codec: Codec, data: dict[str, Any]) -> None:
    try:
        model = reference_decode("Activity", data)
    except Exception:
        return
    assert_encodes_alike(codec, model)


def outbound_models() -> list[Any]:
    """What netpuls sends: replies, cards, new conversations, invoke answers."""
    inbound = Codec(MODELS).from_json("Activity", act.message(act.personal(SERVICE), "help"))
    card = CardFactory.adaptive_card({"type": "AdaptiveCard", "version": "1.5", "body": []})
    text = MessageFactory.text("**help**: this list")
    text.text_format = "markdown"
    mention = Mention(
        mentioned=ChannelAccount(id="29:a", name="A"), text="<at>A</at>", type="mention"
    )
    with_mention = MessageFactory.text("<at>A</at> asks")
    with_mention.entities = [mention, Entity(type="clientInfo")]
    thread = ConversationParameters(
        is_group=True,
        bot=ChannelAccount(id="28:bot"),
        activity=MessageFactory.attachment(card),
        channel_data=TeamsChannelData(
            channel=ChannelInfo(id="19:c"), team=TeamInfo(id="19:t"), tenant=TenantInfo(id="t")
        ),
        tenant_id="t",
    )
    chat = ConversationParameters(
        members=[ChannelAccount(id="29:a")],
        channel_data={"tenant": {"id": "t"}, "notification": {"alert": True}},
    )
    timed = Activity(
        type=ActivityTypes.message,
        timestamp=datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC),
        conversation=ConversationAccount(id="c"),
        value={"when": datetime.date(2026, 11, 24)},
    )
    return [
        text,
        MessageFactory.attachment(card),
        with_mention,
        inbound.create_reply("hej"),
        thread,
        chat,
        timed,
        AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.card.adaptive", value=card.content
        ),
        Activity(type="message", text="odd", attachments=({"x": 1},)),
        Activity(type="message", value=[None, {"a": None}, ActivityTypes.invoke]),
    ]


@pytest.mark.parametrize("index", range(len(outbound_models())))
def test_what_netpuls_sends_encodes_exactly_as_msrest_encodes_it(codec: Codec, index: int) -> None:
    assert_encodes_alike(codec, outbound_models()[index])


TIMESTAMP = st.builds(
    lambda y, mo, d, h, mi, s, fraction, zone, t: (
        f"{y:04d}-{mo:02d}-{d:02d}{t}{h:02d}:{mi:02d}:{s:02d}{fraction}{zone}"
    ),
    st.integers(0, 10000),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 60),
    st.integers(0, 61),
    st.sampled_from(["", "."]) | st.from_regex(r"\.[0-9]{1,9}", fullmatch=True),
    st.sampled_from(["Z", "z", "", "+00:00", "+01:00", "-05:30", "+14:00", "+0100", "+25:00"]),
    st.sampled_from(["T", "t", " "]),
)


@settings(max_examples=500, deadline=None)
@given(stamp=TIMESTAMP)
def test_timestamps_decode_exactly_as_msrest_parses_them(codec: Codec, stamp: str) -> None:
    data = {"type": "message", "timestamp": stamp, "localTimestamp": stamp}
    expected = outcome(reference_decode, "Activity", dict(data))
    actual = outcome(codec.from_json, "Activity", dict(data))
    assert actual[0] == expected[0]
    if expected[0] == "ok":  # the repr names the time zone's class and every field
        for name in ("timestamp", "local_timestamp"):
            ours, theirs = getattr(actual[1], name), getattr(expected[1], name)
            assert repr(ours) == repr(theirs)
            assert ours.utcoffset() == theirs.utcoffset()


def test_a_teams_timestamp_is_parsed_without_msrest(codec: Codec) -> None:
    class Refused:
        def deserialize_data(self, *_args: Any) -> Any:
            raise AssertionError("msrest was asked for a date")

    fast = Codec(MODELS)
    fast.deserializer = Refused()  # type: ignore[assignment]
    activity = fast.from_json(
        "Activity",
        {
            "type": "message",
            "timestamp": "2026-11-24T09:30:12.1234567Z",
            "localTimestamp": "2026-11-24T10:30:12.1234567+01:00",
        },
    )
    assert activity.timestamp == activity.local_timestamp
    assert activity.timestamp.microsecond == 123456
