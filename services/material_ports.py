"""The material repository port (the unit of work in services.ports carries it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.material import Material


class MaterialRepository(Protocol):
    """Shared files and links, per network."""

    async def add(self, slug: str, material: Material) -> Material | None:
        """Record material; None when that file (same hash or drive item) is already recorded."""
        ...

    async def duplicate(
        self,
        slug: str,
        *,
        sha256: str | None = None,
        drive_item_id: str | None = None,
        url: str | None = None,
    ) -> Material | None:
        """Material already recorded with the same hash, drive item or link."""
        ...

    async def search(
        self, slug: str, *, meeting: int | None, words: Sequence[str], limit: int
    ) -> list[Material]:
        """Newest first: material of a meeting (or all) whose text holds every word."""
        ...
