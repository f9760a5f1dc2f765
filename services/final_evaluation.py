"""The network's final evaluation: opened once, sent to members through the outbox, totals after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.cadence import StepKind, final_step
from domain.errors import N_, InvalidInput, NotAllowed, NotFound
from domain.final_evaluation import (
    DEFAULT_MIN_ANSWERS,
    FinalAggregate,
    clean_final,
    final_aggregate,
)
from domain.model import ConversationRef, Network, RoleKind
from domain.organisers import OrganiserAction
from services.conversations import personal_chat
from services.networks import Actor, Directory
from services.ports import Clock, NewDelivery, Outbound, UnitOfWork
from services.sparring_support import member, organiser, record

# Those who answer it: the municipalities' people, not (only) those who run the network.
ANSWERING = frozenset({RoleKind.PARTICIPANT, RoleKind.HOST_CONTACT})
CADENCE_ACTOR = "netpuls-cadence"
ALREADY = N_("You have already answered the final evaluation. Thank you!")

# The edge renders the final evaluation card for a network, in the network's language.
FinalRenderer = Callable[[Network], Outbound]


@dataclass(frozen=True, slots=True)
class FinalState:
    """The network, when its final evaluation opened, and for the organisers the totals."""

    network: Network
    opened_at: datetime | None = None
    results: FinalAggregate | None = None


@dataclass(frozen=True, slots=True)
class Opened:
    """What opening did: cards put in the outbox now, members without a chat, first opening."""

    state: FinalState
    queued: int
    unreachable: int
    first: bool


async def audience(work: UnitOfWork, network: Network) -> tuple[list[ConversationRef], int]:
    """Personal chats of members who have not answered; how many such members have none."""
    chats: list[ConversationRef] = []
    missing = 0
    for person in await work.networks.people(network.slug):
        if not person.roles & ANSWERING:
            continue
        if await work.final_evaluations.answered(network.slug, person.key):
            continue
        chat = await personal_chat(work, person.key, network.slug)
        if chat is None or not chat.installed:
            missing += 1
        else:
            chats.append(chat)
    return chats, missing


async def step_key_of(work: UnitOfWork, network: Network) -> str:
    """The cadence step's key; the outbox keys of its cards start with it (exactly once)."""
    step = final_step(network, await work.networks.meetings(network.slug))
    return step.key if step else f"{network.slug}:{StepKind.FINAL_EVALUATION.value}"


def deliveries(
    key: str, network: Network, chats: list[ConversationRef], message: Outbound
) -> list[NewDelivery]:
    """One card per member's chat, under the same keys whoever opens it."""
    return [
        NewDelivery(key=f"{key}|{c.conversation_id}", ref=c, message=message, network=network.slug)
        for c in chats
    ]


async def _network(work: UnitOfWork, slug: str) -> Network:
    network = await work.networks.get(slug)
    if network is None:
        raise NotFound(N_("This card does not belong to a network I know."))
    return network


async def open_final(
    uow: UnitOfWork,
    clock: Clock,
    slug: str,
    actor: Actor,
    directory: Directory | None,
    render: FinalRenderer,
) -> Opened:
    """The facilitator opens it now: members who have not answered get the card (once each)."""
    async with uow:
        who = await organiser(
            uow, slug, actor, directory, OrganiserAction.FINAL_EVALUATION, clock=clock
        )
        network = await _network(uow, slug)
        now = clock.now()
        first = await uow.final_evaluations.open(slug, now, who.person.key)
        key = await step_key_of(uow, network)
        if await uow.cadence.claim(key, who.person.key):  # the cadence need not send it again
            await uow.cadence.finish(key, "done", "opened by the facilitator", now)
        chats, missing = await audience(uow, network)
        queued = await uow.outbox.enqueue(deliveries(key, network, chats, render(network)), now)
        await record(uow, clock, slug, who.person.key, "final_evaluation.open", f"{queued} cards")
        opened = await uow.final_evaluations.opened_at(slug)
        await uow.commit()
    return Opened(FinalState(network, opened), queued, missing, first)


async def _answering(
    uow: UnitOfWork, slug: str, actor: Actor, directory: Directory | None
) -> tuple[FinalState, str]:
    network = await _network(uow, slug)
    who = await member(uow, slug, actor, directory)
    if who is None or not who.belongs or not who.roles & ANSWERING:
        raise NotAllowed(N_("Only the network's members can answer its final evaluation."))
    opened = await uow.final_evaluations.opened_at(slug)
    if opened is None:
        raise InvalidInput(N_("The final evaluation is not open yet."))
    if await uow.final_evaluations.answered(slug, who.person.key):
        raise InvalidInput(ALREADY)
    return FinalState(network, opened), who.person.key


async def final_form(
    uow: UnitOfWork, slug: str, actor: Actor, directory: Directory | None
) -> FinalState:
    """The final evaluation card for a member who has not answered yet."""
    async with uow:
        state, _ = await _answering(uow, slug, actor, directory)
        await uow.commit()
    return state


async def answer_final(
    uow: UnitOfWork, slug: str, actor: Actor, directory: Directory | None, fields: dict[str, object]
) -> FinalState:
    """Store a member's answer once; the answer is kept apart from who gave it."""
    answer = clean_final(
        fields.get("usefulness"),
        fields.get("take_home"),
        fields.get("recommend"),
        fields.get("comment"),
    )
    async with uow:
        state, person = await _answering(uow, slug, actor, directory)
        if not await uow.final_evaluations.add(slug, person, answer):
            raise InvalidInput(ALREADY)
        await uow.commit()
    return state


async def final_results(
    uow: UnitOfWork,
    clock: Clock,
    slug: str,
    actor: Actor,
    directory: Directory | None,
    min_answers: int = DEFAULT_MIN_ANSWERS,
) -> FinalState:
    """The totals for the facilitator and the secretariat, from `min_answers` answers on."""
    async with uow:
        who = await organiser(
            uow, slug, actor, directory, OrganiserAction.FINAL_EVALUATION, clock=clock
        )
        network = await _network(uow, slug)
        opened = await uow.final_evaluations.opened_at(slug)
        results = final_aggregate(await uow.final_evaluations.answers(slug), min_answers)
        await record(uow, clock, slug, who.person.key, "final_evaluation.view", network.slug)
        await uow.commit()
    return FinalState(network, opened, results)
