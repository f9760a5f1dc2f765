"""Matching the team's roster to the network's people, and `roster sync` for organisers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.errors import NotAllowed, NotFound
from domain.model import ConversationKind, ConversationRef, Person
from domain.roster import TeamMember, match_roster
from services.graph_port import GraphFailure
from services.networks import Actor, import_network
from services.roster import RosterUnavailable, compare_all, sync_roster
from tests.conftest import FixedClock
from tests.support.networks import small_network

SLUG = "kompakte-groenne-byer"
CHANNEL = "19:team-general@thread.tacv2"
ANNA = Person("anna", "Anna", "Anna@Example.org", aad_object_id="aad-anna")
BO = Person("bo", "Bo", "bo@example.org")
CARL = Person("carl", "Carl", "carl@example.org")

CLOCK = FixedClock(datetime(2024, 3, 1, 12, tzinfo=UTC))


def test_people_are_matched_by_object_id_first() -> None:
    found = match_roster([ANNA], [TeamMember("AAD-ANNA", "other@example.org", "Anna A.")])
    assert [p.key for p, _ in found.matched] == ["anna"] and found.learnt == ()


def test_without_an_id_the_email_matches_case_insensitively_and_the_id_is_learnt() -> None:
    found = match_roster([BO], [TeamMember("aad-bo", "BO@EXAMPLE.ORG ", "Bo")])
    assert [(p.key, m.user_id) for p, m in found.learnt] == [("bo", "aad-bo")]
    assert found.not_in_team == () and found.not_in_network == ()


def test_the_report_goes_both_ways() -> None:
    members = [
        TeamMember("aad-anna", "anna@example.org", "Anna"),
        TeamMember("aad-x", "consultant@example.org", "Consultant"),
    ]
    found = match_roster([ANNA, CARL], members)
    assert [p.key for p in found.not_in_team] == ["carl"]
    assert [m.email for m in found.not_in_network] == ["consultant@example.org"]
    assert len(found.matched) == 1


def test_an_id_another_person_holds_is_never_learnt_by_email() -> None:
    impostor = Person("bo2", "Bo Two", "anna@example.org")
    found = match_roster([ANNA, impostor], [TeamMember("aad-anna", "anna@example.org", "Anna")])
    assert [p.key for p, _ in found.matched] == ["anna"]
    assert [p.key for p in found.not_in_team] == ["bo2"] and found.learnt == ()


class FakeRoster:
    """The team's members, or a Graph failure."""

    def __init__(self, members: list[TeamMember], failure: GraphFailure | None = None) -> None:
        self.members = members
        self.failure = failure
        self.asked: list[str] = []

    async def team_members(self, team_id: str) -> list[TeamMember]:
        self.asked.append(team_id)
        if self.failure:
            raise self.failure
        return list(self.members)


FACILITATOR = Actor(teams_user_id="29:fac", aad_object_id=None)
PLANNER = Actor(teams_user_id="29:odense", aad_object_id=None)


class Emails:
    """The Teams roster's e-mail per user id (the Directory port)."""

    async def email_of(self, teams_user_id: str) -> str | None:
        return {"29:fac": "facilitator@example.org", "29:odense": "planner.odense@example.org"}.get(
            teams_user_id
        )


@pytest.fixture
async def linked(uow_factory: Any) -> Any:
    await import_network(uow_factory(), small_network())
    async with uow_factory() as uow:
        await uow.conversations.save(
            ConversationRef(
                CHANNEL,
                ConversationKind.CHANNEL,
                "https://smba.example.org/",
                "msteams",
                team_id=CHANNEL,
                team_aad_group_id="group-aad-1",
            )
        )
        await uow.conversations.link(CHANNEL, SLUG)
        await uow.commit()
    return uow_factory


TEAM = [
    TeamMember("aad-fac", "Facilitator@Example.org", "Netværksfacilitator"),
    TeamMember("aad-consultant", "consultant@example.org", "Consultant"),
]


async def test_a_sync_learns_ids_and_reports_both_ways(linked: Any) -> None:
    roster = FakeRoster(TEAM)
    report = await sync_roster(linked, roster, CHANNEL, FACILITATOR, Emails(), CLOCK)
    assert roster.asked == ["group-aad-1"]
    assert (report.matched, report.learnt) == (1, 1)
    assert [p.email for p in report.not_in_team] == ["planner.odense@example.org"]
    assert [m.email for m in report.not_in_network] == ["consultant@example.org"]
    async with linked() as uow:
        person = await uow.people.find(aad_object_id="aad-fac")
    assert person is not None and person.email == "facilitator@example.org"
    again = await sync_roster(linked, roster, CHANNEL, FACILITATOR, Emails(), CLOCK)
    assert (again.matched, again.learnt) == (1, 0)


async def test_only_organisers_may_sync_and_nothing_is_read_for_others(linked: Any) -> None:
    roster = FakeRoster(TEAM)
    with pytest.raises(NotAllowed):
        await sync_roster(linked, roster, CHANNEL, PLANNER, Emails(), CLOCK)
    assert roster.asked == []


async def test_without_graph_or_with_graph_refusing_the_answer_is_clear(linked: Any) -> None:
    with pytest.raises(RosterUnavailable):
        await sync_roster(linked, None, CHANNEL, FACILITATOR, Emails(), CLOCK)
    refusing = FakeRoster([], GraphFailure(403, "Forbidden", "Missing role permissions"))
    with pytest.raises(RosterUnavailable) as raised:
        await sync_roster(linked, refusing, CHANNEL, FACILITATOR, Emails(), CLOCK)
    assert raised.value.params == {"code": "Forbidden"}


async def test_a_network_without_a_linked_team_is_told_to_link_first(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    with pytest.raises(NotFound):
        await sync_roster(uow_factory, FakeRoster(TEAM), "a:personal", FACILITATOR, Emails(), CLOCK)


async def test_the_daily_job_compares_every_linked_network(linked: Any) -> None:
    reports = await compare_all(linked, FakeRoster(TEAM))
    assert [(r.network.slug, r.matched, r.learnt) for r in reports] == [(SLUG, 1, 1)]
    assert await compare_all(linked, FakeRoster([], GraphFailure(503, "x", "y"))) == []
