"""The tenant send budget replicas share through the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import pytest

from bot.teams.delivery import TeamsSender
from bot.teams.ratelimit import RateLimiter
from domain.model import ConversationKind, ConversationRef
from services.ports import DeliveryStatus, Outbound, UnitOfWorkFactory
from services.send_budget import Reservation, SharedTenantBudget
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork

RATE = 30.0
TENANT = "tenant-1"


class Wall:
    """A virtual wall clock both replicas read; sleeping records the wait and returns."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
async def replicas(
    database_url: str, uow_factory: UnitOfWorkFactory
) -> AsyncIterator[tuple[UnitOfWorkFactory, UnitOfWorkFactory]]:
    """Two units-of-work factories on one migrated database, each on its own engine."""
    second = create_engine(database_url)
    sessions = session_factory(second)
    try:
        yield uow_factory, lambda: SqlUnitOfWork(sessions)
    finally:
        await second.dispose()


def budgets(
    replicas: tuple[UnitOfWorkFactory, UnitOfWorkFactory], wall: Wall
) -> list[SharedTenantBudget]:
    return [SharedTenantBudget(uow, RATE, clock=wall, sleep=wall.sleep) for uow in replicas]


def crowded(times: list[float], limit: float, seconds: float = 1.0) -> list[str]:
    """Every window (t - seconds, t] that holds more than `limit` send times."""
    edge = 1e-6  # float sums of 1/30 land a hair either side of a window's open end
    return [
        f"{count} sends in the {seconds}s up to {t:.4f}"
        for t in times
        if (count := sum(1 for s in times if t - seconds + edge < s <= t + edge)) > limit
    ]


async def taken_together(budget: list[SharedTenantBudget], each: int) -> list[Reservation]:
    """`each` reservations from every replica at once."""
    calls = [b.take(TENANT, 60.0) for b in budget for _ in range(each)]
    return list(await asyncio.gather(*calls))


async def test_two_replicas_together_never_exceed_the_tenant_limit_over_any_window(
    replicas: tuple[UnitOfWorkFactory, UnitOfWorkFactory],
) -> None:
    wall = Wall()
    budget = budgets(replicas, wall)
    times: list[float] = []
    for _ in range(3):  # bursts half a second apart: the backlog of one meets the next
        times += [r.at for r in await taken_together(budget, 25)]
        wall.now += 0.5
    assert len(times) == 150
    assert crowded(times, RATE) == []
    ordered = sorted(times)
    assert min(b - a for a, b in itertools.pairwise(ordered)) >= 1 / RATE - 1e-6


async def test_two_replicas_together_reach_the_tenant_limit(
    replicas: tuple[UnitOfWorkFactory, UnitOfWorkFactory],
) -> None:
    wall = Wall()
    start = wall.now
    reservations = await taken_together(budgets(replicas, wall), 30)
    times = sorted(r.at for r in reservations)
    assert all(r.granted for r in reservations)
    # Sixty sends at 30/s: the first at once, then one every 1/30 s, no slot left unused.
    assert times[0] == pytest.approx(start)
    assert times[-1] == pytest.approx(start + 59 / RATE)
    assert sum(1 for t in times if t < start + 1.0 - 1e-6) == RATE


async def test_a_slot_beyond_the_longest_wait_is_refused_and_not_used_up(
    replicas: tuple[UnitOfWorkFactory, UnitOfWorkFactory],
) -> None:
    wall = Wall()
    first, second = budgets(replicas, wall)
    for _ in range(30):
        await first.take(TENANT, 60.0)  # a second's worth of sends booked
    refused = await second.take(TENANT, 0.5)
    assert not refused.granted
    assert second.wait(refused) == pytest.approx(1.0)
    granted = await second.take(TENANT, 2.0)
    assert granted.granted and granted.at == pytest.approx(wall.now + 1.0)


async def test_a_replica_woken_too_late_for_its_slot_takes_a_fresh_one(
    replicas: tuple[UnitOfWorkFactory, UnitOfWorkFactory],
) -> None:
    wall = Wall()
    start = wall.now
    first, _ = budgets(replicas, wall)
    for _ in range(30):
        await first.take(TENANT, 60.0)  # the next free slot is a second away

    async def oversleep(seconds: float) -> None:
        wall.now += seconds + 0.5  # a busy machine: half a second late

    late = SharedTenantBudget(replicas[1], RATE, clock=wall, sleep=oversleep)
    reservation = await late.take(TENANT, 60.0)
    # Not the slot at +1.0 s (the send would go half a second late, right behind the next
    # slot's), but a fresh one when it woke.
    assert reservation.granted and reservation.at == pytest.approx(start + 1.5)


async def test_the_sender_defers_without_sending_when_the_shared_budget_is_booked(
    replicas: tuple[UnitOfWorkFactory, UnitOfWorkFactory],
) -> None:
    wall = Wall()
    first, second = budgets(replicas, wall)
    for _ in range(60):
        await first.take(TENANT, 60.0)  # the other replica booked two seconds ahead

    class Unreachable:
        async def send(self, ref: ConversationRef, message: Outbound) -> str:
            raise AssertionError("nothing may be sent without a slot")

    limiter = RateLimiter(tenant_rate=RATE, budget=second, clock=wall, sleep=wall.sleep)
    sender = TeamsSender(Unreachable(), limiter, max_wait=1.0)
    ref = ConversationRef(
        conversation_id="19:channel",
        kind=ConversationKind.CHANNEL,
        service_url="http://127.0.0.1:9/",
        channel_id="msteams",
        tenant_id=TENANT,
    )
    result = await sender.deliver(ref, Outbound(text="agenda"))
    assert result.status is DeliveryStatus.RETRY and not result.attempted
    assert result.retry_after == pytest.approx(2.0)
