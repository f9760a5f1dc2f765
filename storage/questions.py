"""Questions to the network: tables and repository (who asked, whom it asked, the answers)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from domain.questions import Answer, Asked, Question, QuestionStatus
from services.question_ports import POST_KEY, QuestionCounts
from storage.cadence import DeliveryRow
from storage.dialect import lock_row
from storage.models import Base, NetworkRow
from storage.sparring import network_id_of


class QuestionRow(Base):
    """A question posted to a network's channel; numbered per network."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("network_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    asker_key: Mapped[str] = mapped_column(String(254))
    asker_name: Mapped[str] = mapped_column(String(200))
    asker_municipality: Mapped[str | None] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    helpful_answer: Mapped[int | None] = mapped_column(Integer)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class QuestionMentionRow(Base):
    """A municipality a question asked, with the contacts @mentioned (person keys)."""

    __tablename__ = "question_mentions"
    __table_args__ = (UniqueConstraint("question_id", "municipality_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    municipality_key: Mapped[str] = mapped_column(String(80))
    people: Mapped[list[Any]] = mapped_column(default=list)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuestionAnswerRow(Base):
    """A reply heard in a question's thread; numbered per question."""

    __tablename__ = "question_answers"
    __table_args__ = (UniqueConstraint("question_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str] = mapped_column(String(200))
    author_key: Mapped[str | None] = mapped_column(String(254))
    author_municipality: Mapped[str | None] = mapped_column(String(80), index=True)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _answer(row: QuestionAnswerRow) -> Answer:
    return Answer(
        number=row.number,
        text=row.text,
        author=row.author_name,
        at=_utc(row.answered_at),
        author_key=row.author_key,
        municipality=row.author_municipality,
    )


class SqlQuestionRepository:
    """Questions, their mentions and answers, by network slug and question number."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _row(self, slug: str, number: int) -> QuestionRow | None:
        return await self._s.scalar(  # type: ignore[no-any-return]
            select(QuestionRow)
            .join(NetworkRow, NetworkRow.id == QuestionRow.network_id)
            .where(NetworkRow.slug == slug, QuestionRow.number == number)
        )

    async def add(self, slug: str, question: Question) -> Question:
        """Store a new question with the next number, and whom it asked."""
        network_id = await network_id_of(self._s, slug)
        row = QuestionRow(
            network_id=network_id,
            text=question.text,
            themes=list(question.themes),
            asker_key=question.asker_key,
            asker_name=question.asker_name,
            asker_municipality=question.asker_municipality,
            status=question.status.value,
            asked_at=question.asked_at,
        )
        await self._insert_numbered(
            row, QuestionRow.number, QuestionRow.network_id == network_id, NetworkRow, network_id
        )
        for asked in question.asked:
            self._s.add(
                QuestionMentionRow(
                    question_id=row.id,
                    network_id=network_id,
                    municipality_key=asked.municipality,
                    people=list(asked.people),
                    asked_at=question.asked_at,
                )
            )
        await self._s.flush()
        return await self._load(row)

    async def _load(self, row: QuestionRow) -> Question:
        mentions = await self._s.scalars(
            select(QuestionMentionRow)
            .where(QuestionMentionRow.question_id == row.id)
            .order_by(QuestionMentionRow.id)
        )
        answers = await self._s.scalars(
            select(QuestionAnswerRow)
            .where(QuestionAnswerRow.question_id == row.id)
            .order_by(QuestionAnswerRow.number)
        )
        return Question(
            number=row.number,
            text=row.text,
            themes=tuple(str(t) for t in row.themes or ()),
            asker_key=row.asker_key,
            asker_name=row.asker_name,
            asked_at=_utc(row.asked_at),
            asker_municipality=row.asker_municipality,
            status=QuestionStatus(row.status),
            helpful=row.helpful_answer,
            answered_at=_utc(row.answered_at) if row.answered_at else None,
            asked=tuple(
                Asked(m.municipality_key, tuple(str(p) for p in m.people or ())) for m in mentions
            ),
            answers=tuple(_answer(a) for a in answers),
        )

    async def get(self, slug: str, number: int) -> Question | None:
        """One question with its mentions and answers."""
        row = await self._row(slug, number)
        return await self._load(row) if row else None

    async def listing(self, slug: str, theme: str | None = None) -> list[Question]:
        """The network's questions, newest first; only those tagged `theme` when given."""
        rows = await self._s.scalars(
            select(QuestionRow)
            .join(NetworkRow, NetworkRow.id == QuestionRow.network_id)
            .where(NetworkRow.slug == slug)
            .order_by(QuestionRow.number.desc())
        )
        return [await self._load(r) for r in rows if theme is None or theme in (r.themes or ())]

    async def last_asked(self, slug: str) -> dict[str, datetime]:
        """When each municipality was last asked by a question in this network."""
        rows = await self._s.execute(
            select(QuestionMentionRow.municipality_key, func.max(QuestionMentionRow.asked_at))
            .join(NetworkRow, NetworkRow.id == QuestionMentionRow.network_id)
            .where(NetworkRow.slug == slug)
            .group_by(QuestionMentionRow.municipality_key)
        )
        return {key: _utc(when) for key, when in rows.all()}

    async def add_answer(self, slug: str, number: int, answer: Answer) -> Answer:
        """Record a reply in the question's thread, numbered after the others."""
        row = await self._row(slug, number)
        if row is None:
            raise LookupError(f"no question {slug}:{number}")
        stored = QuestionAnswerRow(
            question_id=row.id,
            text=answer.text,
            author_name=answer.author,
            author_key=answer.author_key,
            author_municipality=answer.municipality,
            answered_at=answer.at,
        )
        await self._insert_numbered(
            stored,
            QuestionAnswerRow.number,
            QuestionAnswerRow.question_id == row.id,
            QuestionRow,
            row.id,
        )
        return _answer(stored)

    async def _insert_numbered(
        self, row: Any, number: Any, scope: Any, parent: Any, parent_id: Any
    ) -> None:
        """Insert `row` with the next number in `scope`, holding the parent row meanwhile.

        Two replies in one thread (or two questions in one network) at the same moment would
        read the same highest number; locking the thread's question (or the network) first
        makes them number one after the other, across processes too.
        """
        await lock_row(self._s, parent, parent_id)
        last = await self._s.scalar(select(func.max(number)).where(scope))
        row.number = int(last or 0) + 1
        self._s.add(row)
        await self._s.flush()

    async def mark_answered(
        self, slug: str, number: int, helpful: int | None, at: datetime
    ) -> None:
        """The asker found an answer helpful (or closed the question without one)."""
        row = await self._row(slug, number)
        if row is None:
            raise LookupError(f"no question {slug}:{number}")
        row.status = QuestionStatus.ANSWERED.value
        row.helpful_answer = helpful
        row.answered_at = at
        await self._s.flush()

    async def thread_of(self, conversation_id: str, root_id: str) -> tuple[str, int] | None:
        """The question whose channel post is the root of this thread, as (network, number)."""
        key = await self._s.scalar(
            select(DeliveryRow.key).where(
                DeliveryRow.conversation_id == conversation_id,
                DeliveryRow.activity_id == root_id,
                DeliveryRow.key.startswith("question:", autoescape=True),
            )
        )
        if key is None:
            return None
        _, slug, number, _ = str(key).split(":", 3)
        return slug, int(number)

    async def posts(self, slug: str, number: int) -> list[tuple[str, str]]:
        """Where the question was posted: (channel conversation id, activity id)."""
        prefix = POST_KEY.format(slug=slug, number=number, conversation="")
        rows = await self._s.execute(
            select(DeliveryRow.conversation_id, DeliveryRow.activity_id).where(
                DeliveryRow.key.startswith(prefix, autoescape=True),
                DeliveryRow.activity_id.is_not(None),
            )
        )
        return [(c, str(a)) for c, a in rows.all()]

    async def count_by_municipality(self, slug: str, since: datetime) -> dict[str, QuestionCounts]:
        """Questions asked and answers given (recorded since `since`), per municipality key."""
        asked = await self._s.execute(
            select(QuestionRow.asker_municipality, func.count())
            .join(NetworkRow, NetworkRow.id == QuestionRow.network_id)
            .where(
                NetworkRow.slug == slug,
                QuestionRow.asked_at >= since,
                QuestionRow.asker_municipality.is_not(None),
            )
            .group_by(QuestionRow.asker_municipality)
        )
        answered = await self._s.execute(
            select(QuestionAnswerRow.author_municipality, func.count())
            .join(QuestionRow, QuestionRow.id == QuestionAnswerRow.question_id)
            .join(NetworkRow, NetworkRow.id == QuestionRow.network_id)
            .where(
                NetworkRow.slug == slug,
                QuestionAnswerRow.answered_at >= since,
                QuestionAnswerRow.author_municipality.is_not(None),
            )
            .group_by(QuestionAnswerRow.author_municipality)
        )
        out: dict[str, QuestionCounts] = {}
        for key, n in asked.all():
            out[str(key)] = QuestionCounts(asked=int(n))
        for key, n in answered.all():
            out[str(key)] = QuestionCounts(out.get(str(key), QuestionCounts()).asked, int(n))
        return out
