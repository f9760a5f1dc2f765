"""The engagement port: activity sources, one query per kind (the unit of work carries it)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.engagement import ActivityEvent, ActivityKind
from domain.material import Material


class ActivitySources(Protocol):
    """What municipalities did, per kind of activity; a kind without a source is not listed."""

    def kinds(self) -> tuple[ActivityKind, ...]:
        """The kinds this installation can count, in ActivityKind order."""
        ...

    async def events(
        self, kind: ActivityKind, slug: str, start: datetime, end: datetime
    ) -> list[ActivityEvent]:
        """Every event of one kind in a network with start <= at < end."""
        ...

    async def material_between(self, slug: str, start: datetime, end: datetime) -> list[Material]:
        """Material shared with start <= shared_at < end, oldest first (for the digest)."""
        ...
