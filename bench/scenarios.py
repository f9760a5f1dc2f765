"""Scenarios: what the load generator posts, and which answer counts as success."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support import activities as act


@dataclass(frozen=True, slots=True)
class Scenario:
    """One kind of request: a factory of realistic Teams activities and the expected status.

    `activity(service_url, worker)` builds a fresh activity for one request; `worker` is the
    load generator's worker number, so each worker can act as its own Teams user.
    """

    name: str
    activity: Callable[[str, int], dict[str, Any]]
    expected_status: int
    description: str


def help_message(service_url: str, worker: int) -> dict[str, Any]:
    """`help` in a personal chat, from one of 20 users, with a unique activity id."""
    where = act.personal(
        service_url, user_id=f"29:bench-user-{worker}", aad=f"aad-bench-{worker}", name="Bench User"
    )
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

# Every scenario `python -m bench.edge --scenario NAME` knows; the references (stock echo,
# raw echo) answer any message, so they run with every scenario that posts a message.
SCENARIOS: dict[str, Scenario] = {HELP.name: HELP}
