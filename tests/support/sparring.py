"""The small network with the people the sparring flows need: a host contact, a secretariat."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from domain.model import ConversationKind, ConversationRef, NetworkFile, Person, RoleKind
from services.networks import Actor
from tests.conftest import FixedClock
from tests.support.networks import small_network

SLUG = "kompakte-groenne-byer"
KEY = f"{SLUG}:1"
CHANNEL = "19:general@thread.tacv2"
FACILITATOR = Actor(teams_user_id="29:fac")
SECRETARIAT = Actor(teams_user_id="29:sec")
ODENSE = Actor(teams_user_id="29:odense")  # participant, Odense (meeting 1's host town)
HOST = Actor(teams_user_id="29:host")  # host contact, Odense
KOEGE = Actor(teams_user_id="29:koege")  # participant, Køge
STRANGER = Actor(teams_user_id="29:stranger")
EMAILS = {
    "29:fac": "facilitator@example.org",
    "29:sec": "secretariat@example.org",
    "29:odense": "planner.odense@example.org",
    "29:host": "host.odense@example.org",
    "29:koege": "planner.koege@example.org",
    "29:stranger": "someone@example.org",
}
BEFORE = FixedClock(datetime(2024, 3, 1, 12, tzinfo=UTC))  # two weeks before meeting 1
DURING = FixedClock(datetime(2024, 3, 14, 12, tzinfo=UTC))  # meeting 1 is on
AFTER = FixedClock(datetime(2024, 3, 15, 12, tzinfo=UTC))  # the day after meeting 1


def _person(name: str, email: str, town: str | None, *roles: RoleKind) -> Person:
    return Person(key=email, name=name, email=email, municipality=town, roles=frozenset(roles))


def sparring_network() -> NetworkFile:
    """small_network plus a host contact in Odense, a planner in Køge and a secretariat."""
    declared = small_network()
    extra = (
        _person("Sekretariatet", "secretariat@example.org", None, RoleKind.SECRETARIAT),
        _person(
            "Vært Odense",
            "host.odense@example.org",
            "odense",
            RoleKind.PARTICIPANT,
            RoleKind.HOST_CONTACT,
        ),
        _person("Planlægger Køge", "planner.koege@example.org", "koege", RoleKind.PARTICIPANT),
    )
    return dataclasses.replace(declared, people=(*declared.people, *extra))


def channel_ref() -> ConversationRef:
    """The network's linked channel."""
    return ConversationRef(
        conversation_id=CHANNEL,
        kind=ConversationKind.CHANNEL,
        service_url="http://127.0.0.1:9/",
        channel_id="msteams",
    )


def personal_ref(user_id: str) -> ConversationRef:
    """A personal chat with one user."""
    return ConversationRef(
        conversation_id=f"a:personal-{user_id}",
        kind=ConversationKind.PERSONAL,
        service_url="http://127.0.0.1:9/",
        channel_id="msteams",
        user_id=user_id,
    )


CASE = {
    "title": "Fortætning ved letbanen",
    "description": "Hvordan sikrer vi grønne friarealer, når vi fortætter ved stationen?",
    "themes": "1",
}
