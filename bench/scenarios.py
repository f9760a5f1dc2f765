"""Scenarios: what the load generator posts, and which answer counts as success."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support import activities as act


@dataclass(frozen=True, slots=True)
class Scenario:
    """One kind of request: a factory of realistic Teams activities and the expected status.

    `activity(service_url, worker)` builds a fresh activity for one request; `worker` is the
    load generator's worker number, so each worker can act as its own Teams user.
    `network(workers)`, when set, is a network file imported into the database before the
    run (after the demo network), with a person for each worker.
    """

    name: str
    activity: Callable[[str, int], dict[str, Any]]
    expected_status: int
    description: str
    network: Callable[[int], str] | None = None


def bench_user(worker: int) -> dict[str, Any]:
    """The personal chat of worker N's Teams user (the sink's roster knows their e-mail)."""
    return act.personal(
        "", user_id=f"29:bench-user-{worker}", aad=f"aad-bench-{worker}", name="Bench User"
    )


def bench_email(teams_user_id: str) -> str:
    """The e-mail the bench roster gives a bench user: how netpuls finds the person."""
    return f"{teams_user_id.removeprefix('29:')}@example.org"


def help_message(service_url: str, worker: int) -> dict[str, Any]:
    """`help` in a personal chat, from one of 20 users, with a unique activity id."""
    where = bench_user(worker) | {"service_url": service_url}
    activity = act.message(where, "help")
    # A fresh id per request: netpuls drops a redelivered activity id as a duplicate.
    activity["id"] = f"bench-{uuid.uuid4().hex}"
    return activity


HELP = Scenario(
    name="help",
    activity=help_message,
    expected_status=201,
    description="`help` command in a personal chat, answered with one message via the connector",
)

RSVP_NETWORK = "bench-rsvp"
RSVP_MEETINGS = 4
_ANSWERS = ("attending", "not_attending")
_rsvps_sent: defaultdict[int, int] = defaultdict(int)


def rsvp_network(workers: int) -> str:
    """A network file: one municipality and one participant per worker, four meetings."""
    lines = [
        "network:",
        f"  slug: {RSVP_NETWORK}",
        "  name: Benchmark network",
        "  language: en",
        "  timezone: Europe/Copenhagen",
        "  period: {start: +0d, end: +52w}",
        f"  seats: {max(workers, 1)}",
        "municipalities:",
        *(f"  - {{key: bench-town-{n}, name: Town {n}, region: Bench}}" for n in range(workers)),
        "people:",
        *(
            f"  - {{name: Bench User {n}, email: {bench_email(f'29:bench-user-{n}')},"
            f" municipality: bench-town-{n}, roles: [participant]}}"
            for n in range(workers)
        ),
        "meetings:",
    ]
    for number in range(1, RSVP_MEETINGS + 1):
        lines += [
            f"  - number: {number}",
            f"    date: +{16 + 4 * number}w",
            "    time: 10:00-15:00",
            "    region: Bench",
            f"    capacity: {max(workers, 1)}",
        ]
    return "\n".join(lines) + "\n"


def rsvp_invoke(service_url: str, worker: int) -> dict[str, Any]:
    """An RSVP click on an agenda card: each of a worker's clicks flips one of its answers.

    The worker's clicks go round the meetings, and each meeting's answer alternates between
    attending and not attending, so every invoke changes a stored row (no no-op writes).
    """
    sent = _rsvps_sent[worker]
    _rsvps_sent[worker] = sent + 1
    meeting = sent % RSVP_MEETINGS + 1
    answer = _ANSWERS[(sent // RSVP_MEETINGS) % 2]
    where = bench_user(worker) | {"service_url": service_url}
    activity = act.card_invoke(
        where, "rsvp", {"meeting": f"{RSVP_NETWORK}:{meeting}", "answer": answer}
    )
    activity["id"] = f"bench-{uuid.uuid4().hex}"
    return activity


RSVP = Scenario(
    name="rsvp",
    activity=rsvp_invoke,
    expected_status=200,
    description="adaptiveCard/action RSVP invoke in a personal chat: one answer saved, the "
    "reader's card in the invoke response",
    network=rsvp_network,
)

# Every scenario `python -m bench.edge --scenario NAME` knows; the references (stock echo,
# raw echo) answer any message, so they run with every scenario that posts a message.
SCENARIOS: dict[str, Scenario] = {HELP.name: HELP, RSVP.name: RSVP}
