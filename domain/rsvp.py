"""RSVP rules: one seat per municipality, capacity with a waitlist, a deadline. Pure."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from domain.errors import N_, DomainError


class Answer(enum.StrEnum):
    """What someone answers to a meeting invitation."""

    ATTENDING = "attending"
    NOT_ATTENDING = "not_attending"
    MAYBE = "maybe"
    ONLINE = "online"  # in the Teams meeting, where the meeting allows it: takes no place


class Standing(enum.StrEnum):
    """Whether an 'attending' answer holds a place or waits for one."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"


# By stored or sent value, with a dict look-up: calling Answer(value) costs ten times more.
ANSWER_OF: dict[str, Answer] = {a.value: a for a in Answer}
STANDING_OF: dict[str, Standing] = {s.value: s for s in Standing}


@dataclass(frozen=True, slots=True)
class Rsvp:
    """One person's current answer for one meeting."""

    person: str  # person key (e-mail)
    person_name: str
    municipality: str  # municipality key
    municipality_name: str
    answer: Answer
    standing: Standing
    answered_at: datetime  # when the current answer was first given (waitlist order)
    dietary: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class SeatPolicy:
    """The meeting's limits: places per municipality, optional capacity, the deadline."""

    seats_per_municipality: int
    capacity: int | None
    deadline: datetime


class SeatTaken(DomainError):
    """A colleague from the same municipality already holds its seat."""


class RsvpClosed(DomainError):
    """The deadline has passed."""


MAX_DIETARY = 200
MAX_NOTE = 500


@dataclass(frozen=True, slots=True)
class Outcome:
    """The new answer and who, if anyone, was promoted from the waitlist by it."""

    rsvp: Rsvp
    promoted: tuple[Rsvp, ...] = ()


def holds_place(rsvp: Rsvp) -> bool:
    """Whether this answer occupies a place at the meeting."""
    return rsvp.answer is Answer.ATTENDING and rsvp.standing is Standing.CONFIRMED


def decide(
    policy: SeatPolicy, others: list[Rsvp], previous: Rsvp | None, wanted: Rsvp, now: datetime
) -> Outcome:
    """Apply the rules to a new or changed answer; raise a DomainError when it is refused."""
    if now > policy.deadline:
        raise RsvpClosed(
            N_("Answers for this meeting closed on {deadline}."), deadline=policy.deadline
        )
    if wanted.answer is not Answer.ATTENDING:
        after = replace(wanted, standing=Standing.CONFIRMED)
        freed = previous is not None and holds_place(previous)
        return Outcome(after, _promotions(policy, others) if freed else ())
    if previous is not None and previous.answer is Answer.ATTENDING:
        # A change of dietary needs or note keeps the place (or the waitlist position).
        return Outcome(
            replace(wanted, standing=previous.standing, answered_at=previous.answered_at)
        )
    colleagues = [o for o in others if o.municipality == wanted.municipality and holds_place(o)]
    if len(colleagues) >= policy.seats_per_municipality:
        holder = colleagues[0]
        raise SeatTaken(
            N_(
                "{holder} already has {municipality}'s seat at this meeting. {holder} can hand "
                "it over by answering 'Not attending'; the facilitator can allow more seats."
            ),
            holder=holder.person_name,
            municipality=wanted.municipality_name,
        )
    taken = sum(1 for o in others if holds_place(o))
    full = policy.capacity is not None and taken >= policy.capacity
    standing = Standing.WAITLISTED if full else Standing.CONFIRMED
    return Outcome(replace(wanted, standing=standing, answered_at=now))


def _promotions(policy: SeatPolicy, others: list[Rsvp]) -> tuple[Rsvp, ...]:
    """Who moves up from the waitlist, in answer order, as places and seat rules allow."""
    holding = [o for o in others if holds_place(o)]
    free = (policy.capacity - len(holding)) if policy.capacity is not None else len(others)
    promoted: list[Rsvp] = []
    for waiting in sorted(
        (o for o in others if o.standing is Standing.WAITLISTED and o.answer is Answer.ATTENDING),
        key=lambda o: o.answered_at,
    ):
        if free <= 0:
            break
        same_town = sum(1 for o in holding + promoted if o.municipality == waiting.municipality)
        if same_town >= policy.seats_per_municipality:
            continue
        promoted.append(replace(waiting, standing=Standing.CONFIRMED))
        free -= 1
    return tuple(promoted)


def waitlist_position(rsvps: list[Rsvp], person: str) -> int | None:
    """1-based position of a person on the waitlist, or None."""
    waiting = sorted(
        (r for r in rsvps if r.standing is Standing.WAITLISTED and r.answer is Answer.ATTENDING),
        key=lambda r: r.answered_at,
    )
    for position, rsvp in enumerate(waiting, 1):
        if rsvp.person == person:
            return position
    return None


# Teams refreshes a card automatically for at most 60 listed users (refresh.userIds); in a
# channel of more than 60 members everyone else sees the shared card and refreshes by hand.
REFRESH_USERS_MAX = 60
# Organisers come first, but never crowd out the people who just answered.
REFRESH_ORGANISERS_MAX = 10


def refresh_user_ids(
    organisers: Sequence[str], recent: Sequence[str], limit: int = REFRESH_USERS_MAX
) -> tuple[str, ...]:
    """The Teams users whose card refreshes by itself: organisers, then the people who answered
    most recently (newest first), each once, at most `limit`.

    The newest answerer always has a place: after an answer the shared card is updated for
    everyone, and only a listed user's client fetches their own view again.
    """
    chosen: dict[str, None] = {}
    for user in organisers:
        if len(chosen) >= min(REFRESH_ORGANISERS_MAX, limit - 1):
            break
        if user:
            chosen.setdefault(user)
    for user in recent:
        if len(chosen) >= limit:
            break
        if user:
            chosen.setdefault(user)
    return tuple(chosen)
