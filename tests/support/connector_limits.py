"""Teams' send limits and random failures for the fake Bot Connector (FakeConnector.limits).

Enforced like the service: per conversation sliding windows (7/1 s, 8/2 s, 60/30 s,
1800/h) and a per-tenant rate, answered with 429 and Retry-After; plus 429s (with and
without Retry-After) and 5xx injected at configurable rates from a seeded RNG, so a run can
be repeated exactly. Only sends and conversation creations (POST) are limited.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.fake_connector import Failure

TEAMS_WINDOWS: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
SERVER_ERRORS = (500, 502, 503, 504)


@dataclass
class ConnectorLimits:
    """What the fake enforces and injects, and counts of what it did."""

    windows: tuple[tuple[int, float], ...] = TEAMS_WINDOWS
    tenant_rate: float | None = 30.0  # requests per second per tenant; None = unlimited
    # How much earlier than perfect pacing a request may arrive: the network's jitter.
    tenant_jitter: float = 0.1
    enforced_retry_after: bool = True  # whether the fake's own 429s carry Retry-After
    p429: float = 0.0  # share of requests answered with an injected 429
    p429_with_retry_after: float = 0.5  # share of those that carry Retry-After
    injected_retry_after: int = 1
    p5xx: float = 0.0  # share of requests answered with an injected 500/502/503/504
    seed: int = 0
    clock: Callable[[], float] = time.monotonic
    throttled: Counter[str] = field(default_factory=Counter)  # "conversation" / "tenant"
    injected: Counter[str] = field(default_factory=Counter)  # "429", "429-bare", "5xx"
    _rng: random.Random = field(init=False)
    _sent: dict[str, deque[float]] = field(default_factory=dict)
    _tenants: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def admit(self, conversation_id: str | None, body: Any) -> Failure | None:
        """None to let a POST through, or the failure to answer it with."""
        tenant = tenant_of(body)
        with self._lock:
            injected = self._inject()
            if injected is not None:
                return injected
            now = self.clock()
            wait = self._tenant_wait(tenant, now)
            if wait > 0:
                self.throttled["tenant"] += 1
                return self._throttle(wait)
            wait = self._conversation_wait(conversation_id, now)
            if wait > 0:
                self.throttled["conversation"] += 1
                return self._throttle(wait)
            if conversation_id is not None:
                self._sent.setdefault(conversation_id, deque()).append(now)
            return None

    def _inject(self) -> Failure | None:
        draw = self._rng.random()
        if draw < self.p429:
            if self._rng.random() < self.p429_with_retry_after:
                self.injected["429"] += 1
                headers = {"Retry-After": str(self.injected_retry_after)}
                return Failure(429, "Throttled", "injected throttle", headers)
            self.injected["429-bare"] += 1
            return Failure(429, "Throttled", "injected throttle")
        if draw < self.p429 + self.p5xx:
            self.injected["5xx"] += 1
            return Failure(self._rng.choice(SERVER_ERRORS), "ServiceError", "injected failure")
        return None

    def _tenant_wait(self, tenant: str, now: float) -> float:
        # GCRA: the tenant's "theoretical arrival time" advances 1/rate per accepted request.
        if self.tenant_rate is None:
            return 0.0
        arrival = self._tenants.get(tenant, now)
        if now < arrival - self.tenant_jitter:
            return arrival - self.tenant_jitter - now
        self._tenants[tenant] = max(arrival, now) + 1.0 / self.tenant_rate
        return 0.0

    def _conversation_wait(self, conversation_id: str | None, now: float) -> float:
        sent = self._sent.get(conversation_id or "")
        if not sent:
            return 0.0
        longest = max(seconds for _, seconds in self.windows)
        while sent and sent[0] <= now - longest:
            sent.popleft()
        wait = 0.0
        for limit, seconds in self.windows:
            if len(sent) >= limit and sent[-limit] > now - seconds:
                wait = max(wait, sent[-limit] + seconds - now)
        return wait

    def _throttle(self, wait: float) -> Failure:
        headers = {"Retry-After": str(max(1, math.ceil(wait)))} if self.enforced_retry_after else {}
        return Failure(429, "Throttled", "rate limit exceeded", headers)


def tenant_of(body: Any) -> str:
    """The tenant a send or conversation creation is for, as Teams reads it from the body."""
    if not isinstance(body, dict):
        return ""
    conversation = body.get("conversation")
    if isinstance(conversation, dict) and conversation.get("tenantId"):
        return str(conversation["tenantId"])
    channel_data = body.get("channelData")
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    return str(body.get("tenantId") or "")
