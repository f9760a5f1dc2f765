"""Membership review: every command and every card verb, sent by someone outside the network.

For each command of every feature (the registry `help` lists) and each card verb that reads or
writes a network's data, three outsiders try: a member of another network in the same tenant,
a user of another tenant whose roster e-mail is a member's, and someone in no network. Each
tries in their personal chat and in the network's own channel. Whatever they get back (the
reply, a card, a personal message) holds none of the network's data: not its name, its
people, its municipalities or its meeting's place.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.features import default_registry
from bot.routing import card_data
from services.network_file import parse_network_file
from services.networks import import_network
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.card_data import MEETING, WELL_FORMED
from tests.support.http import link_channel, post_activity
from tests.support.networks import SMALL, small_network

OTHER_TENANT = "9f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
PEOPLE = {
    "29:fac": "facilitator@example.org",
    "29:odense": "planner.odense@example.org",
    "29:elsewhere": "planner.aarhus@example.org",  # a member of another network
    "29:intruder": "planner.odense@example.org",  # another tenant's user with a member's e-mail
    "29:stranger": "stranger@example.org",  # in no network
}
OUTSIDERS = {
    "another network": ("29:elsewhere", act.TENANT),
    "another tenant": ("29:intruder", OTHER_TENANT),
    "no network": ("29:stranger", act.TENANT),
}
# What the network's data looks like in a reply: its people, their answers, its meeting's
# programme (the other network shares none of it). A refusal may name the network.
MARKERS = (
    "Planlægger Odense",
    "planner.odense",
    "Netværksfacilitator",
    "facilitator@example.org",
    "vegetar",
    "Odense Rådhus",
    "Byomdannelse",
    "Velkomst",
)
# Commands that read no network's data: they are answered to anyone, by design.
OPEN = {"help", "language", "privacy"}
# Anyone of a municipality may apply while a call is open: the form is public by design.
PUBLIC_VERBS = {"apply", "privacy_erase", "privacy_erase_confirm"}
ARGS = {
    "agenda": "1",
    "attendees": "1",
    "case": "1",
    "cases": "1",
    "host": "1",
    "summary": "1",
    "evaluate": "1",
    "evaluation": "1",
    "link": "kompakte-groenne-byer",
    "apply": "kompakte-groenne-byer",
    "seat": "odense",
    "share": "https://example.org/slides 1",
    "ask": "Hvordan?",
    "answered": "kompakte-groenne-byer:1",
    "material": "1",
    "audit": "5",
}
COMMANDS = sorted({c.name for c in default_registry()} - OPEN)
# Verbs that act on the reader's own data only (their privacy card) read no network's data.
VERBS = sorted(set(card_data.MODELS) - PUBLIC_VERBS)

OTHER_NETWORK = (
    SMALL.replace("kompakte-groenne-byer", "andet-netvaerk")
    .replace("Kompakte, grønne byer", "Andet netværk")
    .replace("odense", "aarhus")
    .replace("Odense", "Aarhus")
    .replace("koege", "vejle")
    .replace("Køge", "Vejle")
    .replace("facilitator@example.org", "facilitator.andet@example.org")
    .replace("Netværksfacilitator", "Anden facilitator")
    .replace("Byomdannelse", "Omdannelse")  # its own programme: what it shows its members
    .replace("Velkomst", "Goddag")
)


@pytest.fixture
async def bot(start_bot: BotStarter, connector: Any, uow_factory: Any) -> Any:
    """The network with a linked channel and one answer; another network beside it."""
    _, url = connector
    declared = small_network()
    other = parse_network_file(OTHER_NETWORK, name="other.yaml", today=date(2024, 3, 1))
    await import_network(uow_factory(), other)
    client = await start_bot(PEOPLE, network=declared)
    await link_channel(client, _channel(url, "29:fac", act.TENANT))
    odense = act.personal(url, user_id="29:odense", aad=None, name=PEOPLE["29:odense"])
    data = {"meeting": MEETING, "answer": "attending", "dietary": "vegetar"}
    await post_activity(client, act.card_invoke(odense, "rsvp", data))
    return client


def _channel(url: str, user: str, tenant: str) -> dict[str, Any]:
    return act.channel(url, user_id=user, aad=None, name=PEOPLE[user], tenant=tenant)


def _where(url: str, outsider: str, place: str) -> dict[str, Any]:
    user, tenant = OUTSIDERS[outsider]
    if place == "channel":
        return _channel(url, user, tenant)
    return act.personal(url, user_id=user, aad=None, name=PEOPLE[user], tenant=tenant)


def _shown(activities: list[dict[str, Any]]) -> list[object]:
    """What people see of sent activities: their text and cards."""
    return [(a.get("text"), a.get("attachments")) for a in activities]


TRIES = [(outsider, place) for outsider in sorted(OUTSIDERS) for place in ("personal", "channel")]


def _leaks(seen: object) -> list[str]:
    text = str(seen)
    return [marker for marker in MARKERS if marker in text]


@pytest.mark.parametrize(("outsider", "place"), TRIES)
@pytest.mark.parametrize("command", COMMANDS)
async def test_an_outsiders_command_gets_a_refusal_without_the_networks_data(
    bot: Any, connector: Any, command: str, outsider: str, place: str
) -> None:
    fake, url = connector
    before = len(fake.sent)
    text = f"{command} {ARGS.get(command, '')}".strip()
    sent = act.message(_where(url, outsider, place), text, mention=place == "channel")
    status, _ = await post_activity(bot, sent)
    assert status < 500
    replies = _shown([s.activity for s in fake.sent[before:]])
    assert replies, f"{command}: no answer at all"
    assert not _leaks(replies), (command, _leaks(replies), replies)


@pytest.mark.parametrize(("outsider", "place"), TRIES)
@pytest.mark.parametrize("verb", VERBS)
async def test_an_outsiders_click_gets_a_refusal_without_the_networks_data(
    bot: Any, connector: Any, verb: str, outsider: str, place: str
) -> None:
    fake, url = connector
    where = _where(url, outsider, place)
    before = len(fake.sent)
    status, body = await post_activity(bot, act.card_invoke(where, verb, WELL_FORMED[verb]))
    assert status == 200
    if body["type"] == "application/vnd.microsoft.error":
        assert 400 <= body["statusCode"] < 500 and body["value"]["message"]
    else:  # the refusal on the feature's own card, or (asking) the reader's own network's card
        assert body["statusCode"] == 200 and body["value"]["type"] == "AdaptiveCard", (verb, body)
    assert not _leaks(body), (verb, _leaks(body), body)
    assert not _leaks(_shown([s.activity for s in fake.sent[before:]])), verb
