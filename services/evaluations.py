"""The short evaluation after a meeting: attendees answer, the facilitator sees only totals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.errors import N_, InvalidInput, NotAllowed
from domain.final_evaluation import DEFAULT_MIN_ANSWERS, disclosed
from domain.model import Meeting, Network
from domain.organisers import OrganiserAction
from domain.rsvp import Answer, Standing
from domain.sparring import EvaluationAggregate, aggregate, clean_score
from services.conversations import personal_chat
from services.meeting_state import parse_meeting_key
from services.networks import Actor, Directory
from services.ports import Clock, Notifier, Outbound, UnitOfWork
from services.sparring_support import Member, meeting_of, member, organiser, record


@dataclass(frozen=True, slots=True)
class EvaluationState:
    """The meeting an evaluation is about, and for the facilitator the totals."""

    network: Network
    meeting: Meeting
    results: EvaluationAggregate | None = None

    @property
    def key(self) -> str:
        """The meeting's id in card data."""
        return f"{self.network.slug}:{self.meeting.number}"


@dataclass(frozen=True, slots=True)
class Sent:
    """How many attendees got the evaluation card, and how many have no chat with the bot."""

    state: EvaluationState
    sent: int
    unreachable: int


async def _attendees(uow: UnitOfWork, slug: str, number: int) -> list[str]:
    return [
        r.person
        for r in await uow.rsvps.for_meeting(slug, number)
        if r.answer in (Answer.ATTENDING, Answer.ONLINE) and r.standing is Standing.CONFIRMED
    ]


async def _attendee(
    uow: UnitOfWork, clock: Clock, slug: str, number: int, actor: Actor, directory: Directory | None
) -> tuple[EvaluationState, Member]:
    network, meeting = await meeting_of(uow, slug, number)
    who = await member(uow, slug, actor, directory)
    if who is None or who.person.key not in await _attendees(uow, slug, number):
        raise NotAllowed(N_("Only those who attended the meeting can evaluate it."))
    if clock.now() < meeting.starts_at(network.zone):
        raise InvalidInput(N_("The evaluation opens when the meeting begins."))
    if await uow.evaluations.answered(slug, number, who.person.key):
        raise InvalidInput(N_("You have already evaluated this meeting. Thank you!"))
    return EvaluationState(network, meeting), who


async def evaluation_form(
    uow: UnitOfWork, clock: Clock, key: object, actor: Actor, directory: Directory | None
) -> EvaluationState:
    """The evaluation card for an attendee who has not answered yet."""
    slug, number = parse_meeting_key(key)
    async with uow:
        state, _ = await _attendee(uow, clock, slug, number, actor, directory)
        await uow.commit()
    return state


async def evaluate(
    uow: UnitOfWork,
    clock: Clock,
    key: object,
    actor: Actor,
    directory: Directory | None,
    score: object,
    comment: object,
) -> EvaluationState:
    """Store an attendee's answer once; the answer is kept apart from who gave it."""
    slug, number = parse_meeting_key(key)
    usefulness, text = clean_score(score, comment)
    async with uow:
        state, who = await _attendee(uow, clock, slug, number, actor, directory)
        if not await uow.evaluations.add(slug, number, who.person.key, usefulness, text):
            raise InvalidInput(N_("You have already evaluated this meeting. Thank you!"))
        await uow.commit()
    return state


async def send_evaluations(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    slug: str,
    number: int,
    message: Callable[[EvaluationState], Outbound],
) -> Sent:
    """Send the evaluation card to every attendee who has not answered (the D+1 step)."""
    async with uow:
        network, meeting = await meeting_of(uow, slug, number)
        state = EvaluationState(network, meeting)
        refs = []
        for person in await _attendees(uow, slug, number):
            if not await uow.evaluations.answered(slug, number, person):
                refs.append(await personal_chat(uow, person))
    reachable = [r for r in refs if r is not None]
    for ref in reachable:
        await notifier.send(ref, message(state))
    return Sent(state, len(reachable), len(refs) - len(reachable))


async def evaluation_results(
    uow: UnitOfWork,
    clock: Clock,
    key: object,
    actor: Actor,
    directory: Directory | None,
    min_answers: int = DEFAULT_MIN_ANSWERS,
) -> EvaluationState:
    """The totals for the facilitator and the secretariat, from `min_answers` answers on."""
    slug, number = parse_meeting_key(key)
    async with uow:
        who = await organiser(
            uow, slug, actor, directory, OrganiserAction.SEE_EVALUATION, clock=clock
        )
        network, meeting = await meeting_of(uow, slug, number)
        results = disclosed(aggregate(await uow.evaluations.answers(slug, number)), min_answers)
        await record(uow, clock, slug, who.person.key, "evaluation.view", f"meeting {number}")
        await uow.commit()
    return EvaluationState(network, meeting, results)
