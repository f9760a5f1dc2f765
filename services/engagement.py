"""Engagement for the organisers: per municipality, what it did over the network's period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.engagement import ActivityEvent, EngagementTable, period_of, tally
from domain.errors import N_, NotFound
from domain.model import Network, SeatStatus
from domain.organisers import OrganiserAction
from services.networks import Actor, Directory, identify, network_for
from services.ports import Clock, UnitOfWork
from services.sparring_support import organiser

DEFAULT_QUIET_DAYS = 60


@dataclass(frozen=True, slots=True)
class Engagement:
    """The network and its engagement table."""

    network: Network
    table: EngagementTable


async def collect(
    uow: UnitOfWork, clock: Clock, network: Network, quiet_after: timedelta
) -> EngagementTable:
    """Every source's events over the network's period, tallied (inside the caller's unit)."""
    now = clock.now()
    start, end = period_of(network, now)
    kinds = uow.engagement.kinds()
    events: list[ActivityEvent] = []
    for kind in kinds:
        events += await uow.engagement.events(kind, network.slug, start, end)
    members = [
        m
        for m in await uow.networks.municipalities(network.slug)
        if m.seat_status is SeatStatus.MEMBER
    ]
    return tally(network, members, kinds, events, now, quiet_after)


async def engagement(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    quiet_after: timedelta,
) -> Engagement:
    """The engagement of the network this conversation speaks for (facilitator, secretariat)."""
    async with uow:
        person = await identify(uow, actor, directory)
        network = await network_for(uow, conversation_id, person, actor)
        await organiser(
            uow, network.slug, actor, directory, OrganiserAction.SEE_ENGAGEMENT, clock=clock
        )
        table = await collect(uow, clock, network, quiet_after)
        await uow.commit()  # identify() may have remembered the person's Teams ids
    return Engagement(network, table)


async def engagement_of(
    uow: UnitOfWork, clock: Clock, slug: str, quiet_after: timedelta
) -> Engagement:
    """The engagement of a network by its slug (signed downloads: the link is the permission)."""
    async with uow:
        network = await uow.networks.get(slug)
        if network is None:
            raise NotFound(N_("There is no network called '{name}'."), name=slug)
        return Engagement(network, await collect(uow, clock, network, quiet_after))
