"""View data for the sparring cards: plain values, names resolved, nothing left to look up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cards.meeting import MeetingView


@dataclass(frozen=True, slots=True)
class CaseFormView:
    """The case card: the coming meetings, the network's themes, what was typed so far."""

    meeting_key: str  # the meeting the card was opened for (its network is the card's)
    network_name: str
    meetings: tuple[tuple[str, str], ...]  # (number, label)
    chosen: str  # the meeting number selected by default
    themes: tuple[str, ...]
    title: str = ""
    description: str = ""
    chosen_themes: str = ""  # "0,2": the themes' indexes
    notice: str = ""


@dataclass(frozen=True, slots=True)
class CaseItem:
    """One case on a list."""

    id: int
    title: str
    description: str
    themes: tuple[str, ...]
    submitter: str
    municipality: str
    status: str  # "submitted" | "accepted" | "declined"
    position: int | None = None
    decision_note: str = ""
    sparring_notes: str = ""


@dataclass(frozen=True, slots=True)
class CasesView:
    """A meeting's cases: every case for the facilitator, a member's own otherwise."""

    meeting_key: str
    meeting: MeetingView
    cases: tuple[CaseItem, ...]
    reviewer: bool
    notes_open: bool
    hidden: int = 0  # cases left off to keep the card small
    notice: str = ""


@dataclass(frozen=True, slots=True)
class HostView:
    """The host card: the meeting, the planned programme, the host's proposals."""

    meeting_key: str
    meeting: MeetingView
    proposals: tuple[str, ...]
    address: str
    what_to_see: str
    notice: str = ""


@dataclass(frozen=True, slots=True)
class SummaryCase:
    """An accepted case as the summary shows it."""

    id: int
    title: str
    municipality: str
    note: str


@dataclass(frozen=True, slots=True)
class SummaryView:
    """The summary, as the facilitator edits it and as the channel reads it."""

    meeting_key: str
    meeting: MeetingView
    key_points: str
    good_advice: str
    experiences: str
    next_steps: str
    cases: tuple[SummaryCase, ...]
    posted_on: date | None = None
    notice: str = ""


@dataclass(frozen=True, slots=True)
class EvaluationView:
    """The evaluation card for an attendee, or the facilitator's totals."""

    meeting_key: str
    meeting: MeetingView
    answers: int = 0
    counts: tuple[int, ...] = (0, 0, 0, 0, 0)
    mean: float | None = None
    comments: tuple[str, ...] = ()
    notice: str = ""
    shown_from: int = 0  # totals are withheld while answers < shown_from
