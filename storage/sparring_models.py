"""Tables for cases, host proposals, summaries, evaluations and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, MeetingRow, MunicipalityRow, PersonRow, utcnow


class CaseRow(Base):
    """A problem statement for a meeting."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20))
    position: Mapped[int | None] = mapped_column(Integer)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    sparring_notes: Mapped[str] = mapped_column(Text, default="")
    notes_by: Mapped[str] = mapped_column(String(254), default="")
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    meeting: Mapped[MeetingRow] = relationship(lazy="joined")
    person: Mapped[PersonRow] = relationship(lazy="joined")
    municipality: Mapped[MunicipalityRow | None] = relationship(lazy="joined")


class HostPlanRow(Base):
    """The host municipality's proposals for its meeting."""

    __tablename__ = "host_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    programme: Mapped[list[Any]] = mapped_column(default=list)
    address: Mapped[str] = mapped_column(String(300), default="")
    what_to_see: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SummaryRow(Base):
    """A meeting's summary: a draft until posted; reminders sent while it is missing."""

    __tablename__ = "summaries"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    key_points: Mapped[str] = mapped_column(Text, default="")
    good_advice: Mapped[str] = mapped_column(Text, default="")
    experiences: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    case_notes: Mapped[list[Any]] = mapped_column(default=list)
    posted: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EvaluationAnswerRow(Base):
    """One evaluation answer. No person, no time, a random id: nothing ties it to someone."""

    __tablename__ = "evaluation_answers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class EvaluationRespondentRow(Base):
    """Who has answered a meeting's evaluation: only to refuse a second answer."""

    __tablename__ = "evaluation_respondents"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )


class AuditRow(Base):
    """An organiser action: who, what, when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(String(80), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
