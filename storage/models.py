"""SQLAlchemy 2 table mappings. Repositories turn rows into domain objects."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Stamped:
    """Created and updated timestamps."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class NetworkRow(Stamped, Base):
    """A network and its settings."""

    __tablename__ = "networks"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    seat_limit: Mapped[int] = mapped_column(Integer)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    registration_deadline: Mapped[date | None] = mapped_column(Date)
    call_opens: Mapped[date | None] = mapped_column(Date)
    evaluation: Mapped[str] = mapped_column(Text, default="")
    cadence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fees: Mapped[list[Any]] = mapped_column(default=list)
    tenants: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    application_requires: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")


class MunicipalityRow(Stamped, Base):
    """A municipality, shared by every network it takes part in."""

    __tablename__ = "municipalities"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(120))


class SeatRow(Stamped, Base):
    """A municipality's seat in one network (it belongs to the planning department)."""

    __tablename__ = "seats"
    __table_args__ = (UniqueConstraint("network_id", "municipality_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"))
    status: Mapped[str] = mapped_column(String(20))
    municipality: Mapped[MunicipalityRow] = relationship(lazy="joined")


class PersonRow(Stamped, Base):
    """A person: name, e-mail and the Teams ids seen for them."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    teams_user_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    municipality: Mapped[MunicipalityRow | None] = relationship(lazy="joined")


class RoleRow(Base):
    """A role a person holds in a network."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("network_id", "person_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))


class MeetingRow(Stamped, Base):
    """A meeting or study trip of a network."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("network_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    end_day: Mapped[date | None] = mapped_column(Date)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    region: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    field_visit: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    host_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    capacity: Mapped[int | None] = mapped_column(Integer)
    seats_per_municipality: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    skip_steps: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    online: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    host: Mapped[MunicipalityRow | None] = relationship(lazy="joined")
    programme: Mapped[list[ProgrammeItemRow]] = relationship(
        lazy="selectin",
        order_by="ProgrammeItemRow.position",
        cascade="all, delete-orphan",
    )


class ProgrammeItemRow(Base):
    """One slot of a meeting's programme."""

    __tablename__ = "programme_items"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time | None] = mapped_column(Time)
    ends: Mapped[time | None] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    speaker: Mapped[str] = mapped_column(String(200), default="")


class PhaseRow(Base):
    """A phase of a phased network."""

    __tablename__ = "phases"
    __table_args__ = (UniqueConstraint("network_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


class ConversationRow(Stamped, Base):
    """A stored conversation reference, with the Teams ids the reference alone loses."""

    __tablename__ = "conversations"
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    service_url: Mapped[str] = mapped_column(String(400))
    channel_id: Mapped[str] = mapped_column(String(40))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    bot_id: Mapped[str | None] = mapped_column(String(200))
    bot_name: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(400))
    team_aad_group_id: Mapped[str | None] = mapped_column(String(64))
    teams_channel_id: Mapped[str | None] = mapped_column(String(400))
    user_id: Mapped[str | None] = mapped_column(String(200))
    user_aad_object_id: Mapped[str | None] = mapped_column(String(64))
    installed: Mapped[bool] = mapped_column(Boolean, default=True)
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="SET NULL"), index=True
    )
    network: Mapped[NetworkRow | None] = relationship(lazy="joined")


class InboundActivityRow(Base):
    """An inbound activity already handled: Teams may deliver the same activity twice."""

    __tablename__ = "inbound_activities"
    __table_args__ = (UniqueConstraint("conversation_id", "activity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(400))
    activity_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PreferenceRow(Base):
    """A Teams user's own choice of language, kept whether or not they are in a network."""

    __tablename__ = "preferences"
    teams_user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    language: Mapped[str] = mapped_column(String(5))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class RsvpRow(Base):
    """A person's current answer to a meeting."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"))
    answer: Mapped[str] = mapped_column(String(20))
    standing: Mapped[str] = mapped_column(String(20))
    dietary: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    person: Mapped[PersonRow] = relationship(lazy="joined")
    municipality: Mapped[MunicipalityRow] = relationship(lazy="joined")


class RsvpChangeRow(Base):
    """Every change to an answer: who, when, from what, to what."""

    __tablename__ = "rsvp_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    rsvp_id: Mapped[int] = mapped_column(ForeignKey("rsvps.id", ondelete="CASCADE"), index=True)
    changed_by: Mapped[str] = mapped_column(String(254))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    from_answer: Mapped[str | None] = mapped_column(String(20))
    to_answer: Mapped[str] = mapped_column(String(20))
    from_standing: Mapped[str | None] = mapped_column(String(20))
    to_standing: Mapped[str] = mapped_column(String(20))
    dietary: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")


class PostedCardRow(Base):
    """A card the bot posted and keeps up to date (one per kind, meeting and conversation)."""

    __tablename__ = "posted_cards"
    __table_args__ = (UniqueConstraint("kind", "meeting_id", "conversation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(String(400))
    activity_id: Mapped[str | None] = mapped_column(String(200))
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
