"""The day's clicks and messages: Poisson arrivals, sent to the replicas as Teams posts them."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.day_world import TENANT, Member, channel_id, slug, team_id
from tests.support import activities as act

IN_FLIGHT = 256  # requests open at once at most, whatever the machine
EXPECTED = {"rsvp": 200, "help": 201, "next": 201}


@dataclass(frozen=True, slots=True)
class Event:
    """One request of the day: when (seconds from the start), what, and who."""

    at: float
    kind: str  # rsvp, help or next
    member: Member
    answer: str = "attending"


@dataclass
class Tally:
    """Answer times by kind, and answers that were not the expected status."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    unexpected: Counter[str] = field(default_factory=Counter)

    def all(self) -> list[float]:
        """Every answer time, whatever its kind."""
        return list(itertools.chain.from_iterable(self.latencies.values()))


def percentile_ms(values: list[float], fraction: float) -> float:
    """A percentile in milliseconds (nearest rank); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def plan(
    people: list[Member], click_share: float, message_share: float, seconds: float, seed: int
) -> list[Event]:
    """Who clicks and who writes, at the times of a Poisson process given its count.

    Given how many arrive in `seconds`, a Poisson process's arrival times are uniform and
    independent: sorted uniform draws are its arrivals.
    """
    rng = random.Random(seed)
    clickers = rng.sample(people, round(click_share * len(people)))
    writers = rng.sample(people, round(message_share * len(people)))
    kinds = [("rsvp", p) for p in clickers] + [(rng.choice(("help", "next")), p) for p in writers]
    times = sorted(rng.uniform(0.0, seconds) for _ in kinds)
    rng.shuffle(kinds)
    answers = ("attending", "attending", "not_attending")
    return [Event(t, k, p, rng.choice(answers)) for t, (k, p) in zip(times, kinds, strict=True)]


def _channel_where(member: Member, service_url: str) -> dict[str, Any]:
    network = member.network
    return {
        "conversation": {
            "id": channel_id(network),
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": TENANT,
        },
        "user_id": member.user_id,
        "aad": member.aad,
        "name": member.email,
        "service_url": service_url,
        "channel_data": {
            "tenant": {"id": TENANT},
            "team": {"id": team_id(network), "name": f"Day network {network}"},
            "channel": {"id": channel_id(network), "name": "General"},
            "teamsTeamId": team_id(network),
            "teamsChannelId": channel_id(network),
        },
    }


def activity(event: Event, service_url: str, cards: dict[str, str]) -> dict[str, Any]:
    """The Teams activity for an event: a click on the channel's agenda card, or a message."""
    member = event.member
    if event.kind == "rsvp":
        where = _channel_where(member, service_url)
        data = {"meeting": f"{slug(member.network)}:1", "answer": event.answer}
        body = act.card_invoke(where, "rsvp", data)
        body["replyToId"] = cards.get(channel_id(member.network), "card-1")
    else:
        where = act.personal(service_url, user_id=member.user_id, aad=member.aad, name=member.email)
        body = act.message(where, event.kind)
    body["id"] = f"day-{uuid.uuid4().hex}"  # a redelivered id would be dropped as a duplicate
    return body


async def run(
    http: aiohttp.ClientSession,
    replicas: list[str],
    events: list[Event],
    service_url: str,
    cards: dict[str, str],
    deadline: float,
) -> Tally:
    """Send every event at its time to the replicas in turn; stop at `deadline` regardless."""
    tally = Tally()
    gate = asyncio.Semaphore(IN_FLIGHT)
    timeout = aiohttp.ClientTimeout(total=30)
    began = time.perf_counter()

    async def one(number: int, event: Event) -> None:
        url = f"{replicas[number % len(replicas)]}/api/messages"
        body = activity(event, service_url, cards)
        async with gate:
            start = time.perf_counter()
            try:
                async with http.post(url, json=body, timeout=timeout) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                tally.unexpected[f"{event.kind} {type(exc).__name__}"] += 1
                return
            if status == EXPECTED[event.kind]:
                tally.latencies.setdefault(event.kind, []).append(time.perf_counter() - start)
            else:
                tally.unexpected[f"{event.kind} {status}"] += 1

    tasks: list[asyncio.Task[None]] = []
    for number, event in enumerate(events):
        wait = began + event.at - time.perf_counter()
        if time.perf_counter() + max(wait, 0.0) > deadline:
            break
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(number, event)))
    if tasks:
        await asyncio.wait(tasks, timeout=max(deadline - time.perf_counter(), 1.0))
    for task in tasks:
        task.cancel()
    return tally
