"""RSVP use cases: answer for your municipality's seat, see the list, post the agenda."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from domain.errors import N_, DomainError, InvalidInput, NotAllowed, NotFound
from domain.material import Material
from domain.model import (
    ORGANISERS,
    Meeting,
    MeetingStatus,
    Municipality,
    Network,
    Person,
    RoleKind,
    SeatStatus,
    channel_conversation_id,
    meeting_key,
    next_meeting,
    rsvp_deadline,
)
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
from domain.sparring import Case, CaseStatus
from services.batches import Batches
from services.networks import (
    Actor,
    Directory,
    identify,
    network_for,
    no_linked_channel,
    personal_chat,
    reader_language,
)
from services.ports import (
    Clock,
    MeetingLock,
    Notifier,
    Outbound,
    UnitOfWork,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)
AGENDA = "agenda"
# The agenda card and the D-14 material pack list this much of a meeting's material.
MATERIAL_SHOWN = 15


@dataclass(frozen=True, slots=True)
class MeetingState:
    """A meeting with everything its cards show: network, members, answers, deadline."""

    network: Network
    meeting: Meeting
    municipalities: tuple[Municipality, ...]
    rsvps: tuple[Rsvp, ...]
    deadline: datetime
    closed: bool
    cases: tuple[Case, ...] = ()  # accepted problem statements, in the facilitator's order
    material: tuple[Material, ...] = ()  # recorded for the meeting, newest first

    @property
    def key(self) -> str:
        """The meeting's id in card data."""
        return meeting_key(self.network.slug, self.meeting.number)

    def answer_of(self, person_key: str | None) -> Rsvp | None:
        """A person's current answer, if any."""
        return next((r for r in self.rsvps if r.person == person_key), None)

    def members(self) -> tuple[Municipality, ...]:
        """The municipalities holding a seat."""
        return tuple(m for m in self.municipalities if m.seat_status is SeatStatus.MEMBER)


@dataclass(frozen=True, slots=True)
class Answered:
    """The result of an answer: the new state, the reader, and who moved up the waitlist."""

    state: MeetingState
    person: Person
    outcome: Outcome
    cards_posted: bool = True  # False: no card of the meeting is posted, none to refresh
    language: str = ""  # the reader's, when the answer was asked to read it (`AnswerGate`)


def parse_meeting_key(key: object) -> tuple[str, int]:
    """'<network>:<number>' from card data, or a refusal; never trust a card payload."""
    if isinstance(key, str) and key.count(":") == 1:
        slug, _, number = key.partition(":")
        if slug and number.isdigit() and len(key) <= 100:
            return slug, int(number)
    raise InvalidInput(N_("This card does not belong to a meeting I know."))


class MeetingStates:
    """Meeting cards' rarely-changing part (network, meeting, seats, cases, material), kept in
    the process per network revision.

    `RsvpRepository.lock` returns the network's revision, which database triggers bump on any
    change to those tables by any writer, so a kept state is used only while it is current.
    Answers and whether answering has closed are never kept. One instance per database.
    """

    def __init__(self, limit: int = 256) -> None:
        self._limit = limit
        self._kept: OrderedDict[tuple[str, int], tuple[int, MeetingState]] = OrderedDict()

    def get(self, slug: str, number: int, revision: int) -> MeetingState | None:
        """The state kept at exactly this revision, or None."""
        kept = self._kept.get((slug, number))
        if kept is None or kept[0] != revision:
            return None
        self._kept.move_to_end((slug, number))
        return kept[1]

    def keep(self, slug: str, number: int, revision: int, state: MeetingState) -> None:
        """Keep a state read under the meeting's lock at this revision (its answers dropped)."""
        self._kept[(slug, number)] = (revision, replace(state, rsvps=()))
        self._kept.move_to_end((slug, number))
        while len(self._kept) > self._limit:
            self._kept.popitem(last=False)


def _closed(clock: Clock, meeting: Meeting, deadline: datetime) -> bool:
    return clock.now() > deadline or meeting.status is not MeetingStatus.PLANNED


async def _locked_state(
    uow: UnitOfWork,
    clock: Clock,
    slug: str,
    number: int,
    revision: int,
    states: MeetingStates | None,
) -> MeetingState:
    """The state of a meeting locked at `revision`: the kept part if it is current, plus the
    answers read now."""
    kept = states.get(slug, number, revision) if states is not None else None
    if kept is None:
        state = await load_state(uow, clock, slug, number)
        if states is not None:
            states.keep(slug, number, revision, state)
        return state
    return replace(
        kept,
        rsvps=tuple(await uow.rsvps.for_meeting(slug, number)),
        closed=_closed(clock, kept.meeting, kept.deadline),
    )


async def load_state(uow: UnitOfWork, clock: Clock, slug: str, number: int) -> MeetingState:
    """The meeting's state inside an open unit of work."""
    network = await uow.networks.get(slug)
    meeting = await uow.networks.meeting(slug, number) if network else None
    if network is None or meeting is None:
        raise _no_meeting()
    deadline = rsvp_deadline(meeting, network)
    return MeetingState(
        network=network,
        meeting=meeting,
        municipalities=tuple(await uow.networks.municipalities(slug)),
        rsvps=tuple(await uow.rsvps.for_meeting(slug, number)),
        deadline=deadline,
        closed=_closed(clock, meeting, deadline),
        cases=tuple(
            c for c in await uow.cases.for_meeting(slug, number) if c.status is CaseStatus.ACCEPTED
        ),
        material=tuple(
            await uow.material.search(slug, meeting=number, words=(), limit=MATERIAL_SHOWN)
        ),
    )


async def meeting_state(uow: UnitOfWork, clock: Clock, key: object) -> MeetingState:
    """The state of the meeting a card names."""
    slug, number = parse_meeting_key(key)
    async with uow:
        return await load_state(uow, clock, slug, number)


def _clean(text: object, limit: int, msgid: str) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if len(value) > limit:
        raise InvalidInput(msgid, length=len(value), limit=limit)
    return value


@dataclass(frozen=True, slots=True)
class Click:
    """One answer to a meeting, its form already checked (`click()`)."""

    actor: Actor
    directory: Directory | None
    answer: Answer
    dietary: str
    note: str
    conversation_id: str | None = None  # where the click came from, if known

    @property
    def channel(self) -> str | None:
        """The clicking conversation's own id (a channel's, not its thread's)."""
        return channel_conversation_id(self.conversation_id) if self.conversation_id else None


def click(
    key: object,
    actor: Actor,
    directory: Directory | None,
    answer: object,
    dietary: object = "",
    note: object = "",
    conversation_id: str | None = None,
) -> tuple[str, int, Click]:
    """The meeting and the answer a card payload names, or a refusal; nothing read yet."""
    slug, number = parse_meeting_key(key)
    chosen = ANSWER_OF.get(answer) if isinstance(answer, str) else None
    if chosen is None:
        raise InvalidInput(N_("That answer is not one I know."))
    diet = _clean(
        dietary,
        MAX_DIETARY,
        N_("The dietary needs are too long: {length} characters, at most {limit}."),
    )
    text = _clean(note, MAX_NOTE, N_("The note is too long: {length} characters, at most {limit}."))
    return slug, number, Click(actor, directory, chosen, diet, text, conversation_id)


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
    states: MeetingStates | None = None,
) -> Answered:
    """Answer a meeting for your municipality's seat; every rule checked, nothing half-saved.

    With `states`, the meeting's rarely-changing part is read once per network revision.
    """
    slug, number, one = click(key, actor, directory, answer, dietary, note, conversation_id)
    ((result,),) = await answer_meetings(uow, clock, [((slug, number), [one])], states)
    assert isinstance(result, Answered)  # a click alone that is refused raises
    return result


async def answer_meetings(
    uow: UnitOfWork,
    clock: Clock,
    meetings: Sequence[tuple[tuple[str, int], Sequence[Click]]],
    states: MeetingStates | None = None,
    default_language: str | None = None,
) -> list[list[Answered | DomainError | None]]:
    """Answer clicks on one or more meetings in one transaction, each meeting's in order,
    each click checked against the answers before it; per meeting, the result or refusal of
    each click.

    Per meeting one lock (taken in key order, and first in the transaction: SQLite's write
    lock, PostgreSQL's row lock) and one read of the answers; for all, one look-up of the
    people, of the clicking conversations' networks and, with `default_language`, of the
    readers' stored languages (each answer then comes with its reader's language). A refused
    click writes nothing and does not stop the others; the clicks on a meeting that does not
    exist are refused with NotFound. Only a click alone may ask the roster who its person is
    (a network call): in a batch, a click whose person is not known by Teams ids comes back
    as None, to be answered alone. A click alone that is refused raises (nothing is kept);
    any other exception means nothing was written.
    """
    clicks = [c for _, group in meetings for c in group]
    alone = len(clicks) == 1
    channels = {c.channel for c in clicks if c.channel is not None}
    order = sorted(range(len(meetings)), key=lambda n: meetings[n][0])
    starts = [sum(len(group) for _, group in meetings[:n]) for n in range(len(meetings))]
    results: list[list[Answered | DomainError | None]] = [[] for _ in meetings]
    async with uow:
        people: list[Person | None] | None = None
        linked: dict[str, str | None] = {}
        for index in order:
            (slug, number), group = meetings[index]
            lock = await uow.rsvps.lock(slug, number, next(iter(channels), None) if alone else None)
            if lock is None:
                results[index] = [_no_meeting()] * len(group)
                continue
            if people is None:  # after a lock (the transaction's first statement writes), once
                people, linked = await _clickers(uow, clicks, channels, lock, alone)
            state = await _locked_state(uow, clock, slug, number, lock.revision, states)
            outcomes: list[tuple[Person, Outcome] | DomainError | None] = []
            for one, person in zip(group, people[starts[index] :], strict=False):
                if person is None and one.directory is not None and not alone:
                    outcomes.append(None)  # the roster is asked with no meeting locked, alone
                    continue
                try:
                    outcome = await _answer(
                        uow, clock, state, one, person, linked.get(one.channel or "")
                    )
                except DomainError as exc:
                    outcomes.append(exc)
                    continue
                outcomes.append(outcome)
                # The answers after this one, for the next click: the kept ones, no statement.
                state = replace(state, rsvps=tuple(await uow.rsvps.for_meeting(slug, number)))
            results[index] = [
                Answered(state, *o, lock.cards_posted) if isinstance(o, tuple) else o
                for o in outcomes
            ]
        if alone and isinstance(results[0][0], DomainError):
            raise results[0][0]  # refused: not even the Teams ids the roster gave are kept
        if default_language is not None:
            await _with_languages(uow, meetings, results, default_language)
        await uow.commit()
    return results


def _no_meeting() -> NotFound:
    return NotFound(N_("This card does not belong to a meeting I know."))


async def _clickers(
    uow: UnitOfWork,
    clicks: Sequence[Click],
    channels: set[str],
    lock: MeetingLock,
    alone: bool,
) -> tuple[list[Person | None], dict[str, str | None]]:
    """Who made each click and which network each clicking channel is linked to: a click
    alone from the lock's round trip and the roster, a batch in two statements."""
    if alone:
        one = clicks[0]
        linked = {c: lock.conversation_network for c in channels}
        return [await identify(uow, one.actor, one.directory)], linked
    found = await uow.people.find_many(
        [(c.actor.aad_object_id, c.actor.teams_user_id) for c in clicks]
    )
    networks = await uow.conversations.linked_networks(channels)
    return found, {c: networks.get(c) for c in channels}


async def _with_languages(
    uow: UnitOfWork,
    meetings: Sequence[tuple[tuple[str, int], Sequence[Click]]],
    results: list[list[Answered | DomainError | None]],
    default: str,
) -> None:
    """Each answer with its reader's language (one statement for the stored choices)."""
    answered = [
        (n, k, click)
        for n, (_, group) in enumerate(meetings)
        for k, click in enumerate(group)
        if isinstance(results[n][k], Answered)
    ]
    if not answered:
        return
    chosen = (
        await uow.conversations.first_looks((), {c.actor.teams_user_id for _, _, c in answered})
    ).languages
    for n, k, c in answered:
        result = results[n][k]
        assert isinstance(result, Answered)
        language = await reader_language(
            uow, c.conversation_id or "", c.actor, default, chosen.get(c.actor.teams_user_id)
        )
        results[n][k] = replace(result, language=language)


async def _answer(
    uow: UnitOfWork,
    clock: Clock,
    state: MeetingState,
    one: Click,
    found: Person | None,
    linked: str | None,
) -> tuple[Person, Outcome]:
    """One click's answer saved under the meeting's lock, or a refusal before any write."""
    slug, number = state.network.slug, state.meeting.number
    if linked not in (None, slug):
        raise InvalidInput(N_("This card belongs to another network than this channel."))
    person = _member(state, found)
    if state.meeting.status is not MeetingStatus.PLANNED:
        raise InvalidInput(N_("This meeting is cancelled."))
    assert person.municipality is not None
    town = next(m for m in state.municipalities if m.key == person.municipality)
    now = clock.now()
    previous = state.answer_of(person.key)
    wanted = Rsvp(
        person=person.key,
        person_name=person.name,
        municipality=town.key,
        municipality_name=town.name,
        answer=one.answer,
        standing=Standing.CONFIRMED,
        answered_at=now,
        dietary=one.dietary,
        note=one.note,
    )
    policy = SeatPolicy(
        state.meeting.seats_per_municipality, state.meeting.capacity, state.deadline
    )
    others = [r for r in state.rsvps if r.person != person.key]
    outcome = decide(policy, others, previous, wanted, now)
    await uow.rsvps.save(slug, number, outcome.rsvp, changed_by=person.key, at=now)
    for promoted in outcome.promoted:
        await uow.rsvps.save(slug, number, promoted, changed_by="netpuls:waitlist", at=now)
    return person, outcome


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


# Bounds the work one batch holds the meeting's lock for.
MAX_CLICKS = 32


class AnswerGate:
    """Answers clicks in batches (`services.batches`): the clicks that arrive while one batch
    is written are answered together in the next, in one transaction.

    On SQLite the one connection is held for each answer's whole transaction, and on
    PostgreSQL the clicks on a meeting wait for its row lock in turn, so the lock, the reads
    and the commit were most of a click; in a batch they are paid once. With `one_line` (one
    SQLite connection: its transactions run one at a time anyway) the clicks on every meeting
    share a batch; otherwise each meeting has its own line, and PostgreSQL answers meetings
    side by side. Every click is checked against the answers before it, as if it ran alone.
    A batch that fails for any reason but a refusal is answered again click by click, so one
    click cannot fail the others.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        states: MeetingStates,
        default_language: str | None = None,
        *,
        one_line: bool = False,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._states = states
        self._default = default_language  # set: each answer comes with its reader's language
        self._one_line = one_line
        self._batches: Batches[tuple[str, int] | None, _Asked, Answered] = Batches(
            self._run, MAX_CLICKS, "answers"
        )

    async def answer(self, slug: str, number: int, one: Click) -> Answered:
        """As `respond` for a checked click (`click()`), answered with the clicks around it."""
        line = None if self._one_line else (slug, number)
        return await self._batches.join(line, _Asked((slug, number), one))

    async def _run(
        self, _line: tuple[str, int] | None, asked: list[_Asked]
    ) -> list[Answered | BaseException]:
        groups: dict[tuple[str, int], list[Click]] = {}
        for a in asked:
            groups.setdefault(a.meeting, []).append(a.click)
        try:
            answered = await answer_meetings(
                self._uow(), self._clock, list(groups.items()), self._states, self._default
            )
        except DomainError as exc:  # a click alone, refused
            return [exc] * len(asked)
        except Exception as exc:
            if len(asked) == 1:
                return [exc]
            log.warning("answering %d clicks together failed", len(asked))
            return [(await self._run(None, [a]))[0] for a in asked]
        by_meeting = {key: iter(results) for key, results in zip(groups, answered, strict=True)}
        out: list[Answered | BaseException] = []
        for a in asked:
            result = next(by_meeting[a.meeting])
            out.append(result if result is not None else (await self._run(None, [a]))[0])
        return out


@dataclass(frozen=True, slots=True)
class _Asked:
    meeting: tuple[str, int]
    click: Click


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
        if not (roles & ORGANISERS or host):
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
    """The meeting key a command names: a number in the conversation's network, or the next."""
    async with uow:
        person = await uow.people.find(
            aad_object_id=actor.aad_object_id, teams_user_id=actor.teams_user_id
        )
        network = await network_for(uow, conversation_id, person)
        meetings = await uow.networks.meetings(network.slug)
    text = argument.strip().lstrip("#")
    if not text:
        found = next_meeting(meetings, network.zone, clock.now())
        if found is None:
            raise NotFound(N_("{network} has no more meetings planned."), network=network.name)
        return meeting_key(network.slug, found.number)
    if not text.isdigit() or int(text) not in {m.number for m in meetings}:
        raise NotFound(
            N_("{network} has no meeting number {number}."), network=network.name, number=text[:20]
        )
    return meeting_key(network.slug, int(text))


async def post_agenda(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    key: str,
    actor: Actor,
    directory: Directory | None,
    render: Callable[[MeetingState], Outbound],
) -> tuple[int, int]:
    """Post the agenda card to the network's channels; a second post updates the first."""
    slug, number = parse_meeting_key(key)
    async with uow:
        person = await identify(uow, actor, directory)
        roles = await uow.people.roles(person.key, slug) if person else frozenset()
        if not roles & ORGANISERS:
            raise NotAllowed(N_("Only the facilitator or the secretariat can post the agenda."))
        state = await load_state(uow, clock, slug, number)
        channels = [
            r
            for r in await uow.conversations.linked_to(slug)
            if r.kind.value == "channel" and r.installed
        ]
        posted = {
            r.conversation_id: await uow.posted.get(AGENDA, slug, number, r.conversation_id)
            for r in channels
        }
        await uow.commit()
    if not channels:
        raise no_linked_channel(state.network)
    message = render(state)
    created = updated = 0
    for ref in channels:
        activity_id = posted[ref.conversation_id]
        if activity_id:
            await notifier.update(ref, activity_id, message)
            updated += 1
            continue
        activity_id = await notifier.send(ref, message)
        async with uow:
            await uow.posted.remember(AGENDA, slug, number, ref.conversation_id, activity_id)
            await uow.commit()
        created += 1
    return created, updated


class AgendaRefresher:
    """Brings the posted copies of a meeting's agenda card up to date after a change.

    Refreshes of one meeting run one after the other in this process, each reading the
    meeting's state as committed when it starts, so an older state never lands after a newer
    one (two refreshes with the states of two clicks used to race, and the channel's card could
    keep the older). Asks that arrive while a refresh runs fold into one more: 25 municipalities
    answering within a minute make a few updates of the channel's card, not 25 racing ones.
    Nothing is read beyond the posted places, and nothing rendered, when no copy is posted.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        notifier: Notifier,
        render: Callable[[MeetingState], Outbound],
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier
        self._render = render
        self._running: set[str] = set()
        self._again: set[str] = set()

    async def refresh(self, key: str) -> int:
        """Refresh the meeting's posted copies (or have the running refresh go once more);
        how many copies this call updated."""
        if key in self._running:
            self._again.add(key)
            return 0
        self._running.add(key)
        count = 0
        try:
            while True:
                self._again.discard(key)
                try:
                    count += await self._once(key)
                except Exception:
                    if key not in self._again:
                        raise
                    log.exception("refreshing the agenda card of %s failed; trying again", key)
                if key not in self._again:
                    return count
        finally:
            self._running.discard(key)
            self._again.discard(key)

    async def _once(self, key: str) -> int:
        slug, number = parse_meeting_key(key)
        uow = self._uow()
        async with uow:
            places = await uow.posted.where(AGENDA, slug, number)
            if not places:
                return 0
            refs = [await uow.conversations.get(c) for c, _ in places]
            state = await load_state(uow, self._clock, slug, number)
        live = [
            (ref, activity_id)
            for ref, (_, activity_id) in zip(refs, places, strict=True)
            if ref is not None and ref.installed
        ]
        if not live:
            return 0
        message = self._render(state)
        for ref, activity_id in live:
            await self._notifier.update(ref, activity_id, message)
        return len(live)


async def tell_promoted(
    uow: UnitOfWork,
    notifier: Notifier,
    state: MeetingState,
    promoted: tuple[Rsvp, ...],
    message: Callable[[MeetingState, str], Outbound],
) -> int:
    """Tell people promoted from the waitlist: in their personal chat, else in the channel."""
    async with uow:
        targets = []
        for r in promoted:
            personal = await personal_chat(uow, r.person)
            targets.append((r, personal))
        channels = [
            c
            for c in await uow.conversations.linked_to(state.network.slug)
            if c.kind.value == "channel" and c.installed
        ]
    told = 0
    for r, personal in targets:
        # Guests of the host tenant often cannot get a 1:1 message: the channel is the fallback.
        for ref in [personal] if personal else channels[:1]:
            await notifier.send(ref, message(state, r.person_name))
            told += 1
    return told
