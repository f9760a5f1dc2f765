"""After the call: confirm a selection (members and declined), tell the applicants, track fees."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.application_form import municipality_key
from domain.errors import N_, InvalidInput, NotFound
from domain.membership import Application, ApplicationStatus, FeeRecord, FeeState
from domain.model import ConversationRef, Municipality, Network, Person, RoleKind, SeatStatus
from domain.numbers import small_number
from services import audit
from services.membership import network_of, require_secretariat, secretariat_of
from services.networks import Actor, Directory
from services.ports import Clock, Notifier, Outbound, UnitOfWork
from services.seats import holder_entry
from services.welcome import WelcomeRenderer, enqueue_welcomes

log = logging.getLogger(__name__)
MAX_CHOSEN = 500


@dataclass(frozen=True, slots=True)
class Decided:
    """The outcome of a confirmed selection; `already` when it had been confirmed before."""

    network: Network
    admitted: tuple[Application, ...]
    declined: tuple[Application, ...]
    already: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """An applicant's answer and the personal chat it goes to."""

    application: Application
    admitted: bool
    ref: ConversationRef


@dataclass(frozen=True, slots=True)
class FeeLine:
    """A member's fee for one year, with what the network charges."""

    municipality: Municipality
    amount: int
    currency: str
    record: FeeRecord


def parse_chosen(value: object) -> tuple[str, ...]:
    """The municipality keys a selection card confirms: 'a,b,c'; never trust a card payload."""
    if not isinstance(value, str) or len(value) > MAX_CHOSEN * 81:
        raise InvalidInput(N_("This card does not belong to a network I know."))
    keys = tuple(dict.fromkeys(k.strip() for k in value.split(",") if k.strip()))
    if not keys:
        raise InvalidInput(N_("Choose at least one municipality."))
    return keys


async def confirm_selection(
    uow: UnitOfWork,
    clock: Clock,
    slug: object,
    chosen: object,
    actor: Actor,
    directory: Directory | None,
    welcome: WelcomeRenderer | None = None,
) -> Decided:
    """Admit the chosen applicants as members and decline the others, all or nothing.

    With `welcome`, each admitted applicant's welcome card goes into the outbox in the same
    transaction: exactly once, delivered by the outbox worker.
    """
    keys = parse_chosen(chosen)
    async with uow:
        network = await network_of(uow, slug)
        person = await require_secretariat(uow, network, actor, directory, clock)
        call = await uow.membership.lock_call(network.slug)  # one confirmation at a time
        now = clock.now()
        if call is not None and call.is_open(now, network.zone):
            raise InvalidInput(
                N_("Applications are open until {deadline}. Close the call first: call close"),
                deadline=call.closes_at(network.zone),
            )
        found = await uow.membership.applications(network.slug)
        waiting = [a for a in found if a.status is ApplicationStatus.SUBMITTED]
        admitted = tuple(a for a in found if a.status is ApplicationStatus.ADMITTED)
        if not waiting:
            if {a.municipality_key for a in admitted} == set(keys):
                return Decided(network, admitted, (), already=True)  # a retried click
            raise NotFound(
                N_("No applications to {network} are waiting for a decision."),
                network=network.name,
            )
        unknown = set(keys) - {a.municipality_key for a in waiting}
        if unknown:
            raise InvalidInput(
                N_("No application from: {names}."), names=", ".join(sorted(unknown))
            )
        decided = await _decide(uow, network, waiting, set(keys), now)
        if welcome is not None:
            await enqueue_welcomes(uow, network, decided.admitted, now, welcome)
        detail = f"{len(decided.admitted)} admitted, {len(decided.declined)} declined"
        await audit.record(uow, clock, network.slug, person.key, "selection.decide", detail)
        await uow.commit()
    return decided


async def _decide(
    uow: UnitOfWork, network: Network, waiting: list[Application], keys: set[str], now: datetime
) -> Decided:
    admitted: list[Application] = []
    declined: list[Application] = []
    for a in waiting:
        yes = a.municipality_key in keys
        status = ApplicationStatus.ADMITTED if yes else ApplicationStatus.DECLINED
        seat = SeatStatus.MEMBER if yes else SeatStatus.DECLINED
        await uow.membership.set_status(network.slug, a.municipality_key, status, now)
        town = Municipality(a.municipality_key, a.municipality_name, a.region, seat)
        await uow.membership.set_seat(network.slug, town)
        if yes:
            # The head of planning gets the seat; colleagues are added to it later.
            head = Person(
                key=a.email,
                name=a.head_of_planning,
                email=a.email,
                municipality=a.municipality_key,
                roles=frozenset({RoleKind.PARTICIPANT}),
            )
            await uow.membership.add_member(network.slug, head)
            await uow.membership.save_seat_people(
                network.slug,
                a.municipality_key,
                [holder_entry(a.email, a.head_of_planning)],
                by="selection",
            )
        (admitted if yes else declined).append(a)
    return Decided(network, tuple(admitted), tuple(declined))


async def reachable(
    uow: UnitOfWork, decided: Decided
) -> tuple[tuple[Answer, ...], tuple[Application, ...]]:
    """Who can be told in their personal chat, and whom the secretariat must tell instead."""
    if decided.already:
        return (), ()
    pairs = [(a, True) for a in decided.admitted] + [(a, False) for a in decided.declined]
    answers: list[Answer] = []
    unreachable: list[Application] = []
    async with uow:
        for application, admitted in pairs:
            ref = await uow.conversations.personal_for(application.submitted_by)
            if ref is None or not ref.installed:
                unreachable.append(application)
            else:
                answers.append(Answer(application, admitted, ref))
    return tuple(answers), tuple(unreachable)


async def send_answers(
    notifier: Notifier,
    network: Network,
    answers: tuple[Answer, ...],
    message: Callable[[Network, Application, bool], Outbound],
) -> int:
    """Send each applicant the answer proactively; returns how many were sent."""
    sent = 0
    for answer in answers:
        try:
            await notifier.send(answer.ref, message(network, answer.application, answer.admitted))
            sent += 1
        except Exception:  # one blocked chat must not keep the others from their answer
            log.exception("could not tell %s", answer.application.municipality_key)
    return sent


async def fee_lines(
    uow: UnitOfWork, clock: Clock, conversation_id: str, actor: Actor, directory: Directory | None
) -> tuple[Network, tuple[FeeLine, ...]]:
    """Every member's fee for every year the network charges, for its secretariat."""
    async with uow:
        network, _ = await secretariat_of(uow, conversation_id, actor, directory, clock)
        lines = await _lines(uow, network)
        await uow.commit()
    return network, lines


async def _lines(uow: UnitOfWork, network: Network) -> tuple[FeeLine, ...]:
    if not network.fees:
        raise NotFound(N_("{network} charges no fee."), network=network.name)
    members = [
        m
        for m in await uow.networks.municipalities(network.slug)
        if m.seat_status is SeatStatus.MEMBER
    ]
    kept = {(r.municipality_key, r.year): r for r in await uow.membership.fees(network.slug)}
    return tuple(
        FeeLine(
            m, fee.amount, fee.currency, kept.get((m.key, fee.year), FeeRecord(m.key, fee.year))
        )
        for m in members
        for fee in network.fees
    )


async def mark_fee(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    args: str,
) -> tuple[Network, FeeLine]:
    """`fees invoiced|paid|open <municipality> <year>`: record where a fee stands."""
    words = args.split()
    states = {s.value: s for s in FeeState}
    year = small_number(words[-1], digits=4) if words else None
    if len(words) < 3 or words[0].lower() not in states or year is None:
        raise InvalidInput(N_("Write e.g.: fees paid {example} 2016"), example="malmo")
    state, name = states[words[0].lower()], " ".join(words[1:-1])
    async with uow:
        network, person = await secretariat_of(uow, conversation_id, actor, directory, clock)
        lines = await _lines(uow, network)
        key = municipality_key(name)
        line = next(
            (
                x
                for x in lines
                if x.record.year == year
                and key in (x.municipality.key, municipality_key(x.municipality.name))
            ),
            None,
        )
        if line is None:
            raise NotFound(
                N_("{network} has no fee for {municipality} in {year}."),
                network=network.name,
                municipality=name[:80],
                year=year,
            )
        today = clock.now().astimezone(network.zone).date()
        record = line.record.marked(state, today)
        await uow.membership.save_fee(network.slug, record, by=person.key)
        detail = f"{line.municipality.key} {year} {state.value}"
        await audit.record(uow, clock, network.slug, person.key, "fee.mark", detail)
        await uow.commit()
    return network, FeeLine(line.municipality, line.amount, line.currency, record)
