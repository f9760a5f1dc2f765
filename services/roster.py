"""The team's roster against the network's people: who is missing where, and ids learnt."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from domain.errors import N_, DomainError, NotFound
from domain.model import ConversationKind, Network, Person
from domain.organisers import OrganiserAction
from domain.roster import TeamMember, match_roster
from services import audit
from services.calendar_ports import RosterPort
from services.graph_port import GraphFailure
from services.networks import Actor, Directory, identify, network_for
from services.ports import Clock, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


class RosterUnavailable(DomainError):
    """The roster could not be read (Graph not configured, or refusing)."""


@dataclass(frozen=True, slots=True)
class RosterReport:
    """The comparison of one network with its team."""

    network: Network
    matched: int
    learnt: int
    not_in_team: tuple[Person, ...]
    not_in_network: tuple[TeamMember, ...]


async def team_of(uow: UnitOfWork, slug: str) -> str | None:
    """The Microsoft 365 group id of the team whose channel is linked to the network."""
    for ref in await uow.conversations.linked_to(slug):
        if ref.kind is ConversationKind.CHANNEL and ref.installed and ref.team_aad_group_id:
            return ref.team_aad_group_id
    return None


async def sync_roster(
    uow: UnitOfWorkFactory,
    roster: RosterPort | None,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    clock: Clock,
) -> RosterReport:
    """`roster sync`: for the facilitator and the secretariat of the conversation's network."""
    async with uow() as work:
        person = await identify(work, actor, directory)
        network = await network_for(work, conversation_id, person, actor)
        roles = await work.people.roles(person.key, network.slug) if person else frozenset()
        who = person.key if person else audit.UNKNOWN
        await audit.require(work, clock, network.slug, who, roles, OrganiserAction.SYNC_ROSTER)
        team = await team_of(work, network.slug)
        await audit.record(work, clock, network.slug, who, "roster.sync")
        await work.commit()
    if team is None:
        raise NotFound(
            N_(
                "No team channel is linked to {network} yet. Write link {slug} in the "
                "network's channel first."
            ),
            network=network.name,
            slug=network.slug,
        )
    if roster is None:
        raise RosterUnavailable(
            N_("Reading the team's members needs Microsoft Graph, which is not set up here.")
        )
    try:
        return await compare(uow, roster, network, team)
    except GraphFailure as exc:
        log.warning("roster of %s failed: %s", network.slug, exc)
        raise RosterUnavailable(
            N_("Microsoft Graph did not give me the team's members ({code}). Try again later."),
            code=exc.code,
        ) from exc


async def compare(
    uow: UnitOfWorkFactory, roster: RosterPort, network: Network, team: str
) -> RosterReport:
    """Read the team, match it to the network's people, remember the object ids learnt."""
    members = await roster.team_members(team)
    async with uow() as work:
        people = await work.networks.people(network.slug)
        found = match_roster(people, members)
        learnt = 0
        for person, member in found.learnt:
            # The id is unique across networks: someone outside this one may hold it already.
            if await work.people.find(aad_object_id=member.user_id) is None:
                await work.people.remember_teams_ids(
                    person.key, teams_user_id=None, aad_object_id=member.user_id
                )
                learnt += 1
        await work.commit()
    return RosterReport(
        network=network,
        matched=len(found.matched),
        learnt=learnt,
        not_in_team=found.not_in_team,
        not_in_network=found.not_in_network,
    )


async def compare_all(uow: UnitOfWorkFactory, roster: RosterPort) -> list[RosterReport]:
    """The daily job: every network with a linked team; one failing team does not stop the rest."""
    async with uow() as work:
        networks = await work.networks.all()
        teams = [(n, await team_of(work, n.slug)) for n in networks]
    reports = []
    for network, team in teams:
        if team is None:
            continue
        try:
            reports.append(await compare(uow, roster, network, team))
        except GraphFailure as exc:
            log.warning("roster of %s failed: %s", network.slug, exc)
    return reports
