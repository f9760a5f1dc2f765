"""What the privacy use cases need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from domain.privacy import Erasure, Subject
from services.ports import UnitOfWork


class PrivacyStore(Protocol):
    """Finds, exports, anonymises and deletes a person's data."""

    async def subject(
        self, *, email: str | None = None, teams_user_id: str | None = None
    ) -> Subject: ...
    async def export(self, subject: Subject) -> dict[str, list[dict[str, Any]]]: ...
    async def open_calls_applied(self, subject: Subject, today: date) -> list[str]: ...
    async def networks_of(self, subject: Subject) -> list[str]: ...
    async def erase(self, subject: Subject, today: date) -> Erasure: ...
    async def people_of_municipality(self, slug: str, municipality: str) -> list[Subject]: ...
    async def delete_application(self, slug: str, municipality: str) -> int: ...


class RetentionStore(Protocol):
    """Deletes and anonymises what has been kept long enough; counts per network."""

    async def clear_diets(self, held_before: date) -> dict[str, int]: ...
    async def network_ends(self) -> dict[str, date]: ...
    async def expire_network(
        self, slug: str, expired: Sequence[str], today: date
    ) -> dict[str, int]: ...


class PrivacyUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that can also reach every table for privacy requests."""

    privacy: PrivacyStore
    retention: RetentionStore


class PrivacyUnitOfWorkFactory(Protocol):
    """Makes a fresh privacy unit of work per request."""

    def __call__(self) -> PrivacyUnitOfWork: ...
