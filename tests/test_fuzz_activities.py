"""Mutated documented activities and card data never get a 5xx, and refused ones change nothing.

Each activity payload of tests/contracts/teams/ is sent to the anonymous bot (on SQLite and
on PostgreSQL) with one to three of its fields dropped or replaced by junk: wrong types, None,
huge strings, control characters and NUL, Unicode digits, over-long ids, service URLs that do
not parse, nested junk. The card invoke is also sent with random verbs and `value.action.data`.
Every answer must be below 500; when the bot refuses (4xx), every table is as it was before.
Hypothesis runs derandomized with a fixed number of examples, so a CI run is repeatable.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.routing import card_data
from cards import ids
from tests.contracts import load, names
from tests.support.bot_app import BotStarter
from tests.support.card_data import MEETING, WELL_FORMED
from tests.support.http import post_activity
from tests.support.networks import small_network

# A response of the Connector, not an activity the bot receives.
ACTIVITIES = [name for name in names("teams") if name != "connector-team-details"]
CARD_INVOKE = "invoke-adaptive-card-action"
EXAMPLES_PER_CONTRACT = 16
CARD_EXAMPLES = 80
PLANNER = "planner.odense@example.org"

ODD_URLS = [
    "https://x:",
    "http://127.0.0.1:",
    "http://127.0.0.1:99999/",
    "http://127.0.0.1:-1/",
    "http://[::1",
    "http://127.0.0.1:²/",
    "127.0.0.1",
    "ftp://127.0.0.1/",
    "http://user@127.0.0.1:0/",
    "",
]
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "\x07\x1b[31m",
    "²",
    "٣",
    "9" * 20,
    "-1",
    "1e9",
    "../../../etc/passwd",
    "29:" + "x" * 5000,
    "19:" + "y" * 2000 + "@thread.tacv2",
    "ø" * 300,
    MEETING,
    MEETING + "\x00",
    "kompakte-groenne-byer:²",
    "kompakte-groenne-byer:" + "9" * 20,
]

scalar_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(ODD_TEXT),
    st.sampled_from(ODD_URLS),
    st.text(max_size=40),
)
junk = st.recursive(
    scalar_junk,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every field of a JSON value, as the keys and indexes that lead to it."""
    found: list[tuple[Any, ...]] = []
    items: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    for key, value in items:
        found.append((*prefix, key))
        found.extend(paths(value, (*prefix, key)))
    return found


def _leads(node: Any, key: Any) -> bool:
    """Whether `key` names a field of the JSON object or array `node`."""
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and key < len(node)


def changed(payload: dict[str, Any], path: tuple[Any, ...], value: Any, drop: bool) -> None:
    """Drop the field at `path`, or set it to `value`, if the path still leads somewhere."""
    node: Any = payload
    for key in path[:-1]:
        if not _leads(node, key):
            return
        node = node[key]
    last = path[-1]
    if not _leads(node, last):
        return
    if drop:
        del node[last]
    else:
        node[last] = value


# A click may change these, by design: refusals of organiser actions are recorded in the audit
# log, and every invoke refreshes its conversation's reference (its updated_at).
AUDIT = ("audit_log", "conversations.updated_at")
# Stands for the fake Connector's URL (known only when the test runs) until an activity is sent.
CONNECTOR = "http://127.0.0.1/the-fake-connector/"


def documented(name: str) -> dict[str, Any]:
    """The contract payload, its service URL the fake Connector's (the test bot's only peer)."""
    return load("teams", name, serviceUrl=CONNECTOR)


@st.composite
def mutated_activities(draw: st.DrawFn) -> dict[str, Any]:
    """A documented activity with one to three of its fields dropped or replaced by junk."""
    payload = documented(draw(st.sampled_from(ACTIVITIES)))
    fields = paths(payload)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(fields))
        drop = draw(st.booleans())
        changed(payload, path, None if drop else draw(junk), drop)
    return payload


random_card_data = st.dictionaries(
    st.sampled_from(
        [
            ids.DATA_VERB,
            ids.DATA_MEETING,
            ids.DATA_ANSWER,
            ids.INPUT_DIETARY,
            ids.INPUT_NOTE,
            "decision",
            "case",
            "chosen",
            "group",
            "material",
            "met",
            "network",
            "question",
            "replace",
            "base",
        ]
    ),
    st.one_of(junk, st.sampled_from([MEETING, *ids.ANSWERS, "yes", "no", "1", "0"])),
    max_size=5,
)
VERBS = sorted(card_data.MODELS)
# Values that pass a loose check and are still not what a card sends.
PLAUSIBLE = [
    "0",
    "-1",
    "+1",
    " 1",
    "1 ",
    "1.0",
    "²",
    "٣",
    "9" * 20,
    "a:1",
    "x" * 101,
    MEETING + "0" * 6,
]


@st.composite
def mutated_card_data(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A verb's well-formed data with one to three fields dropped, added or set to junk."""
    verb = draw(st.sampled_from(VERBS))
    data: dict[str, Any] = dict(WELL_FORMED[verb])
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        key = draw(st.one_of(st.sampled_from(sorted(data) or ["meeting"]), st.text(max_size=8)))
        if data and draw(st.booleans()):
            data.pop(key, None)
        else:
            data[key] = draw(st.one_of(junk, st.sampled_from(PLAUSIBLE)))
    return verb, data


@st.composite
def card_clicks(draw: st.DrawFn) -> dict[str, Any]:
    """The documented card invoke with a real or junk verb and random `value.action.data`."""
    payload = documented(CARD_INVOKE)
    if draw(st.booleans()):  # the same click in a personal chat, as Teams sends it there
        tenant = payload["channelData"]["tenant"]
        payload["channelData"] = {"tenant": tenant}
        payload["conversation"] = {"conversationType": "personal", "id": "a:personal-chat-1"}
    action = payload["value"]["action"]
    if draw(st.booleans()):
        action["verb"], action["data"] = draw(mutated_card_data())
    else:
        action["verb"] = draw(st.one_of(st.sampled_from(VERBS), junk))
        action["data"] = draw(st.one_of(random_card_data, junk))
    return payload


async def snapshot(engine: AsyncEngine, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """A digest of the rows of every table and column but `skip`'s ('table' or 'table.column'):
    equal snapshots, an unchanged database."""
    digests = {}
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        for table in sorted(set(tables) - set(skip)):
            rows = (await conn.execute(text(f'SELECT * FROM "{table}"'))).mappings().all()
            kept = [{k: v for k, v in r.items() if f"{table}.{k}" not in skip} for r in rows]
            rendered = json.dumps(sorted(repr(sorted(r.items())) for r in kept)).encode()
            digests[table] = hashlib.sha256(rendered).hexdigest()[:12]
    return digests


@pytest.fixture
async def bot(start_bot: BotStarter, connector: Any) -> Any:
    """The anonymous bot with the small network; every contract's sender is a planner in it."""
    senders = {load("teams", name).get("from", {}).get("id") for name in ACTIVITIES}
    return await start_bot(
        {sender: PLANNER for sender in senders if sender}, network=small_network()
    )


class Refusals:
    """Sends activities, checking that none is a 5xx and that a refused one changes nothing."""

    def __init__(self, client: Any, engine: AsyncEngine, service_url: str) -> None:
        self.client = client
        self.service_url = service_url
        self.engine = engine
        self.before: dict[str, str] | None = None
        self.sent = 0
        self.refused = 0

    async def send(self, activity: dict[str, Any]) -> None:
        if self.before is None:
            self.before = await snapshot(self.engine)
        if activity.get("serviceUrl") == CONNECTOR:
            activity = {**activity, "serviceUrl": self.service_url}
        status, body = await post_activity(self.client, activity)
        self.sent += 1
        assert status < 500, (status, body, activity)
        if isinstance(body, dict) and isinstance(body.get("statusCode"), int):
            assert body["statusCode"] < 500, (body, activity)
        after = await snapshot(self.engine)
        await self.only_wellformed_references()
        if 400 <= status < 500:
            self.refused += 1
            assert after == self.before, ("refused input changed the database", status, activity)
        self.before = after

    async def click(self, activity: dict[str, Any]) -> None:
        """A card click: a refused one (an invoke error) changes nothing but the audit log.

        The same conversation is clicked in once first, so storing its reference and binding
        the reader's ids (what any first activity does) is not taken for the click's doing.
        """
        primer = copy.deepcopy(activity)
        primer["value"]["action"].update(verb="refresh", data={"meeting": MEETING})
        primer["serviceUrl"] = self.service_url
        await post_activity(self.client, primer)
        before = await snapshot(self.engine, skip=AUDIT)
        activity = {**activity, "serviceUrl": self.service_url}
        status, body = await post_activity(self.client, activity)
        assert status < 500, (status, body, activity)
        code = body.get("statusCode") if isinstance(body, dict) else None
        if isinstance(code, int):
            assert code < 500, (body, activity)
        if status >= 400 or (isinstance(code, int) and code >= 400):
            self.refused += 1
            after = await snapshot(self.engine, skip=AUDIT)
            changed = sorted(t for t in after if after[t] != before.get(t))
            assert not changed, ("a refused click changed", changed, body, activity)

    async def only_wellformed_references(self) -> None:
        """Every stored conversation reference names the fake Connector and printable ids."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT * FROM conversations"))).mappings().all()
        for row in rows:
            assert row["service_url"] == self.service_url, dict(row)
            for column in ("conversation_id", "tenant_id", "bot_id", "team_id", "user_id"):
                value = row[column]
                assert value is None or value.isprintable(), dict(row)


def regression(name: str, path: tuple[Any, ...], value: Any, drop: bool = False) -> dict[str, Any]:
    """A documented activity with one field changed: a case the fuzz test found."""
    payload = documented(name)
    changed(payload, path, value, drop)
    return payload


FUZZ = settings(
    max_examples=EXAMPLES_PER_CONTRACT * len(ACTIVITIES),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(activity=mutated_activities())
# An invoke without a name: botbuilder answered 501 Not Implemented, after storing the reference.
@example(activity=regression(CARD_INVOKE, ("name",), None))
# A member-added event without a recipient: the turn failed reading recipient.id.
@example(activity=regression("conversation-update-bot-added-team", ("recipient",), None))
# channelData as a list: TeamsChannelData.deserialize raised inside the turn.
@example(activity=regression("message-channel", ("channelData",), [None, "http://[::1"]))
# A service URL whose port does not parse was stored as the reference; NUL in an id
# (PostgreSQL cannot store it); an id longer than its column.
@example(activity=regression("message-personal", ("serviceUrl",), "http://127.0.0.1:"))
@example(activity=regression("message-personal", ("conversation", "id"), "a:x\x00y"))
@example(activity=regression("message-personal", ("from", "id"), "29:" + "x" * 5000))
async def test_mutated_documented_activities_never_get_a_server_error_and_refusals_change_nothing(
    bot: Any, connector: Any, engine: AsyncEngine, activity: dict[str, Any]
) -> None:
    await Refusals(bot, engine, connector[1]).send(activity)


@settings(FUZZ, max_examples=CARD_EXAMPLES)
@given(activity=card_clicks())
async def test_random_card_data_never_gets_a_server_error_and_refusals_change_nothing(
    bot: Any, connector: Any, engine: AsyncEngine, activity: dict[str, Any]
) -> None:
    await Refusals(bot, engine, connector[1]).click(activity)
