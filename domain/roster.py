"""Matching a team's members to a network's people: by Entra object id, else by e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.model import Person


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A member of the network's team as the roster reports them."""

    user_id: str  # the Entra (AAD) object id
    email: str
    display_name: str
    teams_user_id: str | None = None  # "29:...", when the Bot Connector's roster was read
    tenant_id: str | None = None


@dataclass(frozen=True, slots=True)
class RosterMatch:
    """Who is in both, who is only in the network, who is only in the team."""

    matched: tuple[tuple[Person, TeamMember], ...]
    learnt: tuple[tuple[Person, TeamMember], ...]  # matched by e-mail; their id is new to us
    not_in_team: tuple[Person, ...]
    not_in_network: tuple[TeamMember, ...]


def _folded(email: str) -> str:
    return email.strip().casefold()


def _identity(member: TeamMember) -> str:
    """Who a member is, whichever ids the roster gave (Graph: the object id; the Bot
    Connector: the Teams id too)."""
    return (member.user_id or member.teams_user_id or _folded(member.email)).lower()


def match_roster(people: Iterable[Person], members: Iterable[TeamMember]) -> RosterMatch:
    """Pair people and members: a known object id wins; else the e-mail, case-insensitively."""
    people = sorted(people, key=lambda p: p.name.casefold())
    members = sorted(members, key=lambda m: m.display_name.casefold())
    by_id = {m.user_id.lower(): m for m in members if m.user_id}
    by_email = {_folded(m.email): m for m in members if m.email}
    # Object ids other people already have: never hand one to a second person.
    taken = {p.aad_object_id.lower() for p in people if p.aad_object_id}
    matched: list[tuple[Person, TeamMember]] = []
    learnt: list[tuple[Person, TeamMember]] = []
    missing: list[Person] = []
    used: set[str] = set()
    for person in people:
        member = by_id.get((person.aad_object_id or "").lower())
        learn = False
        if member is None and person.email:
            member = by_email.get(_folded(person.email))
            if member is not None and member.user_id.lower() in taken:
                member = None  # that id belongs to someone else in the network
            # A stored id that differs (a guest's id in another tenant) is kept, not replaced.
            learn = member is not None and person.aad_object_id is None
        if member is None or _identity(member) in used:
            missing.append(person)
            continue
        used.add(_identity(member))
        matched.append((person, member))
        if learn:
            learnt.append((person, member))
    strangers = tuple(m for m in members if _identity(m) not in used)
    return RosterMatch(tuple(matched), tuple(learnt), tuple(missing), strangers)
