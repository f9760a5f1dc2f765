"""The port of the network's final evaluation."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.final_evaluation import FinalAnswer


class FinalEvaluationRepository(Protocol):
    """Opened once per network; answers kept apart from who gave them."""

    async def open(self, slug: str, at: datetime, by: str) -> bool: ...
    async def opened_at(self, slug: str) -> datetime | None: ...
    async def add(self, slug: str, person_key: str, answer: FinalAnswer) -> bool: ...
    async def answered(self, slug: str, person_key: str) -> bool: ...
    async def answers(self, slug: str) -> list[FinalAnswer]: ...
