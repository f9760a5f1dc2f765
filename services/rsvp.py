"""RSVP use cases: answer for your municipality's seat, see who is coming, tell who moved up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from domain.errors import N_, InvalidInput, NotAllowed, NotFound
from domain.model import (
    MeetingStatus,
    Person,
    RoleKind,
    SeatStatus,
    channel_conversation_id,
    meeting_key,
    next_meeting,
)
from domain.numbers import small_number
from domain.organisers import is_organiser
from domain.rsvp import (
    ANSWER_OF,
    MAX_DIETARY,
    MAX_NOTE,
    Answer,
    Outcome,
    Rsvp,
    SeatPolicy,
    Standing,
    decide,
)
from domain.trips import is_trip_word, the_trip
from services.agenda import AGENDA, AgendaRefresher, post_agenda
from services.conversations import personal_chat
from services.meeting_state import (
    MeetingState,
    load_refresh_ids,
    load_state,
    meeting_state,
    parse_meeting_key,
    unknown_meeting,
)
from services.networks import Actor, Directory, identify, network_for
from services.ports import Clock, Notifier, Outbound, UnitOfWork
from services.reach import send_or_queue

# Re-exported: the bot's features reach the meeting state and the agenda through this module.
__all__ = [
    "AGENDA",
    "AgendaRefresher",
    "Answered",
    "MeetingState",
    "attendees",
    "load_state",
    "meeting_state",
    "parse_meeting_key",
    "post_agenda",
    "resolve_meeting",
    "respond",
    "tell_promoted",
]


@dataclass(frozen=True, slots=True)
class Answered:
    """The result of an answer: the new state, the reader, and who moved up the waitlist."""

    state: MeetingState
    person: Person
    outcome: Outcome
    cards_posted: bool = True  # False: no card of the meeting is posted, none to refresh


def _clean(text: object, limit: int, msgid: str) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if len(value) > limit:
        raise InvalidInput(msgid, length=len(value), limit=limit)
    return value


def _form(answer: object, dietary: object, note: object) -> tuple[Answer, str, str]:
    """The answer and texts a card payload gives, or a refusal; never trust a card payload."""
    chosen = ANSWER_OF.get(answer) if isinstance(answer, str) else None
    if chosen is None:
        raise InvalidInput(N_("That answer is not one I know."))
    diet = _clean(
        dietary,
        MAX_DIETARY,
        N_("The dietary needs are too long: {length} characters, at most {limit}."),
    )
    text = _clean(note, MAX_NOTE, N_("The note is too long: {length} characters, at most {limit}."))
    return chosen, diet, text


async def respond(
    uow: UnitOfWork,
    clock: Clock,
    key: object,
    actor: Actor,
    directory: Directory | None,
    answer: object,
    dietary: object = "",
    note: object = "",
    conversation_id: str | None = None,
) -> Answered:
    """Answer a meeting for your municipality's seat; every rule checked, nothing half-saved.

    One unit of work: the meeting's lock first, so concurrent answers to it (from this
    process or another) run one after the other; then the meeting as committed, the seat
    rule against its current answers, the answer and its change log, one commit. A refusal
    writes nothing, not even the Teams ids the roster gave.
    """
    slug, number = parse_meeting_key(key)
    form = _form(answer, dietary, note)
    async with uow:
        if not await uow.rsvps.lock(slug, number):
            raise unknown_meeting()  # before the roster is asked who clicked
        state = await load_state(uow, clock, slug, number)
        if conversation_id is not None:
            ref = await uow.conversations.get(channel_conversation_id(conversation_id))
            if ref is not None and ref.network_slug not in (None, slug):
                raise InvalidInput(N_("This card belongs to another network than this channel."))
        person = _member(state, await identify(uow, actor, directory))
        if state.meeting.status is not MeetingStatus.PLANNED:
            raise InvalidInput(N_("This meeting is cancelled."))
        if form[0] is Answer.ONLINE and not state.meeting.online:
            raise InvalidInput(N_("This meeting cannot be attended online."))
        outcome = await _save(uow, state, person, *form, now=clock.now())
        answers = tuple(await uow.rsvps.for_meeting(slug, number))
        readers = await load_refresh_ids(uow, slug, number)  # the author is among the newest
        posted = bool(await uow.posted.where(AGENDA, slug, number))
        await uow.commit()
    return Answered(replace(state, rsvps=answers, refresh_ids=readers), person, outcome, posted)


async def _save(
    uow: UnitOfWork,
    state: MeetingState,
    person: Person,
    answer: Answer,
    dietary: str,
    note: str,
    *,
    now: datetime,
) -> Outcome:
    """A member's answer decided by the seat rule under the meeting's lock, and saved with
    whoever it moved up the waitlist."""
    slug, number = state.network.slug, state.meeting.number
    town = next(m for m in state.municipalities if m.key == person.municipality)
    wanted = Rsvp(
        person=person.key,
        person_name=person.name,
        municipality=town.key,
        municipality_name=town.name,
        answer=answer,
        standing=Standing.CONFIRMED,
        answered_at=now,
        dietary=dietary,
        note=note,
    )
    policy = SeatPolicy(
        state.meeting.seats_per_municipality, state.meeting.capacity, state.deadline
    )
    others = [r for r in state.rsvps if r.person != person.key]
    outcome = decide(policy, others, state.answer_of(person.key), wanted, now)
    await uow.rsvps.save(slug, number, outcome.rsvp, changed_by=person.key, at=now)
    for promoted in outcome.promoted:
        await uow.rsvps.save(slug, number, promoted, changed_by="netpuls:waitlist", at=now)
    return outcome


def _member(state: MeetingState, person: Person | None) -> Person:
    """The person answering, who must hold (or share) a seat in the meeting's network."""
    seats = {m.key for m in state.municipalities if m.seat_status is SeatStatus.MEMBER}
    if person is None or person.municipality not in seats:
        raise NotAllowed(
            N_(
                "Only members of {network} can answer. Ask the secretariat to add "
                "you to your municipality's seat."
            ),
            network=state.network.name,
        )
    return person


async def attendees(
    uow: UnitOfWork, clock: Clock, key: object, actor: Actor, directory: Directory | None
) -> MeetingState:
    """The attendee list: for the facilitator, the secretariat and the host's contacts."""
    slug, number = parse_meeting_key(key)
    async with uow:
        state = await load_state(uow, clock, slug, number)
        person = await identify(uow, actor, directory)
        roles = await uow.people.roles(person.key, slug) if person else frozenset()
        host = (
            RoleKind.HOST_CONTACT in roles
            and person is not None
            and person.municipality == state.meeting.host
        )
        if not (is_organiser(roles) or host):
            raise NotAllowed(
                N_(
                    "Only the facilitator, the secretariat and the host's contacts "
                    "can see the attendee list."
                )
            )
        await uow.commit()
    return state


async def resolve_meeting(
    uow: UnitOfWork, clock: Clock, conversation_id: str, actor: Actor, argument: str
) -> str:
    """The meeting key a command names: a number or the study trip's word ('trip', 'studietur',
    'studieresa') in the conversation's network, or the next meeting."""
    async with uow:
        person = await uow.people.find(
            aad_object_id=actor.aad_object_id, teams_user_id=actor.teams_user_id
        )
        network = await network_for(uow, conversation_id, person, actor)
        meetings = await uow.networks.meetings(network.slug)
    text = argument.strip().lstrip("#")
    if is_trip_word(text):
        trip = the_trip(meetings, network.zone, clock.now())
        if trip is None:
            raise NotFound(N_("{network} has no study trip."), network=network.name)
        return meeting_key(network.slug, trip.number)
    if not text:
        found = next_meeting(meetings, network.zone, clock.now())
        if found is None:
            raise NotFound(N_("{network} has no more meetings planned."), network=network.name)
        return meeting_key(network.slug, found.number)
    if small_number(text) not in {m.number for m in meetings}:
        raise NotFound(
            N_("{network} has no meeting number {number}."), network=network.name, number=text[:20]
        )
    return meeting_key(network.slug, int(text))


async def tell_promoted(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    state: MeetingState,
    promoted: tuple[Rsvp, ...],
    message: Callable[[MeetingState, str], Outbound],
) -> int:
    """Tell people promoted from the waitlist, in their personal chat (opened by the outbox
    where the bot has none yet; never in the channel, which would name them to everyone)."""
    async with uow:
        targets = [(r, await personal_chat(uow, r.person, state.network.slug)) for r in promoted]
    now = clock.now()
    told = 0
    for r, personal in targets:
        if personal is None:
            continue  # no channel linked: nowhere to open a chat through
        key = f"{state.key}:promoted:{now:%Y%m%dT%H%M%S}"
        await send_or_queue(
            uow, now, notifier, personal, message(state, r.person_name), key, state.network.slug
        )
        told += 1
    return told
