"""Ports for cases, the host's proposals, summaries, evaluations and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.model import Person, RoleKind
from domain.sparring import AuditEntry, Case, HostPlan, Summary


class CaseRepository(Protocol):
    """Problem statements per meeting."""

    async def add(self, case: Case) -> int: ...
    async def get(self, case_id: int) -> Case | None: ...
    async def for_meeting(self, slug: str, number: int) -> list[Case]: ...
    async def for_network(self, slug: str) -> list[Case]: ...
    async def update(self, case: Case) -> None: ...


class HostPlanRepository(Protocol):
    """The host municipality's proposals, one per meeting."""

    async def get(self, slug: str, number: int) -> HostPlan | None: ...
    async def save(self, slug: str, number: int, plan: HostPlan) -> None: ...
    async def contacts(
        self, slug: str, role: RoleKind, municipality: str | None = None
    ) -> list[Person]: ...


class SummaryRepository(Protocol):
    """Meeting summaries, drafts and posted."""

    async def get(self, slug: str, number: int) -> Summary | None: ...
    async def save(self, slug: str, number: int, summary: Summary) -> None: ...
    async def for_network(self, slug: str) -> dict[int, Summary]: ...


class EvaluationRepository(Protocol):
    """Evaluation answers, kept apart from who gave them."""

    async def add(
        self, slug: str, number: int, person_key: str, score: int, comment: str
    ) -> bool: ...
    async def answered(self, slug: str, number: int, person_key: str) -> bool: ...
    async def answers(self, slug: str, number: int) -> list[tuple[int, str]]: ...


class AuditTrail(Protocol):
    """Who did what, when: every organiser action."""

    async def record(self, entry: AuditEntry) -> None: ...
    async def entries(self, slug: str, since: datetime | None = None) -> list[AuditEntry]: ...
