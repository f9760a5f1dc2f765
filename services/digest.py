"""The digest: once per week or month, what happened in the network and what comes next.

Posted to the network's channels through the outbox under the key
`<network>:digest:<period>|<channel>`, so restarts and several replicas never post it twice.
A period in which nothing happened (no material, no questions, no answers) gets no digest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from domain.engagement import (
    ActivityKind,
    DigestFrequency,
    DigestPeriod,
    last_period,
    next_period_end,
)
from domain.material import Material
from domain.model import Meeting, MeetingKind, Network, next_meeting
from services.ports import (
    Clock,
    NewDelivery,
    Outbound,
    StepRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)
from services.sparring_support import channels


@dataclass(frozen=True, slots=True)
class Digest:
    """One network's digest for one finished period."""

    network: Network
    frequency: DigestFrequency
    period: DigestPeriod
    material: tuple[Material, ...]
    questions_asked: int | None  # None: this installation cannot count questions
    questions_answered: int | None
    coming: tuple[StepRecord, ...]  # planned cadence steps in the next period
    next_meeting: Meeting | None
    towns: dict[str, str] = field(default_factory=dict)  # municipality names by key
    trips: frozenset[int] = frozenset()  # numbers of the study trips, named and not numbered

    @property
    def empty(self) -> bool:
        """Nothing happened: coming steps alone are no reason to post."""
        return not self.material and not self.questions_asked and not self.questions_answered


# The edge renders the digest (a card in the network's language).
DigestRenderer = Callable[[Digest], Outbound]


def digest_key(slug: str, period: DigestPeriod, conversation_id: str) -> str:
    """The outbox key that makes one network's digest for one period exactly-once per channel."""
    return f"{slug}:digest:{period.label}|{conversation_id}"


def due_at(network: Network, period: DigestPeriod) -> datetime:
    """When a period's digest is due: the network's step time on the day after the period."""
    return datetime.combine(period.end.date(), network.cadence.step_time, network.zone)


async def _count(work: UnitOfWork, kind: ActivityKind, slug: str, p: DigestPeriod) -> int | None:
    if kind not in work.engagement.kinds():
        return None
    return len(await work.engagement.events(kind, slug, p.start, p.end))


async def build_digest(
    work: UnitOfWork,
    network: Network,
    frequency: DigestFrequency,
    period: DigestPeriod,
    now: datetime,
) -> Digest:
    """What happened in the period, and what is planned in the period after it."""
    slug = network.slug
    material = await work.engagement.material_between(slug, period.start, period.end)
    horizon = next_period_end(period, frequency)
    steps = await work.cadence.upcoming(slug, now.astimezone(UTC), horizon.astimezone(UTC))
    meetings = await work.networks.meetings(slug)
    return Digest(
        network=network,
        frequency=frequency,
        period=period,
        material=tuple(material),
        questions_asked=await _count(work, ActivityKind.QUESTION_ASKED, slug, period),
        questions_answered=await _count(work, ActivityKind.QUESTION_ANSWERED, slug, period),
        coming=tuple(s for s in steps if s.status == "planned"),
        next_meeting=next_meeting(meetings, network.zone, now),
        towns={m.key: m.name for m in await work.networks.municipalities(slug)},
        trips=frozenset(m.number for m in meetings if m.kind is MeetingKind.STUDY_TRIP),
    )


async def enqueue_digests(
    uow: UnitOfWorkFactory,
    clock: Clock,
    render: DigestRenderer,
    frequency: DigestFrequency,
    grace: timedelta,
) -> int:
    """Queue the digest of every network whose last period's digest is due (within `grace`)."""
    if frequency is DigestFrequency.OFF:
        return 0
    now = clock.now()
    queued = 0
    async with uow() as work:
        networks = await work.networks.all()
    for network in networks:
        period = last_period(frequency, now, network.zone)
        due = due_at(network, period)
        if not due <= now <= due + grace:
            continue  # not yet, or missed for too long (a stale digest helps nobody)
        if period.end.date() <= network.starts_on or period.start.date() > network.ends_on:
            continue  # the period lies outside the network's life
        async with uow() as work:
            queued += await _enqueue(work, render, network, frequency, period, now)
            await work.commit()
    return queued


async def _enqueue(
    work: UnitOfWork,
    render: DigestRenderer,
    network: Network,
    frequency: DigestFrequency,
    period: DigestPeriod,
    now: datetime,
) -> int:
    targets = await channels(work, network.slug)
    if not targets:
        return 0
    digest = await build_digest(work, network, frequency, period, now)
    if digest.empty:
        return 0
    message = render(digest)
    items = [
        NewDelivery(
            key=digest_key(network.slug, period, ref.conversation_id),
            ref=ref,
            message=message,
            network=network.slug,
        )
        for ref in targets
    ]
    return await work.outbox.enqueue(items, now)


@dataclass(frozen=True, slots=True)
class DigestWork:
    """The digest as the scheduler runs it: how often, how late, and how it is rendered."""

    frequency: DigestFrequency
    grace: timedelta
    render: DigestRenderer

    async def run(self, uow: UnitOfWorkFactory, clock: Clock) -> int:
        """Queue the digests that are due; how many deliveries were queued."""
        return await enqueue_digests(uow, clock, self.render, self.frequency, self.grace)
