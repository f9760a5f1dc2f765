"""Delivery within Teams' limits: the limiter's windows and bucket, every Connector answer
mapped to an outcome, and the same through the real app against the fake Connector."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from aiohttp.test_utils import TestClient
from botbuilder.schema import ErrorResponseException
from botframework.connector import models
from msrest import Deserializer
from msrest.universal_http import ClientRequest

from bot.teams.connector import ConnectorAnswer
from bot.teams.delivery import Backoff, TeamsSender
from bot.teams.endpoint import ADAPTER
from bot.teams.notifier import BotNotifier
from bot.teams.ratelimit import TEAMS_CONVERSATION_WINDOWS, RateLimiter, Window
from domain.model import ConversationKind, ConversationRef
from netpuls.app import create_app
from netpuls.settings import Settings
from services.ports import DeliveryResult, DeliveryStatus, Outbound
from storage.migrate import upgrade
from tests.support.connector_limits import ConnectorLimits
from tests.support.fake_connector import Failure, FakeConnector
from tests.support.virtual_time import VirtualTime

TENANT = "tenant-1"
MESSAGE = Outbound(text="Dagsorden til mødet i Odense")
ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]


def ref(n: int = 1, *, tenant: str = TENANT, url: str = "http://127.0.0.1:9") -> ConversationRef:
    return ConversationRef(
        conversation_id=f"a:conversation-{n}",
        kind=ConversationKind.PERSONAL,
        service_url=url,
        channel_id="msteams",
        tenant_id=tenant,
        bot_id="28:netpuls",
        user_id=f"29:user-{n}",
    )


MODELS = {k: v for k, v in models.__dict__.items() if isinstance(v, type)}


def refused(
    status: int, code: str | None = None, headers: dict[str, str] | None = None, body: Any = None
) -> ErrorResponseException:
    """botbuilder's ErrorResponseException, as its connector client raises it for this answer."""
    payload = body if body is not None else {"error": {"code": code, "message": "refused"}}
    request = ClientRequest("POST", "http://127.0.0.1/v3/conversations/c/activities")
    sent = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    answer = ConnectorAnswer(request, status, "Refused", sent, json.dumps(payload).encode())
    return ErrorResponseException(Deserializer(MODELS), answer)


class ScriptedNotifier:
    """Records when it was asked to send; raises the scripted failures first, then succeeds."""

    def __init__(self, clock: VirtualTime, *failures: BaseException) -> None:
        self.clock = clock
        self.failures = list(failures)
        self.sends: list[tuple[str, float]] = []

    async def send(self, ref: ConversationRef, message: Outbound) -> str:
        self.sends.append((ref.conversation_id, self.clock()))
        if self.failures:
            raise self.failures.pop(0)
        return f"activity-{len(self.sends)}"

    def times(self, conversation: str | None = None) -> list[float]:
        return [t for c, t in self.sends if conversation is None or c == conversation]


class Extremes(random.Random):
    """uniform() at one end of its range, to see a jittered backoff's bounds exactly."""

    def __init__(self, top: bool) -> None:
        super().__init__(0)
        self.top = top

    def uniform(self, a: float, b: float) -> float:
        return b if self.top else a


def sender_on(
    time: VirtualTime, notifier: ScriptedNotifier, *, rate: float = 30.0, **options: Any
) -> TeamsSender:
    limiter = RateLimiter(tenant_rate=rate, clock=time, sleep=time.sleep)
    return TeamsSender(notifier, limiter, rng=options.pop("rng", random.Random(7)), **options)


def over_limit(times: list[float], windows: tuple[Window, ...]) -> list[str]:
    """Every window some stretch of `times` overfills: more than `limit` in (t - seconds, t]."""
    return [
        f"{sum(1 for s in times if t - w.seconds < s <= t)} sends in {w.seconds}s before {t:.3f}"
        for w in windows
        for t in times
        if sum(1 for s in times if t - w.seconds < s <= t) > w.limit
    ]


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


# --- the limiter -------------------------------------------------------------------------


async def test_eight_sends_to_one_conversation_fit_in_two_seconds_without_breaking_a_window(
    time: VirtualTime,
) -> None:
    notifier = ScriptedNotifier(time)
    sender = sender_on(time, notifier)

    async def twenty() -> list[DeliveryResult]:
        return [await sender.deliver(ref(), MESSAGE) for _ in range(20)]

    (results,) = await time.run(twenty())
    assert {r.status for r in results} == {DeliveryStatus.SENT}
    times = notifier.times()
    assert over_limit(times, TEAMS_CONVERSATION_WINDOWS) == []
    assert times[7] - times[0] < 2.0, "the limiter should not be stricter than Teams"
    assert times[6] - times[0] < 1.0 < times[7] - times[0]  # the 8th waits out 7 per second


async def test_longer_windows_hold_back_a_busy_conversation(time: VirtualTime) -> None:
    windows = (Window(3, 1.0), Window(5, 10.0))
    limiter = RateLimiter(tenant_rate=100, windows=windows, clock=time, sleep=time.sleep)
    granted: list[float] = []

    async def twelve() -> None:
        for _ in range(12):
            await limiter.acquire("a:busy")
            granted.append(time())

    await time.run(twelve())
    assert over_limit(granted, windows) == []
    assert granted[5] - granted[0] >= 10.0  # the 6th waits for the 10 s window


async def test_the_tenant_bucket_paces_sends_at_the_configured_rate(time: VirtualTime) -> None:
    notifier = ScriptedNotifier(time)
    sender = sender_on(time, notifier, rate=30.0)
    results = await time.run(*(sender.deliver(ref(n), MESSAGE) for n in range(90)))
    assert all(r.status is DeliveryStatus.SENT for r in results)
    times = sorted(notifier.times())
    # Burst 2: two at once, then one every 1/30 s; never three within two intervals.
    assert all(
        later - earlier >= 1 / 30 - 1e-9 for earlier, later in zip(times, times[2:], strict=False)
    )
    assert times[-1] - times[0] == pytest.approx(88 / 30), "and no slower than the rate"


async def test_late_wake_ups_neither_slow_the_rate_nor_release_a_burst(time: VirtualTime) -> None:
    late = [0.5] + [0.002] * 300  # one stall of half a second, then every sleep 2 ms late

    async def oversleep(seconds: float) -> None:
        await time.sleep(seconds + (late.pop(0) if late else 0.0))

    limiter = RateLimiter(tenant_rate=30, clock=time, sleep=oversleep)
    granted: list[float] = []

    async def one(n: int) -> None:
        await limiter.acquire(f"a:{n}")
        granted.append(time())

    await time.run(*(one(n) for n in range(300)))
    # The stall costs itself less the one interval the burst makes up; 2 ms lateness, nothing.
    assert granted[-1] - granted[0] == pytest.approx(0.5 + 297 / 30, abs=0.005)
    assert all(
        later - earlier >= 1 / 30 - 1e-9
        for earlier, later in zip(granted, granted[2:], strict=False)
    )


async def test_a_burst_allowance_lets_that_many_go_at_once_then_paces(time: VirtualTime) -> None:
    limiter = RateLimiter(tenant_rate=10, tenant_burst=5, clock=time, sleep=time.sleep)
    start = time()
    await time.run(*(limiter.acquire(f"a:{n}") for n in range(15)))
    assert time() - start == pytest.approx(1.0)  # 5 at once, then 10 more at 10/s


async def test_tenants_have_separate_buckets(time: VirtualTime) -> None:
    notifier = ScriptedNotifier(time)
    sender = sender_on(time, notifier, rate=1.0)
    await time.run(*(sender.deliver(ref(n, tenant=f"t{n}"), MESSAGE) for n in range(5)))
    assert len(set(notifier.times())) == 1, "five tenants, one send each: nobody waits"


async def test_idle_conversations_are_forgotten(time: VirtualTime) -> None:
    limiter = RateLimiter(tenant_rate=1000, clock=time, sleep=time.sleep, prune_every=60)
    await time.run(*(limiter.acquire(f"a:{n}") for n in range(500)))
    assert limiter.tracked() == 500
    time.now += 3700
    await time.run(limiter.acquire("a:new"))
    assert limiter.tracked() == 1


# --- one attempt, one outcome -------------------------------------------------------------


async def test_a_429_with_retry_after_waits_that_long_for_that_conversation_only(
    time: VirtualTime,
) -> None:
    notifier = ScriptedNotifier(time, refused(429, "Throttled", {"Retry-After": "3"}))
    sender = sender_on(time, notifier)
    (first,) = await time.run(sender.deliver(ref(1), MESSAGE))
    assert (first.status, first.retry_after, first.error) == (
        DeliveryStatus.RETRY,
        3.0,
        "429 Throttled",
    )
    throttled_at = time()
    await time.run(sender.deliver(ref(2), MESSAGE), sender.deliver(ref(1), MESSAGE))
    assert notifier.times("a:conversation-2")[0] - throttled_at < 0.1
    assert notifier.times("a:conversation-1")[1] - throttled_at >= 3.0


async def test_a_429_without_retry_after_backs_off_with_full_jitter(time: VirtualTime) -> None:
    for attempt, ceiling in ((1, 2.0), (2, 4.0), (4, 16.0)):
        notifier = ScriptedNotifier(time, refused(429, "Throttled"))
        top = sender_on(time, notifier, rng=Extremes(top=True))
        (result,) = await time.run(top.deliver(ref(attempt), MESSAGE, attempt=attempt))
        assert (result.status, result.retry_after) == (DeliveryStatus.RETRY, ceiling)
    seeded = sender_on(time, ScriptedNotifier(time, *[refused(429)] * 50))
    delays = [
        (await time.run(seeded.deliver(ref(100 + n), MESSAGE, attempt=3)))[0].retry_after
        for n in range(50)
    ]
    assert all(0.0 <= d <= 8.0 for d in delays)
    assert len(set(delays)) > 40, "jittered, not one fixed delay"


@pytest.mark.parametrize("value", ["Wed, 21 Oct 2015 07:28:00 GMT", "nan", "soon"])
async def test_an_unreadable_retry_after_falls_back_to_backoff(
    time: VirtualTime, value: str
) -> None:
    notifier = ScriptedNotifier(time, refused(429, "Throttled", {"Retry-After": value}))
    sender = sender_on(time, notifier, rng=Extremes(top=True))
    (result,) = await time.run(sender.deliver(ref(), MESSAGE))
    assert (result.status, result.retry_after) == (DeliveryStatus.RETRY, 2.0)


async def test_server_errors_back_off_exponentially_up_to_the_cap(time: VirtualTime) -> None:
    backoff = Backoff(base=2.0, cap=300.0)
    assert [backoff.ceiling(a) for a in range(1, 11)] == [
        2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 300.0, 300.0,
    ]  # fmt: skip
    assert backoff.ceiling(10_000) == 300.0
    for status in (412, 500, 502, 503, 504):
        for attempt in (1, 5, 12):
            high = sender_on(time, ScriptedNotifier(time, refused(status)), rng=Extremes(True))
            low = sender_on(time, ScriptedNotifier(time, refused(status)), rng=Extremes(False))
            (up,) = await time.run(high.deliver(ref(attempt), MESSAGE, attempt=attempt))
            (down,) = await time.run(low.deliver(ref(attempt), MESSAGE, attempt=attempt))
            assert up.status is down.status is DeliveryStatus.RETRY
            assert (down.retry_after, up.retry_after) == (0.0, backoff.ceiling(attempt))


async def test_a_503_with_retry_after_is_honoured(time: VirtualTime) -> None:
    notifier = ScriptedNotifier(time, refused(503, "ServiceUnavailable", {"Retry-After": "7"}))
    (result,) = await time.run(sender_on(time, notifier).deliver(ref(), MESSAGE))
    assert (result.status, result.retry_after) == (DeliveryStatus.RETRY, 7.0)


INNER = json.dumps({"subCode": "MessageWritesBlocked", "message": "Thread is blocked"})


@pytest.mark.parametrize(
    "error",
    [
        refused(403, "MessageWritesBlocked"),
        refused(403, "ConversationBlockedByUser"),
        refused(403, body={"error": {"code": "Forbidden", "subCode": "MessageWritesBlocked"}}),
        refused(403, body={"error": {"code": "Forbidden", "innerHttpError": {"body": INNER}}}),
        refused(404, "ConversationNotFound"),
        refused(404, body={}),
    ],
)
async def test_a_blocked_or_vanished_conversation_is_marked_blocked(
    time: VirtualTime, error: ErrorResponseException
) -> None:
    (result,) = await time.run(
        sender_on(time, ScriptedNotifier(time, error)).deliver(ref(), MESSAGE)
    )
    assert result.status is DeliveryStatus.BLOCKED
    assert result.retry_after is None


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (refused(413, "MessageSizeTooBig"), "413 MessageSizeTooBig"),
        (refused(400, "BadArgument"), "400 BadArgument"),
        (refused(403, "NotEnoughPermissions"), "403 NotEnoughPermissions"),
        (refused(401, "BotNotRegistered"), "401 BotNotRegistered"),
    ],
)
async def test_other_refusals_fail_for_good(
    time: VirtualTime, error: ErrorResponseException, reason: str
) -> None:
    (result,) = await time.run(
        sender_on(time, ScriptedNotifier(time, error)).deliver(ref(), MESSAGE)
    )
    assert (result.status, result.error, result.retry_after) == (
        DeliveryStatus.FAILED,
        reason,
        None,
    )


@pytest.mark.parametrize(
    "error",
    [
        TimeoutError(),
        aiohttp.ServerDisconnectedError("connection lost"),
        aiohttp.ClientPayloadError("a malformed answer"),
        requests.ConnectionError("the token endpoint is unreachable"),
    ],
)
async def test_timeouts_and_broken_connections_are_retried(
    time: VirtualTime, error: BaseException
) -> None:
    notifier = ScriptedNotifier(time, error)
    (result,) = await time.run(
        sender_on(time, notifier, rng=Extremes(True)).deliver(ref(), MESSAGE)
    )
    assert (result.status, result.retry_after) == (DeliveryStatus.RETRY, 2.0)


async def test_a_token_endpoint_that_refuses_the_bot_s_secret_fails_for_good(
    time: VirtualTime,
) -> None:
    refusal = PermissionError("Failed to get access token with error: invalid_client")
    notifier = ScriptedNotifier(time, refusal)  # as botbuilder's app credentials raise it
    (result,) = await time.run(sender_on(time, notifier).deliver(ref(), MESSAGE))
    assert (result.status, result.error) == (DeliveryStatus.FAILED, "token endpoint refused")


async def test_an_unexpected_error_is_a_failure_not_an_exception(time: VirtualTime) -> None:
    notifier = ScriptedNotifier(time, RuntimeError("a bug"))
    (result,) = await time.run(sender_on(time, notifier).deliver(ref(), MESSAGE))
    assert (result.status, result.error) == (DeliveryStatus.FAILED, "RuntimeError")


async def test_a_slot_further_away_than_the_wait_allowed_defers_without_sending(
    time: VirtualTime,
) -> None:
    notifier = ScriptedNotifier(time, refused(429, "Throttled", {"Retry-After": "120"}))
    sender = sender_on(time, notifier, max_wait=30.0)
    await time.run(sender.deliver(ref(), MESSAGE))
    (deferred,) = await time.run(sender.deliver(ref(), MESSAGE))
    assert deferred.status is DeliveryStatus.RETRY and not deferred.attempted
    assert deferred.retry_after == pytest.approx(120.0, abs=0.1)
    assert len(notifier.sends) == 1


async def test_the_handover_comes_after_the_rate_limit_wait_right_before_the_send(
    time: VirtualTime,
) -> None:
    notifier = ScriptedNotifier(time)
    sender = sender_on(time, notifier, rate=1.0)
    handed: list[tuple[float, int]] = []

    async def handover() -> bool:
        handed.append((time(), len(notifier.sends)))
        return True

    for _ in range(10):  # past the conversation's 7 in 1 s: the last ones wait for a slot
        await time.run(sender.deliver(ref(), MESSAGE, handover=handover))
    # Each was handed over once it had its slot, just before its request left.
    assert [n for _, n in handed] == list(range(10))
    assert [t for t, _ in handed] == notifier.times()
    assert notifier.times()[-1] > notifier.times()[0]


async def test_a_deferred_delivery_is_never_handed_over(time: VirtualTime) -> None:
    notifier = ScriptedNotifier(time, refused(429, "Throttled", {"Retry-After": "120"}))
    sender = sender_on(time, notifier, max_wait=30.0)
    await time.run(sender.deliver(ref(), MESSAGE))
    handed: list[float] = []

    async def handover() -> bool:
        handed.append(time())
        return True

    (deferred,) = await time.run(sender.deliver(ref(), MESSAGE, handover=handover))
    assert not deferred.attempted
    assert handed == []


async def test_a_refused_handover_sends_nothing(time: VirtualTime) -> None:
    notifier = ScriptedNotifier(time)

    async def lost() -> bool:
        return False

    (result,) = await time.run(sender_on(time, notifier).deliver(ref(), MESSAGE, handover=lost))
    assert result.status is DeliveryStatus.RETRY and not result.attempted
    assert notifier.sends == []


async def test_the_log_names_conversation_outcome_and_attempt_but_never_the_message(
    time: VirtualTime, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = ScriptedNotifier(time, refused(502, "BadGateway"))
    sender = sender_on(time, notifier)
    with caplog.at_level(logging.DEBUG, logger="bot.teams.delivery"):
        await time.run(sender.deliver(ref(), MESSAGE, attempt=2))
        await time.run(sender.deliver(ref(), MESSAGE, attempt=3))
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "delivery to a:conversation-1: retry (attempt 2) 502 BadGateway",
        "delivery to a:conversation-1: sent (attempt 3)",
    ]
    assert MESSAGE.text not in caplog.text


def test_the_rate_and_attempts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (Settings().delivery_tenant_rate, Settings().delivery_max_attempts) == (30.0, 6)
    monkeypatch.setenv("DELIVERY_TENANT_RATE", "12.5")
    monkeypatch.setenv("DELIVERY_MAX_ATTEMPTS", "3")
    assert (Settings().delivery_tenant_rate, Settings().delivery_max_attempts) == (12.5, 3)


# --- the fake Connector's limits ------------------------------------------------------------


def test_the_fake_connector_enforces_the_conversation_windows() -> None:
    clock = VirtualTime()
    limits = ConnectorLimits(windows=((2, 60.0),), tenant_rate=None, clock=clock)
    body = {"conversation": {"id": "a:1", "tenantId": TENANT}}
    assert [limits.admit("a:1", body) for _ in range(2)] == [None, None]
    third = limits.admit("a:1", body)
    assert third is not None and (third.status, third.headers) == (429, {"Retry-After": "60"})
    assert limits.admit("a:2", body) is None
    clock.now += 60.0
    assert limits.admit("a:1", body) is None
    assert limits.throttled == {"conversation": 1}


def test_the_fake_connector_enforces_the_tenant_rate() -> None:
    clock = VirtualTime()
    limits = ConnectorLimits(windows=(), tenant_rate=10.0, tenant_jitter=0.0, clock=clock)
    ours, theirs = (
        {"conversation": {"id": "a:1", "tenantId": t}} for t in ("tenant-1", "tenant-2")
    )
    assert limits.admit("a:1", ours) is None
    refusal = limits.admit("a:2", ours)
    assert refusal is not None and refusal.status == 429
    assert limits.admit("a:3", theirs) is None
    clock.now += 0.1
    assert limits.admit("a:2", ours) is None
    assert limits.throttled == {"tenant": 1}


def test_the_fake_connector_injects_failures_at_the_configured_rates_reproducibly() -> None:
    def run(seed: int) -> list[int]:
        limits = ConnectorLimits(windows=(), tenant_rate=None, p429=0.05, p5xx=0.02, seed=seed)
        return [getattr(limits.admit(f"a:{n}", {}), "status", 201) for n in range(4000)]

    statuses = run(seed=3)
    assert statuses == run(seed=3) != run(seed=4)
    assert 0.04 < statuses.count(429) / 4000 < 0.06
    assert 0.012 < sum(s >= 500 for s in statuses) / 4000 < 0.028
    limits = ConnectorLimits(windows=(), tenant_rate=None, p429=1.0, seed=1)
    answers = [limits.admit("a:x", {}) for _ in range(200)]
    with_header = sum(1 for a in answers if a is not None and "Retry-After" in a.headers)
    assert 60 < with_header < 140, "429s come both with and without Retry-After"


# --- through the real app -------------------------------------------------------------------


@pytest.fixture
async def app_notifier(aiohttp_client: ClientMaker, tmp_path: Path) -> BotNotifier:
    """The real app's notifier: CloudAdapter.continue_conversation on the pooled connector."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'netpuls.db'}"
    await upgrade(url)
    client = await aiohttp_client(create_app(Settings(database_url=url, scheduler_enabled=False)))
    return BotNotifier(client.app[ADAPTER], "")


async def test_delivery_through_the_app_maps_each_connector_answer(
    app_notifier: BotNotifier, connector: tuple[FakeConnector, str]
) -> None:
    fake, url = connector
    sender = TeamsSender(app_notifier, RateLimiter(tenant_rate=1000))
    cases = [
        (None, DeliveryStatus.SENT),
        (Failure(429, "Throttled", headers={"Retry-After": "1"}), DeliveryStatus.RETRY),
        (Failure(429, "Throttled"), DeliveryStatus.RETRY),
        (Failure(502, "BadGateway"), DeliveryStatus.RETRY),
        (Failure(403, "MessageWritesBlocked"), DeliveryStatus.BLOCKED),
        (Failure(404, "ConversationNotFound"), DeliveryStatus.BLOCKED),
        (Failure(413, "MessageSizeTooBig"), DeliveryStatus.FAILED),
    ]
    outcomes = []
    for n, (failure, _) in enumerate(cases):
        if failure is not None:
            fake.fail_next(failure)
        outcomes.append(await sender.deliver(ref(n, url=url), MESSAGE))
    assert [o.status for o in outcomes] == [expected for _, expected in cases]
    assert outcomes[0].activity_id == "sent-1"
    assert outcomes[1].retry_after == 1.0
    assert outcomes[2].retry_after is not None and 0.0 <= outcomes[2].retry_after <= 2.0
    # Only the one success reached the conversation: no apology after a refusal.
    assert fake.texts() == [MESSAGE.text]


async def test_the_fakes_own_429_reaches_the_worker_as_a_retry(
    app_notifier: BotNotifier, connector: tuple[FakeConnector, str]
) -> None:
    fake, url = connector
    fake.limits = ConnectorLimits(windows=((1, 60.0),), tenant_rate=None)
    sender = TeamsSender(app_notifier, RateLimiter(tenant_rate=1000))
    first, second = [await sender.deliver(ref(url=url), MESSAGE) for _ in range(2)]
    assert first.status is DeliveryStatus.SENT
    assert (second.status, second.retry_after) == (DeliveryStatus.RETRY, 60.0)
    assert fake.deliveries() == {"a:conversation-1": 1}


async def test_a_connector_that_does_not_answer_means_retry(app_notifier: BotNotifier) -> None:
    sender = TeamsSender(app_notifier, RateLimiter(tenant_rate=1000), rng=Extremes(True))
    result = await sender.deliver(ref(url="http://127.0.0.1:9"), MESSAGE)
    assert (result.status, result.retry_after, result.error) == (
        DeliveryStatus.RETRY,
        2.0,
        "ClientConnectorError",
    )
