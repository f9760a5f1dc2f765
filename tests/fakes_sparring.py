"""In-memory fakes of the sparring ports: cases, host plans, summaries, evaluations, audit."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from domain.final_evaluation import FinalAnswer
from domain.model import Person, RoleKind
from domain.sparring import AuditEntry, Case, CaseStatus, HostPlan, Summary


@dataclass
class SparringState:
    """What the sparring fakes share across units of work of one FakeStore."""

    cases: dict[int, Case] = field(default_factory=dict)
    host_plans: dict[tuple[str, int], HostPlan] = field(default_factory=dict)
    summaries: dict[tuple[str, int], Summary] = field(default_factory=dict)
    respondents: set[tuple[str, int, str]] = field(default_factory=set)
    answers: dict[tuple[str, int], list[tuple[int, str]]] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    final_opened: dict[str, tuple[datetime, str]] = field(default_factory=dict)
    final_respondents: set[tuple[str, str]] = field(default_factory=set)
    final_answers: dict[str, list[FinalAnswer]] = field(default_factory=dict)


_STATES: WeakKeyDictionary[Any, SparringState] = WeakKeyDictionary()


def sparring_state(store: Any) -> SparringState:
    """The sparring state that belongs to a FakeStore."""
    if store not in _STATES:
        _STATES[store] = SparringState()
    return _STATES[store]


class FakeCases:
    def __init__(self, state: SparringState) -> None:
        self._s = state

    async def add(self, case: Case) -> int:
        new_id = len(self._s.cases) + 1
        self._s.cases[new_id] = dataclasses.replace(case, id=new_id)
        return new_id

    async def get(self, case_id: int) -> Case | None:
        return self._s.cases.get(case_id)

    async def for_meeting(self, slug: str, number: int) -> list[Case]:
        return _ordered(
            c for c in self._s.cases.values() if (c.network, c.meeting) == (slug, number)
        )

    async def for_network(self, slug: str) -> list[Case]:
        return _ordered(c for c in self._s.cases.values() if c.network == slug)

    async def update(self, case: Case) -> None:
        self._s.cases[case.id] = case


def _ordered(cases: Any) -> list[Case]:
    def key(c: Case) -> tuple[int, int, int, datetime, int]:
        accepted = c.status is CaseStatus.ACCEPTED
        return (c.meeting, 0 if accepted else 1, c.position or 0, c.submitted_at, c.id)

    return sorted(cases, key=key)


class FakeHostPlans:
    def __init__(self, state: SparringState, store: Any) -> None:
        self._s = state
        self._store = store

    async def get(self, slug: str, number: int) -> HostPlan | None:
        return self._s.host_plans.get((slug, number))

    async def save(self, slug: str, number: int, plan: HostPlan) -> None:
        self._s.host_plans[(slug, number)] = plan

    async def contacts(
        self, slug: str, role: RoleKind, municipality: str | None = None
    ) -> list[Person]:
        declared = self._store.files.get(slug)
        people = [self._store.people[p.key] for p in declared.people] if declared else []
        return sorted(
            (p for p in people if role in p.roles and municipality in (None, p.municipality)),
            key=lambda p: p.name,
        )


class FakeSummaries:
    def __init__(self, state: SparringState) -> None:
        self._s = state

    async def get(self, slug: str, number: int) -> Summary | None:
        return self._s.summaries.get((slug, number))

    async def save(self, slug: str, number: int, summary: Summary) -> None:
        self._s.summaries[(slug, number)] = summary

    async def for_network(self, slug: str) -> dict[int, Summary]:
        return {n: s for (sl, n), s in self._s.summaries.items() if sl == slug}


class FakeEvaluations:
    def __init__(self, state: SparringState) -> None:
        self._s = state

    async def add(self, slug: str, number: int, person_key: str, score: int, comment: str) -> bool:
        if (slug, number, person_key) in self._s.respondents:
            return False
        self._s.respondents.add((slug, number, person_key))
        self._s.answers.setdefault((slug, number), []).append((score, comment))
        return True

    async def answered(self, slug: str, number: int, person_key: str) -> bool:
        return (slug, number, person_key) in self._s.respondents

    async def answers(self, slug: str, number: int) -> list[tuple[int, str]]:
        return list(self._s.answers.get((slug, number), []))


class FakeAudit:
    def __init__(self, state: SparringState) -> None:
        self._s = state

    async def record(self, entry: AuditEntry) -> None:
        self._s.audit.append(entry)

    async def entries(self, slug: str, since: datetime | None = None) -> list[AuditEntry]:
        return [e for e in self._s.audit if e.network == slug and (since is None or e.at >= since)]


class FakeFinalEvaluations:
    def __init__(self, state: SparringState) -> None:
        self._s = state

    async def open(self, slug: str, at: datetime, by: str) -> bool:
        if slug in self._s.final_opened:
            return False
        self._s.final_opened[slug] = (at, by)
        return True

    async def opened_at(self, slug: str) -> datetime | None:
        found = self._s.final_opened.get(slug)
        return found[0] if found else None

    async def add(self, slug: str, person_key: str, answer: FinalAnswer) -> bool:
        if (slug, person_key) in self._s.final_respondents:
            return False
        self._s.final_respondents.add((slug, person_key))
        self._s.final_answers.setdefault(slug, []).append(answer)
        return True

    async def answered(self, slug: str, person_key: str) -> bool:
        return (slug, person_key) in self._s.final_respondents

    async def answers(self, slug: str) -> list[FinalAnswer]:
        return list(self._s.final_answers.get(slug, []))


def attach_sparring_fakes(uow: Any, store: Any) -> None:
    """Give a FakeUnitOfWork the sparring repositories, sharing state through its store."""
    state = sparring_state(store)
    uow.cases = FakeCases(state)
    uow.host_plans = FakeHostPlans(state, store)
    uow.summaries = FakeSummaries(state)
    uow.evaluations = FakeEvaluations(state)
    uow.final_evaluations = FakeFinalEvaluations(state)
    uow.audit = FakeAudit(state)
