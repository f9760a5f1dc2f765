"""The cadence use cases: keep the plan in the database, run due steps exactly once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from domain.cadence import StepKind, check_move, plan, step_key
from domain.errors import N_, NotFound
from domain.model import ConversationKind, ConversationRef, Network, Person, Phase, RoleKind
from domain.organisers import OrganiserAction, is_organiser
from domain.phases import phase_of_step, phase_steps
from domain.sparring import Summary, reminder_due
from services import audit
from services.conversations import personal_chat
from services.final_evaluation import CADENCE_ACTOR
from services.final_evaluation import audience as final_audience
from services.meeting_state import MeetingState, load_state
from services.networks import Actor, Directory, identify
from services.ports import Clock, NewDelivery, Outbound, StepRecord, UnitOfWork, UnitOfWorkFactory
from services.reach import personal_or_to_open
from services.seats import load_seat

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Nudge:
    """A seat holder of a municipality that has not answered, and their personal chat (stored,
    or to be opened by the outbox; None while the network has no channel to open it through)."""

    person: Person
    municipality: str  # its name, as people read it
    chat: ConversationRef | None


@dataclass(frozen=True, slots=True)
class StepContext:
    """What a step's messages are made from: the network, the meeting, and the audiences."""

    step: StepRecord
    network: Network
    state: MeetingState | None
    channels: tuple[ConversationRef, ...]
    host_chats: tuple[ConversationRef, ...] = ()
    organiser_chats: tuple[ConversationRef, ...] = ()
    silent: tuple[str, ...] = ()  # municipalities that have not answered
    already_posted: frozenset[str] = frozenset()  # channels holding this meeting's agenda
    attendee_chats: tuple[ConversationRef, ...] = ()  # confirmed attendees' personal chats
    member_chats: tuple[ConversationRef, ...] = ()  # final evaluation: members yet to answer
    nudges: tuple[Nudge, ...] = ()  # RSVP reminder: the silent municipalities' seat holders
    phase: Phase | None = None  # the phase a phase-start step announces


@dataclass(frozen=True, slots=True)
class Target:
    """One message for one conversation, and what to remember once it is sent."""

    ref: ConversationRef
    message: Outbound
    remember: dict[str, object] | None = None


# The edge renders a step's messages (cards, wording in the network's language).
Renderer = Callable[[StepContext], list[Target]]


@dataclass
class RunReport:
    """What one pass over the due steps did."""

    done: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


async def sync_all(uow: UnitOfWorkFactory) -> int:
    """Bring every network's stored plan in line with its meetings and settings."""
    async with uow() as work:
        networks = await work.networks.all()
    changed = 0
    for network in networks:
        async with uow() as work:
            meetings = await work.networks.meetings(network.slug)
            planned = plan(network, meetings)
            planned += phase_steps(network, await work.networks.phases(network.slug))
            planned.sort(key=lambda s: (s.due, s.key))
            changed += await work.cadence.sync(network.slug, planned)
            await work.commit()
    return changed


# Why a step was skipped: the code its notice to the organisers is rendered from.
MISSED = "missed"
NO_AUDIENCE = "no_audience"
GONE = "gone"
_REASONS = {
    NO_AUDIENCE: "no audience: nobody to send this step to",
    GONE: "the network or meeting no longer exists",
}


def skip_cause(step: StepRecord) -> str:
    """Why a skipped step was skipped (MISSED, NO_AUDIENCE, GONE), read from its reason."""
    if step.reason.startswith("missed"):
        return MISSED
    return NO_AUDIENCE if step.reason == _REASONS[NO_AUDIENCE] else GONE


async def run_due(
    uow: UnitOfWorkFactory,
    clock: Clock,
    render: Renderer,
    worker: str,
    grace: timedelta,
) -> RunReport:
    """Run every due step once; steps missed for longer than `grace` are skipped, not run
    (services.cadence_skips tells the organisers)."""
    report = RunReport()
    now = clock.now()
    async with uow() as work:
        due = await work.cadence.due(now)
    for step in due:
        async with uow() as work:
            if not await work.cadence.claim(step.key, worker):
                continue  # another replica has it, or has done it
            if now - step.due > grace:
                why = MISSED
                reason = f"missed: due {step.due:%Y-%m-%d %H:%M %Z}, grace {grace}"
            else:
                why = await _enqueue(work, clock, step, render)
                reason = _REASONS.get(why, "")
            await work.cadence.finish(step.key, "skipped" if why else "done", reason, now)
            if why:
                report.skipped.append((step.key, reason))
            else:
                report.done.append(step.key)
            await work.commit()
    return report


async def _enqueue(work: UnitOfWork, clock: Clock, step: StepRecord, render: Renderer) -> str:
    """Put a step's messages in the outbox; why it was skipped (NO_AUDIENCE, GONE), or ''."""
    if step.kind == StepKind.FINAL_EVALUATION.value and await work.networks.get(step.network):
        # Opened when its step runs, so members may answer even without a personal chat.
        await work.final_evaluations.open(step.network, clock.now(), CADENCE_ACTOR)
    context = await step_context(work, clock, step)
    if context is None:
        return GONE
    targets = render(context)
    if not targets:
        return NO_AUDIENCE
    items = [
        NewDelivery(
            key=f"{step.key}|{t.ref.conversation_id}",
            ref=t.ref,
            message=t.message,
            step_key=step.key,
            network=step.network,
            remember=dict(t.remember) if t.remember else None,
        )
        for t in targets
    ]
    await work.outbox.enqueue(items, clock.now())
    return ""


async def step_context(work: UnitOfWork, clock: Clock, step: StepRecord) -> StepContext | None:
    """Everything a step's messages need, read in the step's transaction."""
    network = await work.networks.get(step.network)
    if network is None:
        return None
    state = None
    if step.meeting is not None:
        try:
            state = await load_state(work, clock, step.network, step.meeting)
        except NotFound:
            return None
    refs = [r for r in await work.conversations.linked_to(step.network) if r.installed]
    channels = tuple(r for r in refs if r.kind is ConversationKind.CHANNEL)
    hosts, organisers = await _personal_chats(work, network, state)
    silent: tuple[str, ...] = ()
    if state is not None:
        answered = {r.municipality for r in state.rsvps}
        silent = tuple(m.name for m in state.members() if m.key not in answered)
    posted: frozenset[str] = frozenset()
    if step.meeting is not None:
        places = await work.posted.where("agenda", step.network, step.meeting)
        posted = frozenset(c for c, _ in places)
    attendees: list[ConversationRef] = []
    if state is not None and step.kind == StepKind.FOLLOW_UP.value:
        for r in state.rsvps:
            if r.answer.value in ("attending", "online") and r.standing.value == "confirmed":
                chat = await personal_chat(work, r.person, step.network)
                attendees += [chat] if chat else []
    members = (
        (await final_audience(work, network))[0]
        if step.kind == StepKind.FINAL_EVALUATION.value
        else []
    )
    nudges = (
        await _nudges(work, network, state)
        if state is not None and step.kind == StepKind.RSVP_REMINDER.value
        else ()
    )
    return StepContext(
        step,
        network,
        state,
        channels,
        hosts,
        organisers,
        silent,
        posted,
        tuple(attendees),
        tuple(members),
        nudges,
        await _phase(work, step),
    )


async def _nudges(work: UnitOfWork, network: Network, state: MeetingState) -> tuple[Nudge, ...]:
    """The seat holders of every member municipality that has not answered, once each."""
    answered = {r.municipality for r in state.rsvps}
    found: dict[str, Nudge] = {}
    for town in state.members():
        if town.key in answered:
            continue
        for holder in (await load_seat(work, network, town)).holders:
            person = await work.people.find(email=holder.key)
            if person is None or person.key in found:
                continue
            chat = await personal_or_to_open(work, person, network.slug)
            found[person.key] = Nudge(person, town.name, chat)
    return tuple(found.values())


async def _phase(work: UnitOfWork, step: StepRecord) -> Phase | None:
    """The phase a phase-start step announces, as the network file now declares it."""
    number = phase_of_step(step.key) if step.kind == StepKind.PHASE_START.value else None
    if number is None:
        return None
    return next((p for p in await work.networks.phases(step.network) if p.number == number), None)


async def _personal_chats(
    work: UnitOfWork, network: Network, state: MeetingState | None
) -> tuple[tuple[ConversationRef, ...], tuple[ConversationRef, ...]]:
    """Personal chats with the host's contacts and with the organisers (opened by the outbox
    where the bot has none yet)."""
    hosts: list[ConversationRef] = []
    organisers: list[ConversationRef] = []
    for person in await work.networks.people(network.slug):
        chat = await personal_or_to_open(work, person, network.slug)
        if chat is None:
            continue
        if is_organiser(person.roles):
            organisers.append(chat)
        if (
            state is not None
            and RoleKind.HOST_CONTACT in person.roles
            and person.municipality == state.meeting.host
        ):
            hosts.append(chat)
    return tuple(hosts), tuple(organisers)


async def preview(
    uow: UnitOfWork, slug: str, start: datetime, end: datetime
) -> tuple[Network, list[StepRecord]]:
    """The stored plan of a network in a period (the CLI and the `cadence` card show it)."""
    async with uow:
        network = await uow.networks.get(slug)
        if network is None:
            raise NotFound(
                N_("There is no network called '{name}'. Known networks: {known}"),
                name=slug,
                known=", ".join(n.slug for n in await uow.networks.all()),
            )
        return network, await uow.cadence.upcoming(slug, start, end)


async def set_paused(
    uow: UnitOfWork,
    slug: str,
    actor: Actor,
    directory: Directory | None,
    paused: bool,
    clock: Clock,
) -> int:
    """Pause or resume a network's cadence (facilitator or secretariat)."""
    async with uow:
        person = await identify(uow, actor, directory)
        roles = await uow.people.roles(person.key, slug) if person else frozenset()
        who = person.key if person else audit.UNKNOWN
        await audit.require(uow, clock, slug, who, roles, OrganiserAction.PAUSE_CADENCE)
        count = await uow.cadence.set_paused(slug, paused)
        action = "cadence.pause" if paused else "cadence.resume"
        await audit.record(uow, clock, slug, who, action, f"{count} steps")
        await uow.commit()
    return count


async def move_step(
    uow: UnitOfWork,
    slug: str,
    actor: Actor,
    directory: Directory | None,
    kind: str,
    meeting: int,
    when: datetime,
    clock: Clock,
) -> bool:
    """Move one meeting's step to another local time (facilitator or secretariat)."""
    try:
        step = StepKind(kind)
    except ValueError:
        raise NotFound(N_("There is no cadence step called '{kind}'."), kind=kind[:30]) from None
    async with uow:
        person = await identify(uow, actor, directory)
        roles = await uow.people.roles(person.key, slug) if person else frozenset()
        who = person.key if person else audit.UNKNOWN
        await audit.require(uow, clock, slug, who, roles, OrganiserAction.MOVE_STEP)
        network = await uow.networks.get(slug)
        if network is not None:
            held = await uow.networks.meeting(slug, meeting)
            check_move(network, held, step, when, clock.now())
        moved = await uow.cadence.move(step_key(slug, step, meeting), when)
        detail = f"{step.value} of meeting {meeting} to {when.isoformat()}"
        await audit.record(uow, clock, slug, who, "cadence.move", detail if moved else "not moved")
        await uow.commit()
    return moved


# The edge renders a reminder to write the summary of a meeting (network, meeting number).
ReminderRenderer = Callable[[Network, int], Outbound]
REMINDER_LOOKBACK = timedelta(days=12)  # D+1, then every 3 days, at most 3 times


async def enqueue_summary_reminders(
    uow: UnitOfWorkFactory, clock: Clock, render: ReminderRenderer
) -> int:
    """Remind organisers of summaries not yet posted, through the outbox (exactly once each)."""
    now = clock.now()
    queued = 0
    async with uow() as work:
        networks = await work.networks.all()
    for network in networks:
        async with uow() as work:
            meetings = [
                m
                for m in await work.networks.meetings(network.slug)
                if m.ends_at(network.zone) <= now
                and now - m.ends_at(network.zone) <= REMINDER_LOOKBACK
            ]
            for meeting in meetings:
                queued += await _remind(work, network, meeting.number, now, render)
            await work.commit()
    return queued


async def _remind(
    work: UnitOfWork, network: Network, number: int, now: datetime, render: ReminderRenderer
) -> int:
    summary = await work.summaries.get(network.slug, number)
    meeting = next(m for m in await work.networks.meetings(network.slug) if m.number == number)
    if not reminder_due(summary, meeting.day, now, now.astimezone(network.zone).date()):
        return 0
    current = summary or Summary()
    count = current.reminders + 1
    chats = [
        c
        for p in await work.networks.people(network.slug)
        if is_organiser(p.roles)
        and (c := await personal_or_to_open(work, p, network.slug)) is not None
    ]
    items = [
        NewDelivery(
            key=f"{network.slug}:summary_reminder:m{number}:{count}|{c.conversation_id}",
            ref=c,
            message=render(network, number),
            network=network.slug,
        )
        for c in chats
    ]
    await work.outbox.enqueue(items, now)
    await work.summaries.save(
        network.slug, number, replace(current, reminders=count, reminded_at=now)
    )
    return len(items)
