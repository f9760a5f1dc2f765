"""The outbox worker: deliver what is due, record every outcome, retry durably."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from domain.model import ConversationRef, person_to_reach
from services.ports import (
    Clock,
    DeliveryRecord,
    DeliveryStatus,
    Sender,
    UnitOfWork,
    UnitOfWorkFactory,
)
from services.reach import Reach, resolve

log = logging.getLogger(__name__)
LEASE_SECONDS = 120.0
BACKOFF_CAP_SECONDS = 600.0


@dataclass
class Delivered:
    """What one pass of the worker did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0  # waiting for a person to open a chat with the bot
    ids: list[str] = field(default_factory=list)


def backoff(attempt: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter, capped: 2, 4, 8 ... seconds, at most 10 min."""
    ceiling = min(BACKOFF_CAP_SECONDS, 2.0 ** max(attempt, 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


async def deliver_due(
    uow: UnitOfWorkFactory,
    clock: Clock,
    sender: Sender,
    *,
    max_attempts: int,
    batch: int = 50,
    concurrency: int = 20,
    lease_seconds: float = LEASE_SECONDS,
    reach: Reach | None = None,
) -> Delivered:
    """Claim due deliveries, send them (bounded concurrency), record each outcome."""
    async with uow() as work:
        await work.outbox.recover(clock.now())
        claimed = await work.outbox.claim_due(clock.now(), lease_seconds, batch)
        refs = {d.conversation_id: await work.conversations.get(d.conversation_id) for d in claimed}
        await work.commit()
    result = Delivered()
    gate = asyncio.Semaphore(concurrency)

    async def one(delivery: DeliveryRecord) -> None:
        async with gate:
            await _deliver(
                uow,
                clock,
                sender,
                delivery,
                refs.get(delivery.conversation_id),
                max_attempts,
                result,
                reach,
            )

    await asyncio.gather(*(one(d) for d in claimed))
    return result


async def _deliver(
    uow: UnitOfWorkFactory,
    clock: Clock,
    sender: Sender,
    delivery: DeliveryRecord,
    ref: ConversationRef | None,
    max_attempts: int,
    result: Delivered,
    reach: Reach | None = None,
) -> None:
    if person_to_reach(delivery.conversation_id) is not None:
        # A message for a person whose personal chat is still to be opened.
        found = await resolve(uow, clock.now(), reach, delivery, delivery.network)
        if found.ref is None:
            async with uow() as work:
                if found.gone:
                    await work.outbox.mark_failed(delivery.id, "failed", found.reason)
                    result.failed += 1
                elif found.waiting:
                    result.held += 1
                else:
                    delay = found.retry_after or backoff(delivery.attempts)
                    await work.outbox.mark_retry(
                        delivery.id, clock.now() + timedelta(seconds=delay), found.reason
                    )
                    result.retried += 1
                await work.commit()
            return
        ref = found.ref
    if ref is None or not ref.installed:
        async with uow() as work:
            await work.outbox.mark_failed(
                delivery.id, "blocked", "the bot is no longer in this conversation"
            )
            await work.commit()
        result.failed += 1
        return
    lost = False

    async def handover() -> bool:
        # Its own short transaction, right before the request leaves: until here a crash
        # leaves the claim to expire and be retried; from here on it is held as unconfirmed.
        nonlocal lost
        async with uow() as work:
            ours = await work.outbox.mark_sending(delivery.id, clock.now())
            await work.commit()
        lost = not ours
        return ours

    outcome = await sender.deliver(
        ref, delivery.message, attempt=delivery.attempts, handover=handover
    )
    if lost:
        log.info(
            "delivery %s: the lease ran out before sending; left to its new owner", delivery.key
        )
        return
    async with uow() as work:
        if outcome.status is DeliveryStatus.SENT:
            await work.outbox.mark_sent(delivery.id, outcome.activity_id, clock.now())
            await _remember(work, delivery, outcome.activity_id)
            result.sent += 1
            result.ids.append(delivery.key)
        elif outcome.status is DeliveryStatus.RETRY and (
            delivery.attempts < max_attempts or not outcome.attempted
        ):
            delay = (
                outcome.retry_after
                if outcome.retry_after is not None
                else backoff(delivery.attempts)
            )
            await work.outbox.mark_retry(
                delivery.id,
                clock.now() + timedelta(seconds=delay),
                outcome.error,
                counted=outcome.attempted,  # held back by our own rate limit: not an attempt
            )
            result.retried += 1
        else:
            status = "blocked" if outcome.status is DeliveryStatus.BLOCKED else "failed"
            if outcome.status is DeliveryStatus.BLOCKED:
                await work.conversations.mark_uninstalled(ref.conversation_id)
            await work.outbox.mark_failed(delivery.id, status, outcome.error or status)
            result.failed += 1
            log.warning("delivery %s %s after %d attempts", delivery.key, status, delivery.attempts)
        await work.commit()


async def _remember(work: UnitOfWork, delivery: DeliveryRecord, activity_id: str) -> None:
    """After a card is posted, remember where, so later changes update it in place."""
    memo = delivery.remember or {}
    if memo.get("posted") and memo.get("network") and memo.get("meeting") is not None:
        await work.posted.remember(
            str(memo["posted"]),
            str(memo["network"]),
            int(str(memo["meeting"])),
            delivery.conversation_id,
            activity_id,
        )
