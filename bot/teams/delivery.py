"""The Sender port on Teams: one attempt per call, inside Teams' limits, every answer mapped.

The outbox worker (services/outbox.py) owns retries: it persists each result and schedules
the next attempt durably, so this module never loops on a failure. It only waits for a
rate-limit slot, and says how long to wait before trying again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import random
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import requests
from botbuilder.schema import ErrorResponseException

from bot.teams.ratelimit import RateLimiter
from domain.model import ConversationRef
from netpuls.settings import Settings
from services.ports import (
    DeliveryResult,
    DeliveryStatus,
    Handover,
    Outbound,
    UnitOfWorkFactory,
)
from services.send_budget import SharedTenantBudget

log = logging.getLogger(__name__)

# 403 codes that mean "this conversation will not take our messages": the user blocked or
# removed the bot, or the bot is out of the roster. Teams puts MessageWritesBlocked in a
# `subCode`, so every code in the error body counts.
BLOCKED_CODES = frozenset(
    {
        "MessageWritesBlocked",
        "ConversationBlockedByUser",
        "BotNotInConversationRoster",
        "BotDisabledByAdmin",
    }
)
TRANSIENT_STATUSES = frozenset({412, 429})  # and every 5xx
MAX_WAIT_SECONDS = 30.0
MAX_RETRY_AFTER_SECONDS = 3600.0


class Notifying(Protocol):
    """What the sender needs from bot.notifier.BotNotifier."""

    async def send(self, ref: ConversationRef, message: Outbound) -> str: ...


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with full jitter: uniform(0, min(cap, base * 2^(attempt-1)))."""

    base: float = 2.0
    cap: float = 300.0

    def ceiling(self, attempt: int) -> float:
        """The largest delay for this attempt (1 = the first)."""
        exponent = min(max(attempt, 1) - 1, 32)  # 2^32 * base is past any cap
        return min(self.cap, self.base * 2.0**exponent)

    def delay(self, attempt: int, rng: random.Random) -> float:
        """A random delay in [0, ceiling(attempt)]."""
        return rng.uniform(0.0, self.ceiling(attempt))


class TeamsSender:
    """Delivers through the notifier after the limiter grants a slot; never raises."""

    def __init__(
        self,
        notifier: Notifying,
        limiter: RateLimiter,
        *,
        backoff: Backoff | None = None,
        rng: random.Random | None = None,
        max_wait: float = MAX_WAIT_SECONDS,
    ) -> None:
        self._notifier = notifier
        self._limiter = limiter
        self._backoff = backoff or Backoff()
        self._rng = rng or random.Random()
        self._max_wait = max_wait

    async def deliver(
        self,
        ref: ConversationRef,
        message: Outbound,
        *,
        attempt: int = 1,
        handover: Handover | None = None,
    ) -> DeliveryResult:
        """One attempt: SENT, RETRY (with the delay to wait), BLOCKED or FAILED. `handover`
        is awaited after the rate-limit slot is granted, right before the Connector call."""
        conversation = ref.conversation_id
        admission = await self._limiter.acquire(
            conversation, ref.tenant_id or "", max_wait=self._max_wait
        )
        if not admission.granted:
            # Not sent at all: the worker should not count this as an attempt.
            log.info(
                "delivery to %s deferred %.1fs by the rate limit", conversation, admission.wait
            )
            return DeliveryResult(
                DeliveryStatus.RETRY,
                retry_after=admission.wait,
                error="rate limit: not sent",
                attempted=False,
            )
        if handover is not None and not await handover():
            return DeliveryResult(
                DeliveryStatus.RETRY, error="lease lost: not sent", attempted=False
            )
        result = await self._attempt(ref, message, attempt)
        log.info(
            "delivery to %s: %s (attempt %d)%s",
            conversation,
            result.status,
            attempt,
            f" {result.error}" if result.error else "",
        )
        return result

    async def _attempt(
        self, ref: ConversationRef, message: Outbound, attempt: int
    ) -> DeliveryResult:
        try:
            activity_id = await self._notifier.send(ref, message)
        except ErrorResponseException as exc:
            return self._refused(ref, exc, attempt)
        except (aiohttp.ClientError, TimeoutError) as exc:
            # The request may have reached Teams before the connection failed: a retry can
            # duplicate the post. Teams offers no idempotency key; this is the rare case.
            return self._retry(attempt, None, f"{type(exc).__name__}")
        except requests.RequestException as exc:
            # msal could not reach the token endpoint, or it answered 5xx: nothing was sent.
            return self._retry(attempt, None, f"token endpoint: {type(exc).__name__}")
        except PermissionError:
            # botbuilder's credentials: the token endpoint refused the app id or secret.
            return DeliveryResult(DeliveryStatus.FAILED, error="token endpoint refused")
        except Exception as exc:
            # A bug or an unforeseen failure: dead-letter it visibly rather than loop on it.
            log.error("delivery to %s failed unexpectedly", ref.conversation_id, exc_info=True)
            return DeliveryResult(DeliveryStatus.FAILED, error=f"{type(exc).__name__}")
        return DeliveryResult(DeliveryStatus.SENT, activity_id=activity_id)

    def _refused(
        self, ref: ConversationRef, exc: ErrorResponseException, attempt: int
    ) -> DeliveryResult:
        status = exc.response.status_code
        error = f"{status} {_code(exc) or exc.response.reason}".strip()
        retry_after = _retry_after(exc)
        if status == 429:
            result = self._retry(attempt, retry_after, error)
            # Keep this conversation quiet until then; others go on (Teams' 429 bodies do not
            # say whether a conversation or the tenant was throttled).
            self._limiter.pause_conversation(ref.conversation_id, result.retry_after or 0.0)
            return result
        if status in TRANSIENT_STATUSES or status >= 500:
            return self._retry(attempt, retry_after, error)
        if status == 404 or (status == 403 and _codes(exc) & BLOCKED_CODES):
            return DeliveryResult(DeliveryStatus.BLOCKED, error=error)
        return DeliveryResult(DeliveryStatus.FAILED, error=error)

    def _retry(self, attempt: int, retry_after: float | None, error: str) -> DeliveryResult:
        if retry_after is None or not math.isfinite(retry_after):
            delay = self._backoff.delay(attempt, self._rng)
        else:
            delay = min(max(retry_after, 0.0), MAX_RETRY_AFTER_SECONDS)
        return DeliveryResult(DeliveryStatus.RETRY, retry_after=delay, error=error)


def _code(exc: ErrorResponseException) -> str | None:
    """The error code botbuilder read from the body (ErrorResponse.error.code), if any."""
    code = getattr(getattr(exc.error, "error", None), "code", None)
    return code if isinstance(code, str) else None


def _retry_after(exc: ErrorResponseException) -> float | None:
    """Seconds the Connector asked us to wait (429/503), if it said."""
    value = exc.response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _codes(exc: ErrorResponseException) -> set[str]:
    """Every `code` and `subCode` in the error body, however Teams nests them."""
    code = _code(exc)
    found = {code} if code else set()
    with contextlib.suppress(ValueError):
        _collect(json.loads(exc.response.text()), found, 0)
    return found


def _collect(node: Any, found: set[str], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(node, str) and node.startswith("{"):
        # Teams wraps inner errors as JSON inside a string (innerHttpError.body).
        with contextlib.suppress(ValueError):
            node = json.loads(node)
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("code", "subCode") and isinstance(value, str):
                found.add(value)
            else:
                _collect(value, found, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _collect(item, found, depth + 1)


def build_sender(
    notifier: Notifying, settings: Settings, uow: UnitOfWorkFactory | None = None
) -> TeamsSender:
    """The app's sender: Teams' conversation windows and the configured tenant rate, the
    latter reserved in the database (shared by every replica) when `uow` is given."""
    rate = settings.delivery_tenant_rate
    budget = SharedTenantBudget(uow, rate) if uow is not None else None
    return TeamsSender(notifier, RateLimiter(tenant_rate=rate, budget=budget))
