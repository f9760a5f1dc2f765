"""Problem statements: submit one, the facilitator decides, sparring notes after the meeting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from domain.errors import N_, InvalidInput, NotAllowed, NotFound
from domain.model import Meeting, MeetingStatus, Network
from domain.numbers import small_number
from domain.organisers import OrganiserAction
from domain.sparring import (
    MAX_DECISION_NOTE,
    MAX_DESCRIPTION,
    MAX_SPARRING_NOTES,
    MAX_TITLE,
    Case,
    CaseStatus,
    Decision,
    clean,
    clean_case,
    decide,
    parse_position,
    reorder,
)
from services.conversations import personal_chat
from services.meeting_state import parse_meeting_key
from services.networks import Actor, Directory
from services.ports import Clock, Notifier, Outbound, UnitOfWork
from services.reach import send_or_queue
from services.sparring_support import Member, meeting_of, member, organiser, record


@dataclass(frozen=True, slots=True)
class CaseForm:
    """What the case card offers: the coming meetings, the one chosen, the network's themes."""

    network: Network
    meetings: tuple[Meeting, ...]
    chosen: int


@dataclass(frozen=True, slots=True)
class CasesState:
    """The cases of one meeting as the reader may see them (all, or only their own)."""

    network: Network
    meeting: Meeting
    cases: tuple[Case, ...]
    reviewer: bool  # facilitator or secretariat: sees every case and decides
    notes_open: bool  # the meeting has begun: sparring notes may be written

    @property
    def key(self) -> str:
        """The meeting's id in card data."""
        return f"{self.network.slug}:{self.meeting.number}"


async def _belonging(
    uow: UnitOfWork, network: Network, actor: Actor, directory: Directory | None
) -> Member:
    found = await member(uow, network.slug, actor, directory)
    if found is None or not found.belongs:
        raise NotAllowed(
            N_(
                "Only members of {network} can submit problem statements. Ask the "
                "secretariat to add you to your municipality's seat."
            ),
            network=network.name,
        )
    return found


def _coming(meetings: list[Meeting], network: Network, clock: Clock) -> tuple[Meeting, ...]:
    now = clock.now()
    return tuple(
        m for m in meetings if m.status is MeetingStatus.PLANNED and m.ends_at(network.zone) > now
    )


async def case_form(
    uow: UnitOfWork, clock: Clock, key: object, actor: Actor, directory: Directory | None
) -> CaseForm:
    """The empty case card for a meeting; anyone in the network may ask for it."""
    slug, number = parse_meeting_key(key)
    async with uow:
        network, _ = await meeting_of(uow, slug, number)
        await _belonging(uow, network, actor, directory)
        coming = _coming(await uow.networks.meetings(slug), network, clock)
        await uow.commit()
    if not coming:
        raise NotFound(N_("{network} has no more meetings planned."), network=network.name)
    chosen = number if number in {m.number for m in coming} else coming[0].number
    return CaseForm(network, coming, chosen)


async def submit_case(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    directory: Directory | None,
    slug: str,
    number: object,
    fields: dict[str, object],
) -> Case:
    """Store a problem statement for a coming meeting; every limit checked first."""
    wanted = small_number(str(number) if isinstance(number, int) else number, digits=6)
    if wanted is None:
        raise InvalidInput(N_("Choose the meeting the problem statement is for."))
    async with uow:
        network, meeting = await meeting_of(uow, slug, wanted)
        if meeting not in _coming(await uow.networks.meetings(slug), network, clock):
            raise InvalidInput(
                N_("Meeting {number} is over or cancelled; choose a coming meeting."),
                number=meeting.number,
            )
        who = await _belonging(uow, network, actor, directory)
        title, description, themes = clean_case(
            fields.get("title"), fields.get("description"), fields.get("themes"), network.themes
        )
        towns = {m.key: m.name for m in await uow.networks.municipalities(slug)}
        case = Case(
            id=0,
            network=slug,
            meeting=meeting.number,
            title=title,
            description=description,
            themes=themes,
            submitter=who.person.key,
            submitter_name=who.person.name,
            municipality=who.person.municipality,
            municipality_name=towns.get(who.person.municipality or "", ""),
            submitted_at=clock.now(),
        )
        case_id = await uow.cases.add(case)
        await record(uow, clock, slug, who.person.key, "case.submit", f"case {case_id}: {title}")
        stored = await uow.cases.get(case_id)
        await uow.commit()
    assert stored is not None
    return stored


async def _state(uow: UnitOfWork, clock: Clock, slug: str, number: int, who: Member) -> CasesState:
    network, meeting = await meeting_of(uow, slug, number)
    every = await uow.cases.for_meeting(slug, number)
    shown = every if who.organiser else [c for c in every if c.submitter == who.person.key]
    return CasesState(
        network=network,
        meeting=meeting,
        cases=tuple(shown),
        reviewer=who.organiser,
        notes_open=clock.now() >= meeting.starts_at(network.zone),
    )


async def list_cases(
    uow: UnitOfWork, clock: Clock, key: object, actor: Actor, directory: Directory | None
) -> CasesState:
    """Every case of a meeting for the facilitator; a member's own cases for anyone else."""
    slug, number = parse_meeting_key(key)
    async with uow:
        network, _ = await meeting_of(uow, slug, number)
        who = await member(uow, slug, actor, directory)
        if who is None or not (who.belongs or who.organiser):
            raise NotAllowed(
                N_("Only members of {network} can see its problem statements."),
                network=network.name,
            )
        state = await _state(uow, clock, slug, number, who)
        await uow.commit()
    return state


async def _case(uow: UnitOfWork, case_id: object) -> Case:
    number = small_number(str(case_id) if isinstance(case_id, int) else case_id)
    case = await uow.cases.get(number) if number is not None else None
    if case is None:
        raise NotFound(N_("This problem statement no longer exists."))
    return case


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision: the case after it, and the meeting's cases as the facilitator now sees them."""

    case: Case
    state: CasesState


def _edits(fields: dict[str, object]) -> tuple[str, str, str, int | None]:
    """The facilitator's edits: new title and description (empty keeps), note, position."""
    return (
        clean(
            fields.get("title"),
            MAX_TITLE,
            N_("The title is too long: {length} characters, at most {limit}."),
        ),
        clean(
            fields.get("description"),
            MAX_DESCRIPTION,
            N_("The description is too long: {length} characters, at most {limit}."),
        ),
        clean(
            fields.get("note"),
            MAX_DECISION_NOTE,
            N_("The note is too long: {length} characters, at most {limit}."),
        ),
        parse_position(fields.get("position")),
    )


async def decide_case(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    directory: Directory | None,
    case_id: object,
    decision: object,
    fields: dict[str, object],
) -> Decided:
    """Accept, decline or edit a case (facilitator or secretariat), with a note and an order."""
    if not isinstance(decision, str) or decision not in {d.value for d in Decision}:
        raise InvalidInput(N_("I don't know that card action."))
    title, description, note, position = _edits(fields)
    async with uow:
        case = await _case(uow, case_id)
        who = await organiser(
            uow, case.network, actor, directory, OrganiserAction.REVIEW_CASES, clock=clock
        )
        after = decide(case, Decision(str(decision)), title, description, note, clock.now())
        others = await uow.cases.for_meeting(case.network, case.meeting)
        renumbered = {c.id: c for c in reorder(others, after, position)}
        after = renumbered.get(after.id, after)
        await uow.cases.update(after)
        for other in others:
            moved = renumbered.get(other.id)
            if other.id != after.id and moved is not None and moved.position != other.position:
                await uow.cases.update(moved)
        await record(
            uow, clock, case.network, who.person.key, f"case.{decision}", f"case {case.id}"
        )
        state = await _state(uow, clock, case.network, case.meeting, who)
        await uow.commit()
    return Decided(after, state)


async def attach_notes(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    directory: Directory | None,
    case_id: object,
    notes: object,
) -> Decided:
    """Sparring notes on an accepted case, once the meeting has begun: facilitator or owner."""
    text = clean(
        notes,
        MAX_SPARRING_NOTES,
        N_("The sparring notes are too long: {length} characters, at most {limit}."),
    )
    async with uow:
        case = await _case(uow, case_id)
        network, meeting = await meeting_of(uow, case.network, case.meeting)
        who = await member(uow, case.network, actor, directory)
        if who is None or not (who.facilitator or who.person.key == case.submitter):
            raise NotAllowed(
                N_(
                    "Only the facilitator or the person who submitted the problem "
                    "statement can write its sparring notes."
                )
            )
        if case.status is not CaseStatus.ACCEPTED:
            raise InvalidInput(N_("Sparring notes belong to accepted problem statements."))
        if clock.now() < meeting.starts_at(network.zone):
            raise InvalidInput(N_("Sparring notes can be written once the meeting has begun."))
        after = replace(case, sparring_notes=text, notes_by=who.person.key)
        await uow.cases.update(after)
        await record(uow, clock, case.network, who.person.key, "case.notes", f"case {case.id}")
        state = await _state(uow, clock, case.network, case.meeting, who)
        await uow.commit()
    return Decided(after, state)


async def tell_submitter(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    case: Case,
    message: Callable[[Case, Network], Outbound],
) -> bool:
    """Tell the submitter what happened to their case, in their personal chat (opened by the
    outbox where the bot has none yet)."""
    async with uow:
        network = await uow.networks.get(case.network)
        ref = await personal_chat(uow, case.submitter, case.network)
    if network is None or ref is None:
        return False
    key = f"{case.network}:case-outcome:{case.id}:{case.status.value}"
    await send_or_queue(uow, clock.now(), notifier, ref, message(case, network), key, network.slug)
    return True


async def accepted_cases(uow: UnitOfWork, slug: str, number: int) -> list[Case]:
    """The accepted cases of a meeting in the facilitator's order (inside an open unit)."""
    return [c for c in await uow.cases.for_meeting(slug, number) if c.status is CaseStatus.ACCEPTED]
