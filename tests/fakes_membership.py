"""In-memory fake of the membership port: calls, applications with versions, seats, fees."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from domain.membership import Application, ApplicationStatus, Call, FeeRecord
from domain.model import Municipality, Person, RoleKind
from domain.seats import SeatPerson


@dataclass
class MembershipState:
    """What the membership fake shares across units of work of one FakeStore."""

    calls: dict[str, Call] = field(default_factory=dict)
    applications: dict[tuple[str, str], list[Application]] = field(default_factory=dict)
    fees: dict[tuple[str, str, int], FeeRecord] = field(default_factory=dict)
    seats: dict[tuple[str, str], list[SeatPerson]] = field(default_factory=dict)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_STATES: WeakKeyDictionary[Any, MembershipState] = WeakKeyDictionary()


def membership_state(store: Any) -> MembershipState:
    """The membership state that belongs to a FakeStore."""
    if store not in _STATES:
        _STATES[store] = MembershipState()
    return _STATES[store]


class FakeMembership:
    def __init__(self, state: MembershipState, store: Any) -> None:
        self._s = state
        self._store = store

    async def call(self, slug: str) -> Call | None:
        return self._s.calls.get(slug)

    async def lock_call(self, slug: str) -> Call | None:
        return self._s.calls.get(slug)

    async def save_call(self, slug: str, call: Call, *, by: str) -> None:
        self._s.calls[slug] = call

    async def application(self, slug: str, municipality_key: str) -> Application | None:
        versions = self._s.applications.get((slug, municipality_key))
        return versions[-1] if versions else None

    async def application_by(self, slug: str, teams_user_id: str) -> Application | None:
        mine = [
            v[-1]
            for (s, _), v in self._s.applications.items()
            if s == slug and v[-1].submitted_by == teams_user_id
        ]
        return max(mine, key=lambda a: a.submitted_at or _EPOCH, default=None)

    async def applications(self, slug: str) -> list[Application]:
        return [v[-1] for (s, _), v in self._s.applications.items() if s == slug]

    async def save_application(self, slug: str, application: Application) -> None:
        self._s.applications.setdefault((slug, application.municipality_key), []).append(
            application
        )

    async def versions(self, slug: str, municipality_key: str) -> list[Application]:
        return list(self._s.applications.get((slug, municipality_key), []))

    async def set_status(
        self, slug: str, municipality_key: str, status: ApplicationStatus, at: datetime
    ) -> None:
        versions = self._s.applications[(slug, municipality_key)]
        versions[-1] = dataclasses.replace(versions[-1], status=status)

    async def set_seat(self, slug: str, municipality: Municipality) -> None:
        declared = self._store.files[slug]
        others = tuple(m for m in declared.municipalities if m.key != municipality.key)
        self._store.files[slug] = dataclasses.replace(
            declared, municipalities=(*others, municipality)
        )

    async def add_member(self, slug: str, person: Person) -> None:
        known = self._store.people.get(person.key)
        merged = (
            dataclasses.replace(
                known,
                municipality=known.municipality or person.municipality,
                roles=known.roles | person.roles,
            )
            if known
            else person
        )
        self._store.people[person.key] = merged
        declared = self._store.files[slug]
        people = tuple(p for p in declared.people if p.key != person.key)
        self._store.files[slug] = dataclasses.replace(declared, people=(*people, merged))

    async def fees(self, slug: str) -> list[FeeRecord]:
        return [r for (s, _, _), r in self._s.fees.items() if s == slug]

    async def save_fee(self, slug: str, record: FeeRecord, *, by: str) -> None:
        self._s.fees[(slug, record.municipality_key, record.year)] = record

    async def open_declared_call(self, slug: str, call: Call, *, by: str) -> bool:
        if slug in self._s.calls:
            return False
        self._s.calls[slug] = call
        return True

    async def seat_people(self, slug: str, municipality_key: str) -> list[SeatPerson]:
        return list(self._s.seats.get((slug, municipality_key), []))

    async def save_seat_people(
        self, slug: str, municipality_key: str, people: list[SeatPerson], *, by: str
    ) -> None:
        assert all(p.key in self._store.people for p in people)
        self._s.seats[(slug, municipality_key)] = list(people)

    async def release_member(self, slug: str, person_key: str) -> None:
        known = self._store.people.get(person_key)
        if known is None:
            return
        seated = any(p.key == person_key for v in self._s.seats.values() for p in v)
        kept = dataclasses.replace(
            known,
            municipality=known.municipality if seated else None,
            roles=known.roles - {RoleKind.PARTICIPANT},
        )
        self._store.people[person_key] = kept
        declared = self._store.files[slug]
        people = tuple(p for p in declared.people if p.key != person_key)
        if kept.roles:
            people = (*people, kept)
        self._store.files[slug] = dataclasses.replace(declared, people=people)


def attach_membership_fakes(uow: Any, store: Any) -> None:
    """Give a FakeUnitOfWork the membership repository, sharing state through its store."""
    uow.membership = FakeMembership(membership_state(store), store)
