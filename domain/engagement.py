"""Engagement: who takes part, counted per municipality and per month; digest periods. Pure."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.model import Municipality, Network


class ActivityKind(enum.StrEnum):
    """One kind of taking part; each is one query in storage (a source may not exist yet)."""

    RSVP_ANSWERED = "rsvp_answered"
    MEETING_ATTENDED = "meeting_attended"
    CASE_SUBMITTED = "case_submitted"
    MATERIAL_SHARED = "material_shared"
    QUESTION_ASKED = "question_asked"
    QUESTION_ANSWERED = "question_answered"
    PAIR_CALL_HELD = "pair_call_held"


@dataclass(frozen=True, slots=True)
class ActivityEvent:
    """One thing a municipality did, and when (aware)."""

    kind: ActivityKind
    municipality: str  # municipality key
    at: datetime


Month = tuple[int, int]  # (year, month)


@dataclass(frozen=True, slots=True)
class MunicipalityEngagement:
    """One municipality's counts per kind over the period, its last activity, and if quiet."""

    key: str
    name: str
    counts: dict[ActivityKind, int]
    last_activity: datetime | None
    quiet: bool

    @property
    def total(self) -> int:
        """Everything it did."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class EngagementTable:
    """The whole network: rows per municipality, counts per month and kind, the period."""

    kinds: tuple[ActivityKind, ...]  # the kinds a source exists for, in ActivityKind order
    rows: tuple[MunicipalityEngagement, ...]
    months: tuple[Month, ...]
    per_month: dict[Month, dict[ActivityKind, int]]
    start: date
    end: date
    quiet_days: int

    @property
    def quiet(self) -> tuple[MunicipalityEngagement, ...]:
        """The municipalities highlighted as quiet."""
        return tuple(r for r in self.rows if r.quiet)


def period_of(network: Network, now: datetime) -> tuple[datetime, datetime]:
    """The network's period up to now, as aware local datetimes [start, end)."""
    zone = network.zone
    start = datetime.combine(network.starts_on, time(0), zone)
    end = datetime.combine(network.ends_on + timedelta(days=1), time(0), zone)
    return start, max(start, min(end, now.astimezone(zone)))


def months_between(start: date, end: date) -> tuple[Month, ...]:
    """Every (year, month) from start's month to end's month, both included."""
    months: list[Month] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def tally(
    network: Network,
    municipalities: list[Municipality],
    kinds: tuple[ActivityKind, ...],
    events: list[ActivityEvent],
    now: datetime,
    quiet_after: timedelta,
) -> EngagementTable:
    """Count events per municipality and per month; quiet = nothing for more than quiet_after.

    A municipality that never did anything counts as active from the network's start, so
    nobody is called quiet in a network's first weeks.
    """
    zone = network.zone
    start, end = period_of(network, now)
    shown = [e for e in events if e.kind in kinds and start <= e.at < end]
    per_town: dict[str, Counter[ActivityKind]] = {m.key: Counter() for m in municipalities}
    last: dict[str, datetime] = {}
    for event in shown:
        if event.municipality not in per_town:
            continue  # an applicant's or a former member's activity is not in the table
        per_town[event.municipality][event.kind] += 1
        if event.municipality not in last or event.at > last[event.municipality]:
            last[event.municipality] = event.at
    rows = tuple(
        MunicipalityEngagement(
            key=m.key,
            name=m.name,
            counts={k: per_town[m.key][k] for k in kinds},
            last_activity=last.get(m.key),
            quiet=now - last.get(m.key, start) > quiet_after,
        )
        for m in sorted(municipalities, key=lambda m: m.name)
    )
    months = months_between(start.date(), (end - timedelta(microseconds=1)).date())
    per_month: dict[Month, dict[ActivityKind, int]] = {m: dict.fromkeys(kinds, 0) for m in months}
    for event in shown:
        if event.municipality in per_town:
            local = event.at.astimezone(zone)
            per_month[(local.year, local.month)][event.kind] += 1
    return EngagementTable(
        kinds=kinds,
        rows=rows,
        months=months,
        per_month=per_month,
        start=start.date(),
        end=(end - timedelta(microseconds=1)).date(),
        quiet_days=quiet_after.days,
    )


class DigestFrequency(enum.StrEnum):
    """How often the digest is posted."""

    OFF = "off"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class DigestPeriod:
    """A finished week or month in the network's zone: [start, end), and its stable label."""

    label: str  # '2024-W11' or '2024-03': part of the digest's exactly-once key
    start: datetime
    end: datetime


def last_period(frequency: DigestFrequency, now: datetime, zone: ZoneInfo) -> DigestPeriod:
    """The last full week (Monday to Monday) or calendar month before `now`, local time."""
    today = now.astimezone(zone).date()
    if frequency is DigestFrequency.MONTHLY:
        end_day = today.replace(day=1)
        start_day = (end_day - timedelta(days=1)).replace(day=1)
        label = f"{start_day:%Y-%m}"
    else:
        end_day = today - timedelta(days=today.weekday())
        start_day = end_day - timedelta(days=7)
        year, week, _ = start_day.isocalendar()
        label = f"{year}-W{week:02d}"
    return DigestPeriod(
        label,
        datetime.combine(start_day, time(0), zone),
        datetime.combine(end_day, time(0), zone),
    )


def next_period_end(period: DigestPeriod, frequency: DigestFrequency) -> datetime:
    """Where the period after `period` ends: what 'coming up' covers."""
    zone = period.end.tzinfo
    day = period.end.date()
    if frequency is DigestFrequency.MONTHLY:
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        following = day + timedelta(days=7)
    return datetime.combine(following, time(0), zone)
