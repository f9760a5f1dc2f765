"""A bot replica for the multi-process test: runs a simulated year on an accelerated clock.

python -m tests.support.cadence_worker DB_URL START END DAYS_PER_SECOND NAME
Simulated time = START + (real seconds since launch) * DAYS_PER_SECOND days, until END.
Deliveries go to the service URL stored with each conversation (the test's fake connector).
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import aiohttp

from domain.model import ConversationRef
from services import cadence, outbox
from services.cadence import StepContext, Target
from services.ports import DeliveryResult, DeliveryStatus, Handover, Outbound
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork

# A lease measured on the simulated clock: 120 simulated days are 3 real seconds at 40 days/s,
# so a live replica's sends never look abandoned, and a killed one's are taken over quickly.
LEASE = 120 * 86400.0


class AcceleratedClock:
    """Simulated time running DAYS_PER_SECOND days per real second from START, up to `until`.

    It stops at `until` so that a replica slowed down by a busy machine never runs the clock
    on towards year 9999 (200,000 days a second get there in 15 real seconds)."""

    def __init__(self, start: datetime, days_per_second: float, until: datetime) -> None:
        self._start = start
        self._rate = days_per_second
        self._days = (until - start) / timedelta(days=1)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        """The simulated now."""
        days = min((time.monotonic() - self._t0) * self._rate, self._days)
        return self._start + timedelta(days=days)


class FrozenClock:
    """A clock stopped at one instant: the last look at the cadence before END."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        """Always the same instant."""
        return self._at


class PostSender:
    """POSTs each message to the conversation's service URL, as the Bot Connector takes it."""

    def __init__(self, http: aiohttp.ClientSession, timeout: float = 5.0) -> None:
        self._http = http
        self._timeout = timeout

    async def deliver(
        self,
        ref: ConversationRef,
        message: Outbound,
        *,
        attempt: int = 1,
        handover: Handover | None = None,
    ) -> DeliveryResult:
        if handover is not None and not await handover():
            return DeliveryResult(DeliveryStatus.RETRY, error="lease lost", attempted=False)
        url = (
            f"{ref.service_url.rstrip('/')}/v3/conversations/"
            f"{quote(ref.conversation_id, safe='')}/activities"
        )
        try:
            async with self._http.post(
                url,
                json={"type": "message", "text": message.text},
                timeout=aiohttp.ClientTimeout(total=self._timeout),
            ) as response:
                if response.status >= 300:
                    return DeliveryResult(
                        DeliveryStatus.RETRY, retry_after=0.0, error=str(response.status)
                    )
                return DeliveryResult(DeliveryStatus.SENT, (await response.json())["id"])
        except (aiohttp.ClientError, TimeoutError) as exc:
            return DeliveryResult(DeliveryStatus.RETRY, retry_after=0.0, error=repr(exc))


def render(context: StepContext) -> list[Target]:
    """One message per channel, naming the step so the test can count it."""
    return [Target(c, Outbound(text=context.step.key)) for c in context.channels]


async def main(url: str, start: str, end: str, rate: float, name: str) -> None:
    """Run steps and deliveries until the simulated clock passes END."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    stop = datetime.fromisoformat(end)
    # A year past END every retry and lease of the drain below is due.
    clock = AcceleratedClock(datetime.fromisoformat(start), rate, stop + timedelta(days=365))
    try:
        async with aiohttp.ClientSession() as http:
            sender = PostSender(http)
            while clock.now() < stop:
                await cadence.run_due(
                    lambda: SqlUnitOfWork(sessions), clock, render, name, timedelta(days=3650)
                )
                await outbox.deliver_due(
                    lambda: SqlUnitOfWork(sessions),
                    clock,
                    sender,
                    max_attempts=50,
                    batch=20,
                    concurrency=10,
                    lease_seconds=LEASE,
                )
                await asyncio.sleep(0.01)
            # One last pass at the instant before END: a step due between the last loop pass and
            # END (a slow pass on a loaded machine spans simulated weeks) still runs, as a real
            # replica's next tick would run it.
            await cadence.run_due(
                lambda: SqlUnitOfWork(sessions),
                FrozenClock(stop - timedelta(microseconds=1)),
                render,
                name,
                timedelta(days=3650),
            )
            # Drain: deliver what is still waiting after the year ends, including what another
            # replica enqueued a moment "later" on its own clock; stop when none is left.
            for _ in range(300):
                await outbox.deliver_due(
                    lambda: SqlUnitOfWork(sessions),
                    clock,
                    sender,
                    max_attempts=50,
                    batch=50,
                    concurrency=10,
                    lease_seconds=LEASE,
                )
                async with SqlUnitOfWork(sessions) as uow:
                    waiting = await uow.outbox.listing(None, ("pending",))
                if not waiting:
                    break
                await asyncio.sleep(0.05)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]))
    print(f"{sys.argv[5]} finished at {datetime.now(UTC).isoformat()}", flush=True)
