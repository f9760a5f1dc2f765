"""The network's year as people read it: every cadence step and every meeting, past or coming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.model import MeetingStatus, Network
from services.cadence import preview
from services.ports import StepRecord, UnitOfWork

# A step still waiting that is due before now will not run as planned: it is past.
WAITING = ("planned", "paused")


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """A step or a meeting at its time: `kind` is a step kind, or the meeting's kind
    (meeting, study_trip); `status` is the step's, or past, planned, cancelled for a meeting."""

    due: datetime  # aware
    kind: str
    meeting: int | None
    theme: str
    status: str
    reason: str = ""
    is_meeting: bool = False
    key: str = ""  # a step's key; empty for a meeting


def shown_status(step: StepRecord, now: datetime) -> str:
    """The step's status, with a step that waited past its time shown as past."""
    return "past" if step.status in WAITING and step.due <= now else step.status


async def timeline(
    uow: UnitOfWork, slug: str, start: datetime, end: datetime, now: datetime
) -> tuple[Network, list[TimelineRow]]:
    """The stored steps and the meetings of a network in [start, end), in time order."""
    network, steps = await preview(uow, slug, start, end)
    rows = [
        TimelineRow(s.due, s.kind, s.meeting, s.theme, shown_status(s, now), s.reason, key=s.key)
        for s in steps
    ]
    async with uow:
        meetings = await uow.networks.meetings(slug)
    for m in meetings:
        begins = m.starts_at(network.zone)
        if not start <= begins < end:
            continue
        if m.status is MeetingStatus.CANCELLED:
            status = "cancelled"
        else:
            status = "past" if m.ends_at(network.zone) <= now else "planned"
        rows.append(TimelineRow(begins, m.kind.value, m.number, "", status, is_meeting=True))
    return network, sorted(rows, key=lambda r: (r.due, not r.is_meeting))
