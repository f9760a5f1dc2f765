"""Each posted meeting's Outlook event with a Teams link, reconciled with the yes-list.

A job, not the click, talks to Graph: it compares what the meeting and its RSVPs want with
what was last sent, and sends only the difference. A meeting's record is inserted under a
unique constraint and leased with a conditional update before Graph is called, so replicas
and overlapping passes never create an event twice; the create carries a transactionId kept
in that record, so a create whose answer was lost is repeated without a second event.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.model import Meeting, MeetingStatus, Network, Person
from domain.rsvp import Answer, Standing
from services.calendar_ports import CalendarPort, EventDetails, EventRecord, EventState, Invitee
from services.graph_port import GraphFailure
from services.meeting_state import MeetingState, load_state
from services.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
Describe = Callable[[MeetingState], EventDetails]
CancelNote = Callable[[MeetingState], str]


@dataclass(frozen=True, slots=True)
class EventWording:
    """What the edge says in an event: its details, and the comment of a cancellation."""

    describe: Describe
    cancel_note: CancelNote


@dataclass(slots=True)
class SyncReport:
    """What one reconciliation pass did."""

    created: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0
    busy: int = 0  # leased by another worker
    failed: int = 0


@dataclass(frozen=True, slots=True)
class Desired:
    """What Graph should hold for a meeting."""

    cancelled: bool
    details: EventDetails
    invitees: tuple[Invitee, ...]
    fingerprint: str

    @property
    def addresses(self) -> tuple[str, ...]:
        """The invitees' e-mails, lower-cased and sorted."""
        return tuple(sorted(i.email.lower() for i in self.invitees))


def fingerprint(details: EventDetails) -> str:
    """A hash of what an update sends (subject, times, place); the body is never re-sent."""
    text = "\x1f".join(
        (details.subject, details.start.isoformat(), details.end.isoformat(), details.location)
    )
    return hashlib.sha256(text.encode()).hexdigest()


def yes_list(state: MeetingState, people: list[Person]) -> tuple[Invitee, ...]:
    """Everyone attending with a confirmed place or online who has an e-mail, in answer order:
    the invitation carries the Teams meeting."""
    emails = {p.key: p for p in people}
    invitees: dict[str, Invitee] = {}
    for rsvp in state.rsvps:
        person = emails.get(rsvp.person)
        if (
            rsvp.answer in (Answer.ATTENDING, Answer.ONLINE)
            and rsvp.standing is Standing.CONFIRMED
            and person is not None
            and person.email
        ):
            invitees.setdefault(person.email.lower(), Invitee(person.email, person.name))
    return tuple(invitees.values())


def _ended(network: Network, meeting: Meeting, now: datetime) -> bool:
    return meeting.ends_at(network.zone) <= now


async def reconcile(
    uow: UnitOfWorkFactory,
    clock: Clock,
    calendar: CalendarPort,
    mailbox: str,
    wording: EventWording,
    worker: str,
    lease: timedelta = LEASE,
) -> SyncReport:
    """One pass over every meeting with a posted agenda; each failure stays with its meeting."""
    report = SyncReport()
    async with uow() as work:
        meetings = await work.meeting_events.candidates()
    for slug, number in meetings:
        try:
            outcome = await sync_meeting(
                uow, clock, calendar, mailbox, wording, worker, slug, number, lease
            )
        except GraphFailure as exc:
            log.warning("calendar event of %s:%d failed: %s", slug, number, exc)
            async with uow() as work:
                await work.meeting_events.fail(slug, number, worker, str(exc))
                await work.commit()
            report.failed += 1
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


async def _desired(
    uow: UnitOfWorkFactory, clock: Clock, wording: EventWording, slug: str, number: int
) -> tuple[MeetingState, Desired]:
    async with uow() as work:
        state = await load_state(work, clock, slug, number)
        people = await work.networks.people(slug)
    details = wording.describe(state)
    return state, Desired(
        cancelled=state.meeting.status is MeetingStatus.CANCELLED,
        details=details,
        invitees=yes_list(state, people),
        fingerprint=fingerprint(details),
    )


async def sync_meeting(
    uow: UnitOfWorkFactory,
    clock: Clock,
    calendar: CalendarPort,
    mailbox: str,
    wording: EventWording,
    worker: str,
    slug: str,
    number: int,
    lease: timedelta = LEASE,
) -> str:
    """Bring one meeting's event in line; returns the SyncReport field to count it under."""
    now = clock.now()
    async with uow() as work:
        record = await work.meeting_events.claim(slug, number, mailbox, worker, now, now + lease)
        await work.commit()
    if record is None:
        return "busy"
    state, desired = await _desired(uow, clock, wording, slug, number)
    outcome, event_id, state_now, join_url = await _apply(
        calendar, record, state, desired, wording, worker, uow, now
    )
    async with uow() as work:
        await work.meeting_events.finish(
            slug,
            number,
            worker,
            state=state_now,
            event_id=event_id,
            fingerprint=desired.fingerprint if event_id else "",
            attendees=desired.addresses if event_id else (),
            join_url=join_url if event_id and state_now is EventState.CREATED else "",
        )
        await work.commit()
    return outcome


async def _apply(
    calendar: CalendarPort,
    record: EventRecord,
    state: MeetingState,
    desired: Desired,
    wording: EventWording,
    worker: str,
    uow: UnitOfWorkFactory,
    now: datetime,
) -> tuple[str, str | None, EventState, str]:
    """The Graph calls for one meeting: (outcome, event id, state, Teams join link) to record
    afterwards. The join link comes with the create (Graph's `onlineMeeting.joinUrl`) and is
    kept while the event lives."""
    mailbox = record.mailbox  # the mailbox the event lives in, even if the setting changed
    if desired.cancelled:
        if record.state is EventState.CREATED and record.event_id:
            await calendar.cancel_event(mailbox, record.event_id, wording.cancel_note(state))
            return "cancelled", record.event_id, EventState.CANCELLED, ""
        return "unchanged", record.event_id, record.state, record.join_url
    if record.state is EventState.CANCELLED:
        # Planned again after a cancellation: Outlook cannot revive it, so a new event.
        record = await _reopen(uow, record, worker)
    if record.event_id is None:
        if _ended(state.network, state.meeting, now):
            return "unchanged", None, record.state, ""
        made = await calendar.create_event(
            mailbox, desired.details, desired.invitees, record.transaction_id
        )
        return "created", made.event_id, EventState.CREATED, made.join_url
    changed = False
    if desired.fingerprint != record.fingerprint:
        await calendar.update_event(mailbox, record.event_id, details=desired.details)
        changed = True
    if desired.addresses != tuple(sorted(record.attendees)):
        # Attendees alone: Outlook writes only to those added or removed.
        await calendar.update_event(mailbox, record.event_id, invitees=desired.invitees)
        changed = True
    outcome = "updated" if changed else "unchanged"
    # An event made before its link was kept: ask Graph once; the answer is stored.
    join_url = record.join_url or await calendar.join_url(mailbox, record.event_id)
    return outcome, record.event_id, EventState.CREATED, join_url


async def _reopen(uow: UnitOfWorkFactory, record: EventRecord, worker: str) -> EventRecord:
    fresh = str(uuid.uuid4())
    async with uow() as work:
        await work.meeting_events.reopen(record.slug, record.number, worker, fresh)
        await work.commit()
    return EventRecord(
        slug=record.slug,
        number=record.number,
        mailbox=record.mailbox,
        transaction_id=fresh,
        state=EventState.PENDING,
    )
