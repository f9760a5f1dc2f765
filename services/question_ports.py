"""The port for questions to the network: questions, whom they asked, the answers heard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.questions import Answer, Question

# The outbox key of a question's post in one channel: "question:<network>:<number>:<channel>".
POST_KEY = "question:{slug}:{number}:{conversation}"


@dataclass(frozen=True, slots=True)
class QuestionCounts:
    """How active a municipality was with questions in a period."""

    asked: int = 0
    answered: int = 0  # answers given to others' questions


class QuestionRepository(Protocol):
    """Questions per network, numbered 1, 2, ... in the order they were asked."""

    async def add(self, slug: str, question: Question) -> Question: ...
    async def get(self, slug: str, number: int) -> Question | None: ...
    async def listing(self, slug: str, theme: str | None = None) -> list[Question]: ...
    async def last_asked(self, slug: str) -> dict[str, datetime]: ...
    async def add_answer(self, slug: str, number: int, answer: Answer) -> Answer: ...
    async def mark_answered(
        self, slug: str, number: int, helpful: int | None, at: datetime
    ) -> None: ...
    async def thread_of(self, conversation_id: str, root_id: str) -> tuple[str, int] | None: ...
    async def posts(self, slug: str, number: int) -> list[tuple[str, str]]: ...
    async def count_by_municipality(
        self, slug: str, since: datetime
    ) -> dict[str, QuestionCounts]: ...
