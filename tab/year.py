"""The year page: meetings, the study trip, phases and every cadence step with its state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from domain.model import Meeting, Phase, next_meeting
from services.ports import Clock, StepRecord, UnitOfWork
from tab.access import Access

MARGIN = timedelta(days=92)  # steps before the start (the call) and after the end (evaluation)


@dataclass(frozen=True, slots=True)
class Step:
    """A cadence step in the network's local time, with its state."""

    record: StepRecord
    due: datetime
    state: str  # past, planned, skipped, paused
    upcoming: bool  # the next thing netpuls will do


@dataclass(frozen=True, slots=True)
class Year:
    """Everything the year page shows."""

    access: Access
    phases: tuple[Phase, ...]
    meetings: tuple[Meeting, ...]
    next_meeting: Meeting | None
    steps: tuple[Step, ...]
    paused: bool

    @property
    def next_step(self) -> Step | None:
        """The highlighted next action."""
        return next((s for s in self.steps if s.upcoming), None)


def state_of(record: StepRecord, now: datetime) -> str:
    """past (done or run), skipped (with the reason), paused, or planned."""
    if record.status in ("skipped", "cancelled"):
        return "skipped"
    if record.status == "paused":
        return "paused"
    if record.status == "planned" and record.due >= now:
        return "planned"
    return "past"


async def year(uow: UnitOfWork, clock: Clock, access: Access) -> Year:
    """The network's year as the reader may see it (inside the caller's unit of work)."""
    network, now = access.network, clock.now()
    zone = network.zone
    start = datetime.combine(network.starts_on, time(0), zone) - MARGIN
    end = datetime.combine(network.ends_on, time(0), zone) + MARGIN
    records = await uow.cadence.upcoming(network.slug, start, end)
    meetings = sorted(await uow.networks.meetings(network.slug), key=lambda m: m.day)
    first = next((r for r in records if state_of(r, now) == "planned"), None)
    steps = tuple(Step(r, r.due.astimezone(zone), state_of(r, now), r is first) for r in records)
    return Year(
        access,
        tuple(sorted(await uow.networks.phases(network.slug), key=lambda p: p.starts_on)),
        tuple(meetings),
        next_meeting(meetings, zone, now),
        steps,
        paused=any(s.state == "paused" for s in steps),
    )
