"""Tables of the network's final evaluation: when it opened, answers, and who answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class FinalEvaluationRow(Base):
    """A network's final evaluation, opened once (by the cadence or the facilitator)."""

    __tablename__ = "final_evaluations"
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True
    )
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(254))


class FinalAnswerRow(Base):
    """One final evaluation answer. No person, no time, a random id: nothing ties it to someone."""

    __tablename__ = "final_evaluation_answers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column(Integer)
    take_home: Mapped[str] = mapped_column(Text, default="")
    recommend: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")


class FinalRespondentRow(Base):
    """Who has answered the final evaluation: only to refuse a second answer."""

    __tablename__ = "final_evaluation_respondents"
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
