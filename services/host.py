"""The host prompt: the host municipality co-plans its meeting and brings problem statements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from domain.errors import N_, NotAllowed
from domain.model import Meeting, Network, RoleKind
from domain.organisers import OrganiserAction
from domain.sparring import HostPlan, clean_host_plan
from services.conversations import personal_chat
from services.meeting_state import parse_meeting_key
from services.networks import Actor, Directory
from services.ports import Clock, Notifier, Outbound, UnitOfWork
from services.reach import send_or_queue
from services.sparring_support import (
    Member,
    host_name,
    meeting_of,
    member,
    organiser,
    record,
)


@dataclass(frozen=True, slots=True)
class HostState:
    """A meeting as its host sees it: the proposals so far."""

    network: Network
    meeting: Meeting
    host_name: str
    plan: HostPlan

    @property
    def key(self) -> str:
        """The meeting's id in card data."""
        return f"{self.network.slug}:{self.meeting.number}"


@dataclass(frozen=True, slots=True)
class HostPrompt:
    """Whom the prompt reached, and the host contacts without a personal chat with the bot."""

    state: HostState
    sent: tuple[str, ...]
    unreachable: tuple[str, ...]


async def _state(uow: UnitOfWork, slug: str, number: int) -> HostState:
    network, meeting = await meeting_of(uow, slug, number)
    plan = await uow.host_plans.get(slug, number) or HostPlan(
        address=meeting.place, what_to_see=meeting.field_visit
    )
    return HostState(network, meeting, await host_name(uow, slug, meeting), plan)


def _may_edit(who: Member | None, meeting: Meeting) -> bool:
    return who is not None and (who.facilitator or who.hosts(meeting))


async def host_state(
    uow: UnitOfWork, key: object, actor: Actor, directory: Directory | None
) -> HostState:
    """The host card's state, for the host's contacts and the facilitator."""
    slug, number = parse_meeting_key(key)
    async with uow:
        state = await _state(uow, slug, number)
        if not _may_edit(await member(uow, slug, actor, directory), state.meeting):
            raise _not_host(state)
        await uow.commit()
    return state


def _not_host(state: HostState) -> NotAllowed:
    return NotAllowed(
        N_(
            "Only the contacts of the host municipality ({host}) and the facilitator "
            "can edit the host's proposals."
        ),
        host=state.host_name or "-",
    )


async def host_prompt(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    slug: str,
    number: int,
    message: Callable[[HostState], Outbound],
) -> HostPrompt:
    """Send the host card to the host municipality's contacts (the cadence's D-42 step)."""
    async with uow:
        state = await _state(uow, slug, number)
        contacts = (
            await uow.host_plans.contacts(slug, RoleKind.HOST_CONTACT, state.meeting.host)
            if state.meeting.host
            else []
        )
        targets = [(p.name, await personal_chat(uow, p.key, slug)) for p in contacts]
    sent: list[str] = []
    now = clock.now()
    for name, ref in targets:
        if ref is not None:
            key = f"{slug}:host-prompt:m{number}:{now:%Y%m%dT%H%M}"
            await send_or_queue(uow, now, notifier, ref, message(state), key, slug)
            sent.append(name)
    unreachable = tuple(name for name, ref in targets if ref is None)
    return HostPrompt(state, tuple(sent), unreachable)


async def send_host_prompt(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    key: object,
    actor: Actor,
    directory: Directory | None,
    message: Callable[[HostState], Outbound],
) -> HostPrompt:
    """`host <meeting>` by the facilitator or the secretariat: send the prompt now."""
    slug, number = parse_meeting_key(key)
    async with uow:
        who = await organiser(
            uow, slug, actor, directory, OrganiserAction.SEND_HOST_PROMPT, clock=clock
        )
        await record(uow, clock, slug, who.person.key, "host.prompt", f"meeting {number}")
        await uow.commit()
    return await host_prompt(uow, clock, notifier, slug, number, message)


async def save_host_plan(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    directory: Directory | None,
    key: object,
    fields: dict[str, object],
) -> HostState:
    """Store the host's proposals: the host's contacts and the facilitator only."""
    slug, number = parse_meeting_key(key)
    plan = clean_host_plan(
        fields.get("programme"), fields.get("address"), fields.get("what_to_see")
    )
    async with uow:
        state = await _state(uow, slug, number)
        who = await member(uow, slug, actor, directory)
        if who is None or not _may_edit(who, state.meeting):
            raise _not_host(state)
        stored = replace(plan, updated_by=who.person.key, updated_at=clock.now())
        await uow.host_plans.save(slug, number, stored)
        await record(uow, clock, slug, who.person.key, "host.plan", f"meeting {number}")
        await uow.commit()
    return replace(state, plan=stored)
