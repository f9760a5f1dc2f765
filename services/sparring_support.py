"""What the sparring services share: who someone is in a network, the audit log, chats."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import N_, NotFound
from domain.model import (
    ConversationKind,
    ConversationRef,
    Meeting,
    MeetingStatus,
    Network,
    Person,
    RoleKind,
    meeting_key,
)
from domain.organisers import OrganiserAction, is_organiser
from domain.sparring import AuditEntry
from services import audit
from services.networks import Actor, Directory, identify, network_for
from services.ports import Clock, UnitOfWork
from services.rsvp import resolve_meeting


@dataclass(frozen=True, slots=True)
class Member:
    """A person as one network sees them: their roles there, and whether they belong."""

    person: Person
    roles: frozenset[RoleKind]
    belongs: bool

    @property
    def organiser(self) -> bool:
        """Facilitator or secretariat."""
        return is_organiser(self.roles)

    @property
    def facilitator(self) -> bool:
        """The network's facilitator."""
        return RoleKind.FACILITATOR in self.roles

    def hosts(self, meeting: Meeting) -> bool:
        """A contact of the municipality hosting this meeting."""
        return (
            RoleKind.HOST_CONTACT in self.roles
            and meeting.host is not None
            and self.person.municipality == meeting.host
        )


async def member(
    uow: UnitOfWork, slug: str, actor: Actor, directory: Directory | None
) -> Member | None:
    """Who the actor is in this network, or None when netpuls does not know them."""
    person = await identify(uow, actor, directory)
    if person is None:
        return None
    roles = await uow.people.roles(person.key, slug)
    belongs = slug in await uow.people.networks_of(person.key)
    return Member(person, roles, belongs)


async def organiser(
    uow: UnitOfWork,
    slug: str,
    actor: Actor,
    directory: Directory | None,
    action: OrganiserAction,
    clock: Clock,
) -> Member:
    """The actor as facilitator or secretariat, or a refusal naming `action`."""
    found = await member(uow, slug, actor, directory)
    if found is None:
        await audit.refuse(uow, clock, slug, None, action)
    who = found.person.key
    await audit.require(uow, clock, slug, who, found.roles, action)
    return found


async def meeting_of(uow: UnitOfWork, slug: str, number: int) -> tuple[Network, Meeting]:
    """The network and one of its meetings, or NotFound."""
    network = await uow.networks.get(slug)
    meeting = (
        next((m for m in await uow.networks.meetings(slug) if m.number == number), None)
        if network
        else None
    )
    if network is None or meeting is None:
        raise NotFound(N_("This card does not belong to a meeting I know."))
    return network, meeting


async def record(
    uow: UnitOfWork, clock: Clock, slug: str, who: str, action: str, subject: str
) -> None:
    """Write one audit entry (inside the caller's unit of work, committed with the change)."""
    await uow.audit.record(AuditEntry(slug, who, action, subject, clock.now()))


async def channels(uow: UnitOfWork, slug: str) -> list[ConversationRef]:
    """The installed channels linked to a network."""
    return [
        r
        for r in await uow.conversations.linked_to(slug)
        if r.kind is ConversationKind.CHANNEL and r.installed
    ]


async def host_name(uow: UnitOfWork, slug: str, meeting: Meeting) -> str:
    """The name of the municipality hosting a meeting, or ''."""
    towns = {m.key: m.name for m in await uow.networks.municipalities(slug)}
    return towns.get(meeting.host or "", "")


async def latest_meeting(
    uow: UnitOfWork, clock: Clock, conversation_id: str, actor: Actor, argument: str
) -> str:
    """The meeting a command names, or by default the latest one that has begun."""
    if argument.strip():
        return await resolve_meeting(uow, clock, conversation_id, actor, argument)
    async with uow:
        person = await uow.people.find(
            aad_object_id=actor.aad_object_id, teams_user_id=actor.teams_user_id
        )
        network = await network_for(uow, conversation_id, person, actor)
        meetings = await uow.networks.meetings(network.slug)
    now = clock.now()
    begun = [
        m
        for m in meetings
        if m.status is not MeetingStatus.CANCELLED and m.starts_at(network.zone) <= now
    ]
    if not begun:
        raise NotFound(
            N_("{network} has not met yet. Write the meeting's number after the command."),
            network=network.name,
        )
    latest = max(begun, key=lambda m: m.starts_at(network.zone))
    return meeting_key(network.slug, latest.number)
