"""Malformed activities and card data get a 4xx or a clear message, never a 5xx."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network


@pytest.fixture
async def bot(start_bot: BotStarter) -> TestClient[Any, Any]:
    """The anonymous bot on the test database, with the small network imported."""
    return await start_bot({}, network=small_network())


def card_click(url: str, data: dict[str, Any], verb: str = "rsvp") -> dict[str, Any]:
    where = act.personal(url, user_id="29:odense", aad=None, name="Planner Odense")
    return act.card_invoke(where, verb, data)


def mutated(activity: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(activity)
    node = changed
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return changed


MESSAGE_MUTATIONS = [
    (("serviceUrl",), "http://127.0.0.1:"),
    (("channelData", "tenant"), "a string, not an object"),
    (("recipient",), None),
    (("from",), None),
    (("conversation", "id"), "19:a\x00b@thread.tacv2"),
    (("conversation", "id"), "19:" + "x" * 5000),
    (("from", "id"), "29:" + "y" * 5000),
    (("text",), "hello\x00world"),
    (("entities",), "not a list"),
    (("locale",), "\x00"),
]


@pytest.mark.parametrize(("path", "value"), MESSAGE_MUTATIONS, ids=repr)
async def test_a_malformed_message_is_never_answered_with_a_server_error(
    bot: Any, connector: Any, path: tuple[str, ...], value: Any
) -> None:
    _, url = connector
    where = act.personal(url, user_id="29:odense", aad=None, name="Planner Odense")
    response = await bot.post(
        "/api/messages", json=mutated(act.message(where, "help"), path, value)
    )
    assert response.status < 500


CARD_DATA = [
    {"meeting": "kompakte-groenne-byer:²", "answer": "attending"},
    {"meeting": "kompakte-groenne-byer:" + "9" * 20, "answer": "attending"},
    {"meeting": "kompakte-groenne-byer:1\x00", "answer": "attending"},
    {"meeting": {"nested": 1}, "answer": "attending"},
    {"meeting": "kompakte-groenne-byer:1", "answer": {"x": 1}},
    {"meeting": "kompakte-groenne-byer:1", "answer": "attending", "dietary": "x" * 100_000},
    {"decision": {}},
]


@pytest.mark.parametrize("data", CARD_DATA, ids=lambda d: repr(d)[:60])
@pytest.mark.parametrize("verb", ["rsvp", "refresh", "attendees", "case_decide"])
async def test_malformed_card_data_gets_a_clear_refusal_not_a_server_error(
    bot: Any, connector: Any, data: dict[str, Any], verb: str
) -> None:
    _, url = connector
    response = await bot.post("/api/messages", json=card_click(url, data, verb))
    assert response.status < 500
    body = await response.json()
    assert body["statusCode"] < 500


@pytest.mark.parametrize("exp", ["²", "9" * 5000, "-1", "1e9"])
async def test_a_signed_link_with_a_malformed_expiry_is_refused_not_a_server_error(
    bot: Any, exp: str
) -> None:
    response = await bot.get(f"/calendar/kompakte-groenne-byer/1.ics?exp={exp}&sig=abc")
    assert 400 <= response.status < 500
