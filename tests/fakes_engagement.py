"""In-memory fake of the activity sources: events the test writes, filtered like the queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from domain.engagement import ActivityEvent, ActivityKind
from domain.material import Material

_STATES: WeakKeyDictionary[Any, list[tuple[str, ActivityEvent]]] = WeakKeyDictionary()


def engagement_state(store: Any) -> list[tuple[str, ActivityEvent]]:
    """The events recorded in a FakeStore, with their network's slug."""
    if store not in _STATES:
        _STATES[store] = []
    return _STATES[store]


class FakeActivitySources:
    def __init__(self, events: list[tuple[str, ActivityEvent]]) -> None:
        self._events = events

    def kinds(self) -> tuple[ActivityKind, ...]:
        return tuple(ActivityKind)

    async def events(
        self, kind: ActivityKind, slug: str, start: datetime, end: datetime
    ) -> list[ActivityEvent]:
        return [e for s, e in self._events if s == slug and e.kind is kind and start <= e.at < end]

    async def material_between(self, slug: str, start: datetime, end: datetime) -> list[Material]:
        return []


def attach_engagement_fakes(uow: Any, store: Any) -> None:
    """Give a FakeUnitOfWork the activity sources."""
    uow.engagement = FakeActivitySources(engagement_state(store))
