"""A municipality's seat: its holder(s), colleagues who share it, the usual attendee. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from domain.application_form import is_email
from domain.errors import N_, InvalidInput, NotAllowed, NotFound
from domain.model import Municipality, RoleKind
from domain.organisers import is_organiser

MAX_NAME = 200
MAX_PEOPLE = 50  # a planning department, not a mailing list


class SeatRole(enum.StrEnum):
    """How a person uses a seat."""

    HOLDER = "holder"  # the municipality's head of planning contact
    COLLEAGUE = "colleague"


@dataclass(frozen=True, slots=True)
class SeatPerson:
    """Someone on a seat; `usual` marks who normally attends the meetings."""

    email: str
    name: str
    role: SeatRole = SeatRole.COLLEAGUE
    usual: bool = False

    @property
    def key(self) -> str:
        """The person's key in the network: their e-mail address, lower case."""
        return self.email.lower()


@dataclass(frozen=True, slots=True)
class Seat:
    """A municipality's seat in a network and the people who use it."""

    municipality: Municipality
    people: tuple[SeatPerson, ...] = ()

    @property
    def holders(self) -> tuple[SeatPerson, ...]:
        """Who holds the seat."""
        return tuple(p for p in self.people if p.role is SeatRole.HOLDER)

    @property
    def usual(self) -> SeatPerson | None:
        """Who normally attends."""
        return next((p for p in self.people if p.usual), None)

    def find(self, email: str) -> SeatPerson | None:
        """The person on the seat with this address, however it is capitalised."""
        wanted = email.strip().lower()
        return next((p for p in self.people if p.key == wanted), None)


def clean_email(text: str) -> str:
    """An e-mail address as typed, checked; a clear refusal otherwise."""
    email = text.strip().strip("<>").lower()
    if not is_email(email):
        raise InvalidInput(
            N_("'{email}' is not an e-mail address. Write it as name@example.org."),
            email=text.strip()[:80],
        )
    return email


def may_change(seat: Seat, roles: frozenset[RoleKind], email: str | None) -> bool:
    """The secretariat, the facilitator and the seat's holders may change a seat."""
    if is_organiser(roles):
        return True
    return email is not None and any(p.key == email.lower() for p in seat.holders)


def ensure_may_change(seat: Seat, roles: frozenset[RoleKind], email: str | None) -> None:
    """A refusal naming who can change the seat, unless the reader may."""
    if may_change(seat, roles, email):
        return
    holders = ", ".join(p.name or p.email for p in seat.holders)
    if holders:
        raise NotAllowed(
            N_(
                "Only {holders} (who holds {municipality}'s seat), the secretariat or the "
                "facilitator can change the seat."
            ),
            holders=holders,
            municipality=seat.municipality.name,
        )
    raise NotAllowed(
        N_("Only the secretariat or the facilitator can change {municipality}'s seat."),
        municipality=seat.municipality.name,
    )


def add(seat: Seat, email: str, name: str) -> tuple[Seat, SeatPerson]:
    """The seat with a colleague added; a seat without a holder gets one instead."""
    address = clean_email(email)
    if seat.find(address) is not None:
        raise InvalidInput(
            N_("{email} is already on {municipality}'s seat."),
            email=address,
            municipality=seat.municipality.name,
        )
    if len(seat.people) >= MAX_PEOPLE:
        raise InvalidInput(N_("A seat has room for at most {count} people."), count=MAX_PEOPLE)
    first = not seat.holders
    person = SeatPerson(
        email=address,
        name=" ".join(name.split())[:MAX_NAME] or address,
        role=SeatRole.HOLDER if first else SeatRole.COLLEAGUE,
        usual=seat.usual is None,
    )
    return replace(seat, people=(*seat.people, person)), person


def _on_seat(seat: Seat, email: str) -> SeatPerson:
    address = clean_email(email)
    found = seat.find(address)
    if found is None:
        raise NotFound(
            N_("{email} is not on {municipality}'s seat."),
            email=address,
            municipality=seat.municipality.name,
        )
    return found


def remove(seat: Seat, email: str) -> tuple[Seat, SeatPerson]:
    """The seat without this person; the last holder cannot be removed."""
    gone = _on_seat(seat, email)
    if gone.role is SeatRole.HOLDER and len(seat.holders) == 1:
        raise InvalidInput(
            N_(
                "{name} is the last holder of {municipality}'s seat and cannot be removed. "
                "Make someone else a holder first: seat holder <e-mail>."
            ),
            name=gone.name,
            municipality=seat.municipality.name,
        )
    left = tuple(p for p in seat.people if p.key != gone.key)
    if gone.usual and left:
        # Someone must normally attend: the (first) holder, as before the colleague was marked.
        heir = next((p for p in left if p.role is SeatRole.HOLDER), left[0])
        left = tuple(replace(p, usual=p.key == heir.key) for p in left)
    return replace(seat, people=left), gone


def mark_usual(seat: Seat, email: str) -> tuple[Seat, SeatPerson]:
    """The seat with this person as the usual attendee (one at a time)."""
    chosen = _on_seat(seat, email)
    people = tuple(replace(p, usual=p.key == chosen.key) for p in seat.people)
    return replace(seat, people=people), replace(chosen, usual=True)


def make_holder(seat: Seat, email: str) -> tuple[Seat, SeatPerson]:
    """The seat with this person among its holders (to hand it over, then remove the other)."""
    chosen = _on_seat(seat, email)
    people = tuple(
        replace(p, role=SeatRole.HOLDER) if p.key == chosen.key else p for p in seat.people
    )
    return replace(seat, people=people), replace(chosen, role=SeatRole.HOLDER)
