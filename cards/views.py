"""View data for the meeting cards: plain values, already resolved to names and local times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from cards.meeting import MeetingView
from domain.model import ProgrammeItem


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone coming (or waitlisted), with their municipality."""

    person: str
    municipality: str
    dietary: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class MyAnswer:
    """The reader's own answer, shown and pre-filled on their copy of the card."""

    answer: str  # "attending" | "not_attending" | "maybe"
    waitlisted: bool = False
    waitlist_position: int | None = None
    dietary: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class RsvpState:
    """How the RSVP stands for a meeting."""

    answered_municipalities: int
    total_municipalities: int
    attending: tuple[Attendee, ...]
    maybe: tuple[Attendee, ...]
    waitlist: tuple[Attendee, ...]
    deadline_day: date
    deadline_time: time
    closed: bool
    capacity: int | None = None
    seats_per_municipality: int = 1
    online_allowed: bool = False  # the meeting may be attended online, apart from the seats
    online: tuple[Attendee, ...] = ()  # those attending online


@dataclass(frozen=True, slots=True)
class AgendaView:
    """Everything the agenda card shows for one meeting."""

    meeting_key: str  # "<network-slug>:<number>": goes into every action's data
    meeting: MeetingView
    rsvp: RsvpState
    calendar_url: str = ""  # signed .ics link; empty hides "Add to calendar"
    accepted_cases: tuple[tuple[str, str], ...] = ()  # (title, municipality)
    material: tuple[tuple[str, str], ...] = ()  # (title, url)
    mine: MyAnswer | None = None  # None on the shared channel copy
    own_cost_note: bool = False  # study trips: travel and stay at the municipality's cost
    # Optional, added for the agenda card: the full programme with end times and kinds;
    # when empty the card falls back to meeting.programme's (time, title) pairs.
    programme: tuple[ProgrammeItem, ...] = ()
    notice: str = ""  # a refusal or confirmation shown at the top of the reader's copy
    # Teams user ids (MRIs, "29:...") whose client fetches its own copy by itself: at most 60.
    refresh_user_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AttendeesView:
    """The facilitator's and host's list: who comes from where, dietary needs, who is silent."""

    meeting_key: str
    meeting: MeetingView
    attending: tuple[Attendee, ...]
    maybe: tuple[Attendee, ...]
    waitlist: tuple[Attendee, ...]
    not_attending: tuple[str, ...]  # municipality names
    no_answer: tuple[str, ...]  # municipality names
    csv_url: str = ""
    online: tuple[Attendee, ...] = ()  # attending online: no place taken
