"""A municipality's seat: show it, add and remove colleagues, mark the usual attendee."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from domain import seats
from domain.application_form import municipality_key, same_municipality
from domain.errors import N_, InvalidInput, NotFound
from domain.model import Municipality, Network, Person, RoleKind, SeatStatus
from domain.seats import Seat, SeatPerson, SeatRole
from domain.sparring import AuditEntry
from services.networks import Actor, Directory, identify, network_for, require_member
from services.ports import Clock, UnitOfWork


class SeatAction(enum.StrEnum):
    """What a seat command changes."""

    ADD = "add"
    REMOVE = "remove"
    USUAL = "usual"
    HOLDER = "holder"


@dataclass(frozen=True, slots=True)
class SeatState:
    """A seat as the reader sees it, and whether they may change it."""

    network: Network
    seat: Seat
    may_change: bool


@dataclass(frozen=True, slots=True)
class SeatChange:
    """A change made to a seat: what, to whom, and the seat after it."""

    state: SeatState
    action: SeatAction
    person: SeatPerson


def _town(towns: list[Municipality], name: str) -> Municipality | None:
    key = municipality_key(name)
    for town in towns:
        if name.strip().lower() == town.key or same_municipality(key, town.key):
            return town
        if same_municipality(key, municipality_key(town.name)):
            return town
    return None


async def _municipality(
    uow: UnitOfWork, network: Network, person: Person | None, name: str
) -> Municipality:
    """The municipality named, else the reader's own; only municipalities with a seat."""
    towns = [
        m
        for m in await uow.networks.municipalities(network.slug)
        if m.seat_status is SeatStatus.MEMBER
    ]
    if name.strip():
        found = _town(towns, name)
        if found is None:
            raise NotFound(
                N_("{municipality} has no seat in {network}."),
                municipality=name.strip()[:80],
                network=network.name,
            )
        return found
    own = next((m for m in towns if person is not None and m.key == person.municipality), None)
    if own is None:
        raise InvalidInput(
            N_("Name the municipality, e.g. seat {example}."),
            example=towns[0].name if towns else "Esbjerg",
        )
    return own


async def load_seat(uow: UnitOfWork, network: Network, town: Municipality) -> Seat:
    """The seat as stored, plus the municipality's people the network file declares.

    The network file names each municipality's contact(s); while no one is stored as the seat's
    holder, they hold it (and the first of them usually attends).
    """
    stored = await uow.membership.seat_people(network.slug, town.key)
    known = {p.key for p in stored}
    role = SeatRole.COLLEAGUE if any(p.role is SeatRole.HOLDER for p in stored) else SeatRole.HOLDER
    declared = [
        SeatPerson(email=p.email.lower(), name=p.name, role=role)
        for p in await uow.networks.people(network.slug)
        if p.municipality == town.key and p.key not in known and p.email
    ]
    if declared and not any(p.usual for p in stored):
        declared[0] = replace(declared[0], usual=True)
    return Seat(town, (*stored, *declared))


async def _context(
    uow: UnitOfWork,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    name: str,
) -> tuple[Network, Person | None, frozenset[RoleKind], Seat]:
    person = await identify(uow, actor, directory)
    network = await network_for(uow, conversation_id, person, actor)
    await require_member(uow, network, person)
    roles = await uow.people.roles(person.key, network.slug) if person else frozenset()
    town = await _municipality(uow, network, person, name)
    return network, person, roles, await load_seat(uow, network, town)


async def show_seat(
    uow: UnitOfWork, conversation_id: str, actor: Actor, directory: Directory | None, name: str = ""
) -> SeatState:
    """A municipality's seat: the reader's own, or the one named."""
    async with uow:
        network, person, roles, seat = await _context(uow, conversation_id, actor, directory, name)
        await uow.commit()  # identify() may have remembered the reader's Teams ids
    email = person.email if person else None
    return SeatState(network, seat, seats.may_change(seat, roles, email))


async def change_seat(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    *,
    municipality: str,
    action: SeatAction,
    email: str,
    name: str = "",
) -> SeatChange:
    """Add, remove, mark usual or make holder; only holders and organisers; audited."""
    async with uow:
        network, person, roles, seat = await _context(
            uow, conversation_id, actor, directory, municipality
        )
        seats.ensure_may_change(seat, roles, person.email if person else None)
        if action is SeatAction.ADD:
            changed, who = seats.add(seat, email, name)
            await _seat_person(uow, network, seat.municipality, who)
        elif action is SeatAction.REMOVE:
            changed, who = seats.remove(seat, email)
        elif action is SeatAction.USUAL:
            changed, who = seats.mark_usual(seat, email)
        else:
            changed, who = seats.make_holder(seat, email)
        await _materialise(uow, network, changed)
        by = person.key if person else actor.teams_user_id
        await uow.membership.save_seat_people(
            network.slug, seat.municipality.key, list(changed.people), by=by
        )
        if action is SeatAction.REMOVE:
            await uow.membership.release_member(network.slug, who.key)
        subject = f"{seat.municipality.key}:{who.key}"
        await uow.audit.record(AuditEntry(network.slug, by, f"seat_{action}", subject, clock.now()))
        await uow.commit()
    return SeatChange(SeatState(network, changed, True), action, who)


async def _seat_person(
    uow: UnitOfWork, network: Network, town: Municipality, who: SeatPerson
) -> None:
    """A new colleague becomes a participant of the municipality (their RSVPs count for it)."""
    known = await uow.people.find(email=who.key)
    if known is not None and known.municipality not in (None, town.key):
        raise InvalidInput(
            N_("{email} already uses another municipality's seat ({municipality})."),
            email=who.key,
            municipality=known.municipality,
        )
    await uow.membership.add_member(
        network.slug,
        Person(
            key=who.key,
            name=who.name,
            email=who.email,
            municipality=town.key,
            roles=frozenset({RoleKind.PARTICIPANT}),
        ),
    )


async def _materialise(uow: UnitOfWork, network: Network, seat: Seat) -> None:
    """People the network file declared exist already; those added by hand were just created."""
    for p in seat.people:
        if await uow.people.find(email=p.key) is None:
            await _seat_person(uow, network, seat.municipality, p)


def holder_entry(email: str, name: str) -> SeatPerson:
    """The seat's first holder: the head of planning named in an admitted application."""
    return SeatPerson(email=email.lower(), name=name, role=SeatRole.HOLDER, usual=True)
