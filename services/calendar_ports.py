"""Ports for Outlook events with Teams meetings and for the team's roster, in plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.roster import TeamMember


@dataclass(frozen=True, slots=True)
class EventDetails:
    """What an event says: subject, when (aware datetimes), where, and a plain-text body."""

    subject: str
    start: datetime
    end: datetime
    location: str
    body: str


@dataclass(frozen=True, slots=True)
class Invitee:
    """An attendee of an event."""

    email: str
    name: str


@dataclass(frozen=True, slots=True)
class CreatedEvent:
    """What Graph answers to a create: the event's id and its Teams meeting's join link
    (`onlineMeeting.joinUrl`; empty when Graph gives none)."""

    event_id: str
    join_url: str = ""


class EventState(StrEnum):
    """Where a meeting's Outlook event stands."""

    PENDING = "pending"  # claimed, not (known to be) created at Graph yet
    CREATED = "created"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A meeting's event as stored: Graph's id, what was last sent, the create idempotency key."""

    slug: str
    number: int
    mailbox: str
    transaction_id: str
    state: EventState
    event_id: str | None = None
    fingerprint: str = ""
    attendees: tuple[str, ...] = ()  # lower-cased e-mails last sent to Graph
    last_error: str = ""
    join_url: str = ""  # the Teams meeting's join link, as Graph gave it at the create


class CalendarPort(Protocol):
    """Events in the organiser's mailbox (POST/PATCH /users/{mailbox}/events, .../cancel)."""

    async def create_event(
        self,
        mailbox: str,
        details: EventDetails,
        invitees: tuple[Invitee, ...],
        transaction_id: str,
    ) -> CreatedEvent:
        """Create an online (Teams) event; the same transaction id never makes a second one."""
        ...

    async def join_url(self, mailbox: str, event_id: str) -> str:
        """The Teams join link of an existing event, or '' when it has none."""
        ...

    async def update_event(
        self,
        mailbox: str,
        event_id: str,
        *,
        details: EventDetails | None = None,
        invitees: tuple[Invitee, ...] | None = None,
    ) -> None:
        """PATCH only what is given (the body is never replaced: it holds the Teams link)."""
        ...

    async def cancel_event(self, mailbox: str, event_id: str, comment: str) -> None:
        """Cancel the event; Outlook tells the attendees, with the comment."""
        ...


class RosterPort(Protocol):
    """The members of a team (GET /teams/{group id}/members, every page)."""

    async def team_members(self, team_id: str) -> list[TeamMember]:
        """Every member of the team whose Microsoft 365 group id is `team_id`."""
        ...


class MeetingEventRepository(Protocol):
    """Per meeting: its Outlook event, claimed with a lease before Graph is called."""

    async def candidates(self) -> list[tuple[str, int]]:
        """Meetings whose agenda is posted or that already have an event record."""
        ...

    async def claim(
        self, slug: str, number: int, mailbox: str, worker: str, now: datetime, until: datetime
    ) -> EventRecord | None:
        """The record, created if missing, leased to `worker`; None while another holds it."""
        ...

    async def finish(
        self,
        slug: str,
        number: int,
        worker: str,
        *,
        state: EventState,
        event_id: str | None,
        fingerprint: str,
        attendees: tuple[str, ...],
        join_url: str = "",
    ) -> None:
        """Store what Graph now has and release the lease."""
        ...

    async def join_url(self, slug: str, number: int) -> str:
        """The Teams join link of the meeting's event while it exists (not cancelled), else ''."""
        ...

    async def fail(self, slug: str, number: int, worker: str, error: str) -> None:
        """Release the lease after a failure, keeping the error for the organisers."""
        ...

    async def reopen(self, slug: str, number: int, worker: str, transaction_id: str) -> None:
        """A cancelled meeting planned again: forget the cancelled event, new idempotency key."""
        ...
