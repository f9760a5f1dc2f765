"""The per-tenant send budget, shared by every replica through the database.

Teams limits what a bot sends per tenant, whichever process sends it. Each send therefore
reserves the tenant's next free send time in the database (one short transaction): the
reservations are spaced 1/rate apart however many replicas ask at once, and the caller
waits until its own time. No process holds a share of the budget, so one replica alone
uses all of it and two together never exceed it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # services.ports names SendSlots in its unit of work
    from services.ports import UnitOfWorkFactory

# A send this late for its slot would arrive right behind the next slot's send (another
# replica's, on time): Teams sees a burst. A late waker takes a fresh slot instead, a few
# times at most, then sends anyway rather than starve.
LATE_SECONDS = 0.05
TAKES = 3


@dataclass(frozen=True, slots=True)
class Reservation:
    """Granted: a send may go at `at`; refused: the next free send time is `at`."""

    granted: bool
    at: float  # seconds since the epoch, as every replica's wall clock counts them


class SendSlots(Protocol):
    """The tenants' next free send times, kept where every replica sees them."""

    async def reserve(
        self, tenant: str, now: float, interval: float, horizon: float
    ) -> Reservation:
        """Take the tenant's next free send time (never before `now`) and move it on by
        `interval`; refused, leaving it alone, when it is more than `horizon` seconds away."""
        ...


class SharedTenantBudget:
    """Waits for a send slot of the tenant's rate, reserved in the database."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        rate: float,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._uow = uow
        self._interval = 1.0 / rate
        self._clock = clock  # wall-clock seconds: replicas on other machines count the same
        self._sleep = sleep

    async def take(self, tenant: str, max_wait: float) -> Reservation:
        """Reserve a slot and wait for it; refused at once when it is beyond `max_wait`."""
        for _ in range(TAKES):
            reservation = await self._reserve(tenant, max_wait)
            if not reservation.granted:
                return reservation
            wait = reservation.at - self._clock()
            if wait > 0:
                await self._sleep(wait)
            # Late after a slow round trip or a slow wake-up alike.
            if self._clock() - reservation.at <= LATE_SECONDS:
                return reservation
        return reservation

    async def _reserve(self, tenant: str, max_wait: float) -> Reservation:
        async with self._uow() as work:
            reservation = await work.send_slots.reserve(
                tenant, self._clock(), self._interval, max_wait
            )
            await work.commit()  # at once: the row is locked until then
        return reservation

    def wait(self, reservation: Reservation) -> float:
        """How long from now until a refused reservation's slot is free."""
        return max(reservation.at - self._clock(), 0.0)
