"""Teams' send limits as an admission controller: sliding windows per conversation, a token
bucket per tenant.

Pure apart from waiting: the clock (monotonic seconds) and the sleep are injected, so tests
run on virtual time. One limiter per process; every send and conversation creation the bot
makes should pass through it. The tenant's budget is in memory by default; with `budget`
(services.send_budget.SharedTenantBudget) it is reserved in the database, so replicas
share one tenant limit instead of each taking a part of it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from services.send_budget import Reservation

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Window:
    """At most `limit` sends in any `seconds`-long stretch."""

    limit: int
    seconds: float


# learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit, per bot per thread.
TEAMS_CONVERSATION_WINDOWS = (
    Window(7, 1.0),
    Window(8, 2.0),
    Window(60, 30.0),
    Window(1800, 3600.0),
)


@dataclass(frozen=True, slots=True)
class Admission:
    """Granted after waiting `wait` seconds, or refused: a slot is `wait` seconds away."""

    granted: bool
    wait: float


class TenantBudget(Protocol):
    """A tenant budget kept outside this process (services.send_budget.SharedTenantBudget)."""

    async def take(self, tenant: str, max_wait: float) -> Reservation:
        """Wait for a send slot; refused at once when it is beyond `max_wait`."""
        ...

    def wait(self, reservation: Reservation) -> float:
        """Seconds until a refused reservation's slot is free."""
        ...


class _Conversation:
    """Send times of one conversation (oldest first) and how long it is paused."""

    __slots__ = ("lock", "paused_until", "sent", "users")

    def __init__(self, depth: int) -> None:
        self.sent: deque[float] = deque(maxlen=depth)
        self.paused_until = -math.inf
        self.lock = asyncio.Lock()
        self.users = 0  # callers holding or awaiting this state: it must not be dropped


class _Tenant:
    """A GCRA token bucket: the theoretical arrival time of the next conforming send."""

    __slots__ = ("arrival", "lock", "users")

    def __init__(self, now: float) -> None:
        self.arrival = now
        self.lock = asyncio.Lock()
        self.users = 0


class RateLimiter:
    """Waits for a slot that keeps a conversation inside its windows and a tenant under its rate.

    The tenant bucket is GCRA (a token bucket kept as one "theoretical arrival time"); callers
    take their turn in call order (asyncio.Lock is FIFO). `tenant_burst` 2 (the default)
    paces sends at `tenant_rate` and lets a sleep that woke a little late be made up at once,
    so the rate does not drift down; 1 paces strictly. `margin` widens every conversation
    window a little, because the Connector measures arrival times and the network adds
    jitter between our clock and its.
    """

    def __init__(
        self,
        *,
        tenant_rate: float,
        tenant_burst: int = 2,
        windows: tuple[Window, ...] = TEAMS_CONVERSATION_WINDOWS,
        margin: float = 0.05,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        prune_every: float = 60.0,
        budget: TenantBudget | None = None,
    ) -> None:
        if tenant_rate <= 0 or tenant_burst < 1:
            raise ValueError("tenant_rate must be positive and tenant_burst at least 1")
        self._interval = 1.0 / tenant_rate
        self._tolerance = (tenant_burst - 1) * self._interval
        self._windows = windows
        self._horizon = max((w.seconds for w in windows), default=0.0) + margin
        self._depth = max((w.limit for w in windows), default=1)
        self._margin = margin
        self._clock = clock
        self._sleep = sleep
        self._prune_every = prune_every
        self._pruned_at = clock()
        self._conversations: dict[str, _Conversation] = {}
        self._tenants: dict[str, _Tenant] = {}
        self._budget = budget

    async def acquire(
        self, conversation: str, tenant: str = "", *, max_wait: float = math.inf
    ) -> Admission:
        """Wait for a send slot; refused, without waiting, when the conversation's is too far."""
        began = self._clock()
        state = self._conversation(conversation)
        bucket = self._tenant(tenant)
        state.users += 1
        bucket.users += 1
        try:
            # One admission at a time per conversation keeps its send times in order.
            async with state.lock:
                delay = await self._conversation_turn(state, max_wait)
                if delay > 0:
                    return Admission(False, delay)
                if self._budget is None:
                    await self._tenant_turn(bucket)
                else:
                    reservation = await self._budget.take(tenant, max_wait)
                    if not reservation.granted:
                        return Admission(False, self._budget.wait(reservation))
                state.sent.append(self._clock())
        finally:
            state.users -= 1
            bucket.users -= 1
        self._maybe_prune()
        return Admission(True, max(0.0, self._clock() - began))

    def pause_conversation(self, conversation: str, seconds: float) -> None:
        """Hold back sends to a conversation, e.g. for a 429's Retry-After."""
        state = self._conversation(conversation)
        state.paused_until = max(state.paused_until, self._clock() + max(0.0, seconds))

    def tracked(self) -> int:
        """How many conversations the limiter holds state for (bounded: idle ones are dropped)."""
        return len(self._conversations)

    def _conversation(self, conversation: str) -> _Conversation:
        state = self._conversations.get(conversation)
        if state is None:
            state = self._conversations[conversation] = _Conversation(self._depth)
        return state

    def _tenant(self, tenant: str) -> _Tenant:
        bucket = self._tenants.get(tenant)
        if bucket is None:
            bucket = self._tenants[tenant] = _Tenant(self._clock())
        return bucket

    async def _conversation_turn(self, state: _Conversation, max_wait: float) -> float:
        """0 once the conversation may send; else how far its slot is, when beyond max_wait."""
        while True:
            now = self._clock()
            delay = self._ready_at(state, now) - now
            if delay <= 0:
                return 0.0
            if delay > max_wait:
                return delay
            await self._sleep(delay)  # then look again: a 429 may have paused it meanwhile

    def _ready_at(self, state: _Conversation, now: float) -> float:
        ready = max(now, state.paused_until)
        sent = state.sent
        for window in self._windows:
            if len(sent) >= window.limit:
                # The window admits a send once its limit-th most recent send has left it.
                ready = max(ready, sent[-window.limit] + window.seconds + self._margin)
        return ready

    async def _tenant_turn(self, bucket: _Tenant) -> None:
        async with bucket.lock:  # only the caller at the head of the queue watches the clock
            wait = bucket.arrival - self._tolerance - self._clock()
            if wait > 0:
                await self._sleep(wait)
            # Counted from the real time: a late wake-up (a busy event loop) must not let the
            # callers queued behind go out in a burst to catch up.
            bucket.arrival = max(bucket.arrival, self._clock()) + self._interval

    def _maybe_prune(self) -> None:
        now = self._clock()
        if now - self._pruned_at < self._prune_every:
            return
        self._pruned_at = now
        cutoff = now - self._horizon
        for key, state in list(self._conversations.items()):
            while state.sent and state.sent[0] <= cutoff:
                state.sent.popleft()
            if not state.sent and state.paused_until <= now and state.users == 0:
                del self._conversations[key]
        for tenant, bucket in list(self._tenants.items()):
            if bucket.arrival <= now and bucket.users == 0:  # a full bucket: no state needed
                del self._tenants[tenant]
