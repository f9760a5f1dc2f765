"""In-memory fake of the sparring-pairs port: rounds unique per network and day, answers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from weakref import WeakKeyDictionary

from services.pairs_ports import PairGroupRecord, PairPreference, PairRoundRecord


@dataclass
class PairsState:
    """What the pairs fake shares across units of work of one FakeStore."""

    rounds: dict[int, PairRoundRecord] = field(default_factory=dict)
    answers: dict[tuple[int, str], tuple[bool, datetime]] = field(default_factory=dict)
    preferences: dict[tuple[str, str], PairPreference] = field(default_factory=dict)
    next_id: int = 1


_STATES: WeakKeyDictionary[Any, PairsState] = WeakKeyDictionary()


def pairs_state(store: Any) -> PairsState:
    """The pairs state that belongs to a FakeStore."""
    if store not in _STATES:
        _STATES[store] = PairsState()
    return _STATES[store]


class FakePairs:
    def __init__(self, state: PairsState, store: Any) -> None:
        self._s = state
        self._store = store

    def _id(self) -> int:
        self._s.next_id += 1
        return self._s.next_id

    async def create_round(
        self,
        slug: str,
        day: date,
        groups: list[tuple[tuple[str, ...], tuple[str, ...]]],
        *,
        by: str,
        now: datetime,
    ) -> PairRoundRecord | None:
        if slug not in self._store.files or any(
            r.network == slug and r.day == day for r in self._s.rounds.values()
        ):
            return None
        made = PairRoundRecord(
            id=self._id(),
            network=slug,
            day=day,
            created_at=now,
            created_by=by,
            groups=tuple(
                PairGroupRecord(self._id(), i, tuple(m), tuple(t))
                for i, (m, t) in enumerate(groups)
            ),
        )
        self._s.rounds[made.id] = made
        return made

    async def rounds(self, slug: str) -> list[PairRoundRecord]:
        found = [r for r in self._s.rounds.values() if r.network == slug]
        return sorted(found, key=lambda r: (r.day, r.id))

    async def unasked(self, created_before: datetime) -> list[PairRoundRecord]:
        return sorted(
            (
                r
                for r in self._s.rounds.values()
                if r.asked_at is None and r.created_at <= created_before
            ),
            key=lambda r: r.created_at,
        )

    async def claim_follow_up(self, round_id: int, now: datetime) -> bool:
        r = self._s.rounds.get(round_id)
        if r is None or r.asked_at is not None:
            return False
        self._s.rounds[round_id] = dataclasses.replace(r, asked_at=now)
        return True

    async def group(self, group_id: int) -> PairRoundRecord | None:
        return next(
            (r for r in self._s.rounds.values() if any(g.id == group_id for g in r.groups)), None
        )

    async def answer(
        self, group_id: int, municipality: str, met: bool, *, by: str, now: datetime
    ) -> None:
        self._s.answers[(group_id, municipality)] = (met, now)

    async def answers(self, round_id: int) -> dict[tuple[int, str], bool]:
        r = self._s.rounds[round_id]
        ids = {g.id for g in r.groups}
        return {k: met for k, (met, _) in self._s.answers.items() if k[0] in ids}

    async def preferences(self, slug: str) -> dict[str, PairPreference]:
        return {m: p for (s, m), p in self._s.preferences.items() if s == slug}

    async def set_preference(
        self, slug: str, municipality: str, preference: PairPreference, *, by: str
    ) -> None:
        self._s.preferences[(slug, municipality)] = preference

    async def held_calls(
        self, slug: str, start: datetime, end: datetime
    ) -> list[tuple[str, datetime]]:
        out: list[tuple[str, datetime]] = []
        for r in self._s.rounds.values():
            if r.network != slug:
                continue
            for g in r.groups:
                yes = [at for (gid, _), (met, at) in self._s.answers.items() if gid == g.id and met]
                if yes and start <= min(yes) < end:
                    out += [(k, min(yes)) for k in g.members]
        return sorted(out, key=lambda e: (e[1], e[0]))

    async def held_by_municipality(self, slug: str, since: datetime) -> dict[str, int]:
        counts: dict[str, int] = {}
        for key, _ in await self.held_calls(slug, since, datetime.max.replace(tzinfo=UTC)):
            counts[key] = counts.get(key, 0) + 1
        return counts


def attach_pairs_fakes(uow: Any, store: Any) -> None:
    """Give a FakeUnitOfWork the pairs repository."""
    uow.pairs = FakePairs(pairs_state(store), store)
