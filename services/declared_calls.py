"""A call for applications declared in the network file opens by itself, announced once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from domain.membership import Call
from domain.model import ConversationKind, Network
from services.membership import CallState, call_state
from services.ports import Clock, NewDelivery, Outbound, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
OPENED_BY = "network file"

# The edge words the announcement (the same text as `call open`).
CallAnnouncer = Callable[[CallState], Outbound]


def opens_at(network: Network) -> datetime | None:
    """When the declared call opens: its day, at the network's cadence time, local time."""
    if network.call_opens is None or network.registration_deadline is None:
        return None
    return datetime.combine(network.call_opens, network.cadence.step_time, network.zone)


def announcement_key(network: Network, conversation_id: str) -> str:
    """The outbox key of the announcement: one per declared opening day and channel."""
    return f"{network.slug}:call_opens:{network.call_opens}|{conversation_id}"


async def open_declared_calls(uow: UnitOfWorkFactory, clock: Clock, announce: CallAnnouncer) -> int:
    """Open every declared call whose day has come; returns how many announcements were queued.

    Safe to run on every scheduler tick, after restarts and on several replicas: the call row is
    inserted only if the network has none (a unique constraint decides), and each channel's
    announcement is keyed in the outbox, so it is posted once.
    """
    now = clock.now()
    async with uow() as work:
        networks = await work.networks.all()
    queued = 0
    for network in networks:
        start = opens_at(network)
        if start is None or now < start:
            continue
        async with uow() as work:
            queued += await _open(work, clock, network, start, now, announce)
            await work.commit()
    return queued


async def _open(
    work: UnitOfWork,
    clock: Clock,
    network: Network,
    start: datetime,
    now: datetime,
    announce: CallAnnouncer,
) -> int:
    assert network.registration_deadline is not None
    declared = Call(network.registration_deadline, start)
    if not declared.is_open(now, network.zone):
        return 0  # the bot was down for the whole call: nothing to announce any more
    if await work.membership.open_declared_call(network.slug, declared, by=OPENED_BY):
        log.info("call for applications to %s opened as declared", network.slug)
    stored = await work.membership.call(network.slug)
    if stored is None or stored.opened_at != start:
        return 0  # the secretariat opened (or moved) a call of their own: theirs stands
    state = await call_state(work, clock, network)
    if not state.open:
        return 0  # closed early by the secretariat
    channels = [
        r
        for r in await work.conversations.linked_to(network.slug)
        if r.kind is ConversationKind.CHANNEL and r.installed
    ]
    message = announce(state)
    items = [
        NewDelivery(
            key=announcement_key(network, c.conversation_id),
            ref=c,
            message=message,
            network=network.slug,
        )
        for c in channels
    ]
    return await work.outbox.enqueue(items, now) if items else 0
