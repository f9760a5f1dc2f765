"""The day's numbers, how they are printed, and the goals they are held to."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.day_traffic import Tally, percentile_ms

GOAL_P99_MS = 250.0
GOAL_FANOUT_SHARE = 0.95
GOAL_RSS_MB = 150.0
GOAL_HEALTHZ_S = 2.0
CHANNEL_PREFIX = "19:day-"
BUNCHED = 1.05  # a pace this far above the limit is not measurement noise


def fan_out(posts: list[list[Any]], channels: int, rate: float) -> dict[str, float]:
    """Requests per second to the channels from the first post until every channel had one.

    Until then every replica has agendas waiting, so the pace is the limiter's, not the
    tail of the last retries waiting out their Retry-After. The pace is the least-squares
    slope of request count over arrival time: one late first request (a new connection)
    does not make a short window look faster than it was.
    """
    to_channels = [p for p in posts if str(p[1]).startswith(CHANNEL_PREFIX)]
    seen: set[str] = set()
    window: list[list[Any]] = []
    for post in to_channels:
        window.append(post)
        seen.add(str(post[1]))
        if len(seen) >= channels:
            break
    if len(window) < 2:
        return {"requests": len(window), "seconds": 0.0, "per_second": 0.0, "share": 0.0}
    times = [float(p[0]) for p in window]
    seconds = times[-1] - times[0]
    mean = sum(times) / len(times)
    spread = sum((t - mean) ** 2 for t in times)
    middle = (len(times) - 1) / 2
    slope = sum((t - mean) * (i - middle) for i, t in enumerate(times))
    per_second = slope / spread if spread > 0 else 0.0
    return {
        "requests": len(window),
        "seconds": seconds,
        "per_second": per_second,
        "share": per_second / rate,
    }


def exactly_once(posts: list[list[Any]], outbox: list[tuple[str, str]]) -> dict[str, int]:
    """Posts each channel accepted against the deliveries the outbox holds for it."""
    received = Counter(str(p[1]) for p in posts if int(p[2]) < 300)
    expected = Counter(conversation for conversation, _ in outbox)
    channels = set(expected) | {c for c in received if c.startswith(CHANNEL_PREFIX)}
    return {
        "lost": sum(max(0, expected[c] - received[c]) for c in channels),
        "duplicated": sum(max(0, received[c] - expected[c]) for c in channels),
    }


def lines(n: dict[str, Any], tally: Tally) -> list[str]:
    """The report, ending with the RESULT line."""
    everything = tally.all()
    p99 = percentile_ms(everything, 0.99)
    fan = n["fan_out"]
    mark = {True: "met", False: "NOT met"}
    out = [
        f"day: {n['networks']} networks x {n['people_per_network']} people, one tenant, "
        f"{n['database']}, {n['replicas']} replica(s), tenant limit {n['rate']:g}/s, "
        f"injected {n['p429']:.0%} 429 / {n['p5xx']:.0%} 5xx",
        f"  agendas in the outbox {n['deliveries']} ({n['outbox']}), posted in "
        f"{n['fan_out_seconds']:.1f} s",
        f"  fan-out: {fan['requests']} requests in {fan['seconds']:.2f} s = "
        f"{fan['per_second']:.2f}/s = {fan['share']:.1%} of the limit "
        f"({mark[fan['share'] >= GOAL_FANOUT_SHARE]}, goal >= {GOAL_FANOUT_SHARE:.0%}"
        f"{'; above the limit: sends bunched' if fan['share'] > BUNCHED else ''})",
        f"  the fake Connector: injected {n['injected']}, refused by its limits "
        f"{n['throttled'] or 'none'}",
        f"  lost {n['lost']}, duplicated {n['duplicated']} "
        f"({mark[n['lost'] == 0 and n['duplicated'] == 0]}, goal 0 and 0)",
        f"  clicks and messages over {n['traffic_seconds']:.0f} s: "
        + ", ".join(f"{k} {len(v)}" for k, v in sorted(tally.latencies.items()))
        + (f"; unexpected {dict(tally.unexpected)}" if tally.unexpected else ""),
    ]
    for kind, values in sorted(tally.latencies.items()):
        out.append(
            f"    {kind:<5} p50 {percentile_ms(values, 0.5):6.1f} ms  "
            f"p95 {percentile_ms(values, 0.95):6.1f} ms  p99 {percentile_ms(values, 0.99):6.1f} ms"
        )
    out.append(
        f"  p99 of every answer {p99:.1f} ms ({mark[p99 <= GOAL_P99_MS]}, "
        f"goal <= {GOAL_P99_MS:.0f} ms)"
    )
    for replica in n["processes"]:
        out.append(
            f"  {replica['name']}: /healthz after {replica['healthz_s']:.2f} s "
            f"({mark[replica['healthz_s'] <= GOAL_HEALTHZ_S]}), peak RSS "
            f"{replica['peak_rss_mb']:.0f} MB ({mark[replica['peak_rss_mb'] <= GOAL_RSS_MB]})"
        )
    out.append(
        f"RESULT p99_ms={p99:.0f} fanout_pct={fan['share'] * 100:.0f} "
        f"lost={n['lost']} duplicated={n['duplicated']}"
    )
    return out
