"""Ports: what the services need from the outside world, as Protocols."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol, Self

from domain.model import (
    ConversationRef,
    Meeting,
    Municipality,
    Network,
    NetworkFile,
    Person,
    Phase,
    RoleKind,
)


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What an import created, updated and withdrew."""

    created: int = 0
    updated: int = 0
    cancelled_meetings: int = 0


class NetworkRepository(Protocol):
    """Networks and what belongs to them."""

    async def get(self, slug: str) -> Network | None: ...
    async def all(self) -> list[Network]: ...
    async def meetings(self, slug: str) -> list[Meeting]: ...
    async def municipalities(self, slug: str) -> list[Municipality]: ...
    async def phases(self, slug: str) -> list[Phase]: ...
    async def save_file(self, declared: NetworkFile) -> ImportCounts: ...


class PeopleRepository(Protocol):
    """People, their Teams identities and roles."""

    async def find(
        self,
        *,
        aad_object_id: str | None = None,
        teams_user_id: str | None = None,
        email: str | None = None,
    ) -> Person | None: ...
    async def roles(self, person_key: str, network_slug: str) -> frozenset[RoleKind]: ...
    async def networks_of(self, person_key: str) -> list[str]: ...
    async def remember_teams_ids(
        self, person_key: str, *, teams_user_id: str | None, aad_object_id: str | None
    ) -> None: ...


class ConversationRepository(Protocol):
    """Stored conversation references."""

    async def save(self, ref: ConversationRef) -> None: ...
    async def get(self, conversation_id: str) -> ConversationRef | None: ...
    async def link(self, conversation_id: str, network_slug: str) -> bool: ...
    async def linked_to(self, network_slug: str) -> list[ConversationRef]: ...
    async def mark_uninstalled(self, conversation_id: str) -> None: ...


class ActivityLog(Protocol):
    """Inbound activities already handled."""

    async def claim(self, conversation_id: str, activity_id: str) -> bool: ...
    async def release(self, conversation_id: str, activity_id: str) -> None: ...


class Preferences(Protocol):
    """Per-user settings."""

    async def language(self, teams_user_id: str) -> str | None: ...
    async def set_language(self, teams_user_id: str, language: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over the repositories; rolls back unless committed."""

    networks: NetworkRepository
    people: PeopleRepository
    conversations: ConversationRepository
    activities: ActivityLog
    preferences: Preferences

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per use case."""

    def __call__(self) -> UnitOfWork: ...


class Clock(Protocol):
    """The current time; injected so tests never sleep."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """Now, aware, in UTC."""
        return datetime.now(UTC)
