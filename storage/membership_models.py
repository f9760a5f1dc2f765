"""Tables for joining a network: calls, applications with every version, yearly fees."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class CallRow(Base):
    """A network's call for applications (one per network; reopening moves the deadline)."""

    __tablename__ = "calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), unique=True
    )
    deadline: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(254), default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApplicationRow(Base):
    """A municipality's application to a network: its latest version, for lists and selection."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("network_id", "municipality_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    municipality_key: Mapped[str] = mapped_column(String(80))
    municipality_name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(200))
    head_of_planning: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    interest: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    links: Mapped[list[Any]] = mapped_column(default=list)
    commitment: Mapped[dict[str, Any] | None] = mapped_column()
    # Asked for where the network file requires them (the SKL invitation's prerequisites).
    area_idea: Mapped[str] = mapped_column(Text, default="", server_default="")
    working_group: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str] = mapped_column(String(200), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApplicationVersionRow(Base):
    """Every version of an application as it was sent: nothing is overwritten."""

    __tablename__ = "application_versions"
    __table_args__ = (UniqueConstraint("application_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str] = mapped_column(String(200))


class FeeRow(Base):
    """A member municipality's fee for one year: invoiced and paid dates (tracking only)."""

    __tablename__ = "fees"
    __table_args__ = (UniqueConstraint("network_id", "municipality_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"))
    year: Mapped[int] = mapped_column(Integer)
    invoiced_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SeatPersonRow(Base):
    """Someone on a municipality's seat: its holder or a colleague, and who usually attends."""

    __tablename__ = "seat_people"
    __table_args__ = (UniqueConstraint("network_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    usual: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
