"""Rows of results, the table, the ratios and the issue's goals."""

from __future__ import annotations

from dataclasses import dataclass

from bench.load import Tally
from bench.servers import Server

# A floor, not a target: the goals users feel are bench.day's (answer times, fan-out,
# exactly-once, memory, start-up); this only catches the edge falling far behind stock.
FLOOR_STOCK_RATIO = 3.0


@dataclass
class Row:
    """One case's numbers."""

    label: str
    kind: str
    scenario: str
    per_second: float
    ok: int
    errors: dict[str, int]
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_seconds: float
    cpu_ms_per_turn: float
    replies_per_turn: float
    startup_seconds: float
    idle_rss_mb: float
    peak_rss_mb: float
    load_cpu_seconds: float
    sink_cpu_seconds: float

    @classmethod
    def of(
        cls,
        label: str,
        kind: str,
        scenario: str,
        tally: Tally,
        server: Server,
        cpu: float,
        replies: int,
        *,
        load_cpu: float,
        sink_cpu: float,
    ) -> Row:
        """A row from a finished measurement."""
        turns = max(tally.ok, 1)
        return cls(
            label=label,
            kind=kind,
            scenario=scenario,
            per_second=tally.per_second,
            ok=tally.ok,
            errors=dict(tally.unexpected),
            p50_ms=tally.percentile_ms(0.50),
            p95_ms=tally.percentile_ms(0.95),
            p99_ms=tally.percentile_ms(0.99),
            cpu_seconds=cpu,
            cpu_ms_per_turn=cpu * 1000 / turns,
            replies_per_turn=replies / turns,
            startup_seconds=server.startup_seconds,
            idle_rss_mb=server.idle_rss_mb,
            peak_rss_mb=server.peak_rss_mb(),
            load_cpu_seconds=load_cpu,
            sink_cpu_seconds=sink_cpu,
        )

    def line(self) -> str:
        """One table line."""
        errors = sum(self.errors.values())
        return (
            f"{self.label:<30} {self.per_second:>8.0f} {self.p50_ms:>7.1f} {self.p95_ms:>7.1f} "
            f"{self.p99_ms:>7.1f} {errors:>6} {self.replies_per_turn:>7.2f} "
            f"{self.cpu_seconds:>6.1f} {self.cpu_ms_per_turn:>7.2f} {self.startup_seconds:>7.2f} "
            f"{self.idle_rss_mb:>7.0f} {self.peak_rss_mb:>7.0f} "
            f"{self.load_cpu_seconds:>6.1f} {self.sink_cpu_seconds:>6.1f}"
        )


HEADER = (
    f"{'case':<30} {'turns/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
    f"{'replies':>7} {'cpu s':>6} {'cpu ms':>7} {'start s':>7} {'idle MB':>7} {'peak MB':>7} "
    f"{'gen s':>6} {'sink s':>6}"
)


def best_rounds(rows: list[Row]) -> list[Row]:
    """Each case's round with the highest throughput, in first-seen order."""
    best: dict[str, Row] = {}
    for row in rows:
        if row.label not in best or row.per_second > best[row.label].per_second:
            best[row.label] = row
    return list(best.values())


def print_report(rows: list[Row], concurrency: int, rounds: int = 1) -> None:
    """The table, the ratios to the references and each goal met or not."""
    print()
    print(f"concurrency {concurrency}; best of {rounds} round(s) per case;")
    print("cpu = server CPU in the measured phase, cpu ms = per turn;")
    print("replies = connector replies per turn; gen/sink = CPU of load generator and sink")
    print(HEADER)
    for row in rows:
        print(row.line())
        if row.errors:
            print(f"{'':<30} unexpected answers: {row.errors}")
    stock = next((r for r in rows if r.kind == "stock"), None)
    print()
    for row in (r for r in rows if r.kind == "netpuls"):
        parts = [f"{row.label}:"]
        if row.scenario == "rsvp":
            # An invoke is answered in the HTTP response: the echo bots do nothing comparable.
            parts.append(f"{row.per_second:.0f}/s")
        elif stock and stock.per_second:
            ratio = row.per_second / stock.per_second
            floor = "above" if ratio >= FLOOR_STOCK_RATIO else "BELOW"
            parts.append(f"{ratio:.1f}x stock ({floor} the {FLOOR_STOCK_RATIO:g}x floor)")
        parts.append(f"p99 {row.p99_ms:.1f} ms")
        parts.append(f"start {row.startup_seconds:.2f} s")
        parts.append(f"peak {row.peak_rss_mb:.0f} MB")
        print("  ".join(parts))
