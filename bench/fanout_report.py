"""The fan-out benchmark's numbers and how they are printed."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.fanout import Counting

GOAL_SHARE = 0.95


def numbers(
    args: argparse.Namespace, sender: Counting, stats: dict[str, Any], run: str
) -> dict[str, Any]:
    """What one run measured, from the sender's tally and the fake's counts."""
    seconds = max(sender.last - sender.first, 1e-9)
    steady = max(sender.last_fresh - sender.first, 1e-9)
    deliveries: dict[str, int] = stats["deliveries"]
    received = [deliveries.get(f"a:fanout-{run}-{n:05d}", 0) for n in range(args.recipients)]
    delivered = sum(received)
    # Every send the fake answered: accepted, injected failures, refused by its limits.
    requests = delivered + sum(stats["injected"].values()) + sum(stats["throttled"].values())
    return {
        "recipients": args.recipients,
        "worker": args.worker
        + (
            f", batch {args.batch}, concurrency {args.concurrency}, workers {args.workers}"
            if args.worker == "outbox"
            else ""
        ),
        "database": "sqlite" if not args.database else args.database.split(":")[0],
        "tenant_limit_per_s": args.rate,
        "injected_429_share": args.p429,
        "injected_5xx_share": args.p5xx,
        "seconds": round(seconds, 2),
        "requests": requests,
        "requests_per_s": round(requests / seconds, 2),
        "requests_share_of_limit": round(requests / seconds / args.rate, 4),
        # Until every recipient had its first attempt: the limiter's pace, without the tail
        # of the last retries waiting out their Retry-After or backoff.
        "steady_requests_per_s": round(sender.calls_by_last_fresh / steady, 2),
        "steady_share_of_limit": round(sender.calls_by_last_fresh / steady / args.rate, 4),
        "delivered": delivered,
        "delivered_per_s": round(delivered / seconds, 2),
        "delivered_share_of_limit": round(delivered / seconds / args.rate, 4),
        "attempts": dict(sender.outcomes),
        "injected": stats["injected"],
        "throttled_by_fake": stats["throttled"],
        "finished": sender.finished,
        "lost": sum(1 for n in received if n == 0),
        "duplicated": sum(1 for n in received if n > 1),
    }


def report(numbers: dict[str, Any]) -> str:
    """The numbers as a few readable lines."""
    n = numbers
    limit = n["tenant_limit_per_s"]
    ceiling = 1 / (1 + n["injected_429_share"] + n["injected_5xx_share"])
    return "\n".join(
        [
            f"fan-out to {n['recipients']} conversations, worker: {n['worker']} "
            f"({n['database']}), tenant limit "
            f"{limit:g}/s, injected {n['injected_429_share']:.0%} 429 and "
            f"{n['injected_5xx_share']:.0%} 5xx",
            f"  time, first request to last outcome  {n['seconds']:.1f} s",
            f"  requests to the Connector            {n['requests']} "
            f"({n['requests_per_s']:.2f}/s = {n['requests_share_of_limit']:.1%} of the limit)",
            f"  until every recipient had a first try {n['steady_requests_per_s']:.2f} requests/s "
            f"= {n['steady_share_of_limit']:.1%} of the limit",
            f"  messages delivered                   {n['delivered']} "
            f"({n['delivered_per_s']:.2f}/s = {n['delivered_share_of_limit']:.1%} of the limit; "
            f"at most ~{ceiling:.0%} when failed requests count against it)",
            f"  sender outcomes                      {n['attempts']}",
            f"  injected by the fake                 {n['injected']}",
            f"  refused by the fake's limits         {n['throttled_by_fake'] or 'none'}",
            f"  lost {n['lost']}, duplicated {n['duplicated']}",
            f"  goal: >= {GOAL_SHARE:.0%} of the limit, 0 lost, 0 duplicated: requests "
            f"{'met' if n['requests_share_of_limit'] >= GOAL_SHARE else 'NOT met'}, "
            f"delivered messages "
            f"{'met' if n['delivered_share_of_limit'] >= GOAL_SHARE else 'not met'}",
        ]
    )
