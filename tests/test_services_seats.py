"""Seats with colleagues against in-memory fakes: who may change a seat, what changes, the audit."""

# The store, clock and uow fixtures (Plan22+ imported) come from test_services_membership.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.model import Municipality, RoleKind
from domain.rsvp import SeatTaken
from domain.seats import Seat, SeatPerson, SeatRole, add, mark_usual, remove
from services import rsvp, seats
from services.networks import Actor
from services.seats import SeatAction
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeStore, FakeUnitOfWork
from tests.support import applications as ex
from tests.test_services_membership import clock, store, uow  # noqa: F401 (fixtures)

KOEGE_PLANNER = "planlaegger.koege@example.org"
ROSTER = FakeDirectory(
    {
        "29:koege": KOEGE_PLANNER,
        "29:roskilde": "planlaegger.roskilde@example.org",
        "29:sek": ex.PLAN22_SECRETARIAT,
        "29:fac": "facilitator@example.org",
        "29:kollega": "kollega.koege@example.org",
    }
)
CHAT = "a:personal-chat"
TOWN = Municipality("koege", "Køge Kommune", "Region Sjælland")


async def change(
    uow: FakeUnitOfWork,
    clock: FixedClock,
    who: str,
    action: SeatAction,
    email: str,
    name: str = "",
    municipality: str = "",
) -> seats.SeatChange:
    return await seats.change_seat(
        uow,
        clock,
        CHAT,
        Actor(teams_user_id=who),
        ROSTER,
        municipality=municipality,
        action=action,
        email=email,
        name=name,
    )


def test_a_seat_without_a_holder_gets_its_first_person_as_holder_and_usual_attendee() -> None:
    seat, first = add(Seat(TOWN), "A.Planner@Example.org", "Anna Planner")
    assert (first.email, first.role, first.usual) == (
        "a.planner@example.org",
        SeatRole.HOLDER,
        True,
    )
    seat, second = add(seat, "b@example.org", "")
    assert (second.role, second.usual, second.name) == (SeatRole.COLLEAGUE, False, "b@example.org")


@pytest.mark.parametrize("email", ["not-an-address", "a@b", "two words@example.org", ""])
def test_a_bad_address_is_refused(email: str) -> None:
    with pytest.raises(InvalidInput):
        add(Seat(TOWN), email, "")


def test_the_same_person_twice_is_refused_however_it_is_written() -> None:
    seat, _ = add(Seat(TOWN), "a@example.org", "A")
    with pytest.raises(InvalidInput, match="already on"):
        add(seat, " A@EXAMPLE.ORG ", "A again")


def test_the_last_holder_stays_and_removing_the_usual_attendee_hands_it_to_the_holder() -> None:
    holder = SeatPerson("h@example.org", "H", SeatRole.HOLDER)
    colleague = SeatPerson("c@example.org", "C", SeatRole.COLLEAGUE, usual=True)
    seat = Seat(TOWN, (holder, colleague))
    with pytest.raises(InvalidInput, match="last holder"):
        remove(seat, "h@example.org")
    left, gone = remove(seat, "c@example.org")
    assert gone == colleague and left.people == (
        SeatPerson("h@example.org", "H", SeatRole.HOLDER, True),
    )
    with pytest.raises(NotFound):
        mark_usual(left, "c@example.org")


async def test_the_declared_contact_holds_the_seat_and_adds_a_colleague_who_can_then_answer(
    uow: FakeUnitOfWork, store: FakeStore, clock: FixedClock
) -> None:
    shown = await seats.show_seat(uow, CHAT, Actor(teams_user_id="29:koege"), ROSTER)
    assert shown.may_change and [p.email for p in shown.seat.holders] == [KOEGE_PLANNER]
    done = await change(
        uow, clock, "29:koege", SeatAction.ADD, "Kollega.Koege@example.org", "Kim Kollega"
    )
    assert [(p.email, p.role) for p in done.state.seat.people] == [
        (KOEGE_PLANNER, SeatRole.HOLDER),
        ("kollega.koege@example.org", SeatRole.COLLEAGUE),
    ]
    person = store.people["kollega.koege@example.org"]
    assert person.municipality == "koege" and RoleKind.PARTICIPANT in person.roles
    # The colleague's answer is Køge's: the seat rule keeps the contact from a second place.
    await rsvp.respond(
        uow, clock, f"{ex.PLAN22}:1", Actor(teams_user_id="29:kollega"), ROSTER, "attending"
    )
    with pytest.raises(SeatTaken, match="Kim Kollega"):
        await rsvp.respond(
            uow, clock, f"{ex.PLAN22}:1", Actor(teams_user_id="29:koege"), ROSTER, "attending"
        )


async def test_another_member_is_refused_naming_who_can_change_the_seat(
    uow: FakeUnitOfWork, store: FakeStore, clock: FixedClock
) -> None:
    with pytest.raises(NotAllowed) as refused:
        await change(
            uow, clock, "29:roskilde", SeatAction.ADD, "x@example.org", municipality="Køge"
        )
    assert refused.value.params["holders"] == "Planlægger, Køge"
    assert "x@example.org" not in store.people


async def test_the_secretariat_and_facilitator_change_any_seat_and_every_change_is_audited(
    uow: FakeUnitOfWork, store: FakeStore, clock: FixedClock
) -> None:
    await change(
        uow, clock, "29:sek", SeatAction.ADD, "kollega.koege@example.org", "Kim", "Køge Kommune"
    )
    await change(
        uow, clock, "29:fac", SeatAction.USUAL, "kollega.koege@example.org", municipality="koege"
    )
    await change(
        uow, clock, "29:sek", SeatAction.HOLDER, "kollega.koege@example.org", municipality="koege"
    )
    done = await change(
        uow, clock, "29:sek", SeatAction.REMOVE, KOEGE_PLANNER, municipality="koege"
    )
    assert [(p.email, p.role, p.usual) for p in done.state.seat.people] == [
        ("kollega.koege@example.org", SeatRole.HOLDER, True)
    ]
    assert store.people[KOEGE_PLANNER].municipality is None  # their answers no longer count
    entries = await uow.audit.entries(ex.PLAN22)
    assert [(e.actor, e.action, e.subject) for e in entries] == [
        (ex.PLAN22_SECRETARIAT, "seat_add", "koege:kollega.koege@example.org"),
        ("facilitator@example.org", "seat_usual", "koege:kollega.koege@example.org"),
        (ex.PLAN22_SECRETARIAT, "seat_holder", "koege:kollega.koege@example.org"),
        (ex.PLAN22_SECRETARIAT, "seat_remove", f"koege:{KOEGE_PLANNER}"),
    ]


async def test_a_refused_change_writes_nothing(
    uow: FakeUnitOfWork, store: FakeStore, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput, match="last holder"):
        await change(uow, clock, "29:koege", SeatAction.REMOVE, KOEGE_PLANNER)
    with pytest.raises(InvalidInput, match="already on"):
        await change(uow, clock, "29:koege", SeatAction.ADD, KOEGE_PLANNER.upper())
    with pytest.raises(InvalidInput, match="another municipality"):
        await change(uow, clock, "29:koege", SeatAction.ADD, "planlaegger.roskilde@example.org")
    assert await uow.audit.entries(ex.PLAN22) == []
    assert store.people["planlaegger.roskilde@example.org"].municipality == "roskilde"


async def test_an_unknown_municipality_or_none_at_all_gets_a_clear_answer(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(NotFound, match="has no seat"):
        await seats.show_seat(uow, CHAT, Actor(teams_user_id="29:sek"), ROSTER, "Atlantis")
    with pytest.raises(InvalidInput, match="Name the municipality"):
        await seats.show_seat(uow, CHAT, Actor(teams_user_id="29:sek"), ROSTER)
    shown: Any = await seats.show_seat(
        uow, CHAT, Actor(teams_user_id="29:roskilde"), ROSTER, "køge"
    )
    assert shown.seat.municipality.key == "koege" and not shown.may_change
