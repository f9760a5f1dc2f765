"""Skipped cadence steps told to the organisers: one notice per network and run, exactly once."""

from __future__ import annotations

from collections.abc import Callable

from domain.model import Network
from domain.organisers import is_organiser
from services.ports import Clock, NewDelivery, Outbound, StepRecord, UnitOfWorkFactory
from services.reach import personal_or_to_open

# The edge renders the organisers' notice of a network's skipped steps (oldest first).
SkipNotice = Callable[[Network, list[StepRecord]], Outbound]


async def report_skipped(uow: UnitOfWorkFactory, clock: Clock, notice: SkipNotice) -> int:
    """Tell each organiser, in personal chat, of the network's skipped steps not yet told: one
    notice per network listing them all (a network imported long after its first steps were
    due gets one, not one per step). The steps are marked told in the notice's transaction,
    and the notice is keyed by the first of them: exactly once, whichever replica runs it."""
    now = clock.now()
    async with uow() as work:
        slugs = await work.cadence.unreported()
    queued = 0
    for slug in slugs:
        async with uow() as work:
            network = await work.networks.get(slug)
            steps = await work.cadence.take_unreported(slug, now)
            if network is None or not steps:
                continue
            chats = [
                chat
                for person in await work.networks.people(slug)
                if is_organiser(person.roles)
                and (chat := await personal_or_to_open(work, person, slug)) is not None
            ]
            message = notice(network, steps)
            items = [
                NewDelivery(
                    key=f"{steps[0].key}:skipped|{chat.conversation_id}",
                    ref=chat,
                    message=message,
                    network=slug,
                )
                for chat in chats
            ]
            queued += await work.outbox.enqueue(items, now)
            await work.commit()
    return queued
