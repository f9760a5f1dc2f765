"""Tables for sparring pairs: rounds (one per network and day), groups, answers, opt-outs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class PairRoundRow(Base):
    """A round of sparring pairs; the unique (network, day) keeps replicas from making two."""

    __tablename__ = "pair_rounds"
    __table_args__ = (UniqueConstraint("network_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(254))
    asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PairGroupRow(Base):
    """Two (or three) municipalities who meet in a round."""

    __tablename__ = "pair_groups"
    __table_args__ = (UniqueConstraint("round_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pair_rounds.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    members: Mapped[list[Any]] = mapped_column(default=list)  # municipality keys
    themes: Mapped[list[Any]] = mapped_column(default=list)


class PairAnswerRow(Base):
    """A municipality's answer to "did you meet?" for its group (the latest answer counts)."""

    __tablename__ = "pair_answers"
    __table_args__ = (UniqueConstraint("group_id", "municipality_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("pair_groups.id", ondelete="CASCADE"))
    municipality_key: Mapped[str] = mapped_column(String(80))
    met: Mapped[bool] = mapped_column(Boolean)
    answered_by: Mapped[str] = mapped_column(String(254))
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PairPreferenceRow(Base):
    """A municipality out of pairing, or paused until a day."""

    __tablename__ = "pair_preferences"
    __table_args__ = (UniqueConstraint("network_id", "municipality_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    municipality_key: Mapped[str] = mapped_column(String(80))
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[date | None] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(254))
