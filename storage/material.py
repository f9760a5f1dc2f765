"""Shared material: the table and its repository (a LIKE search over a folded search text)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import Select

from domain.material import Material, MaterialKind
from storage.models import Base, MeetingRow, NetworkRow


class MaterialRow(Base):
    """A file or link shared with a network, for a meeting; one record per file per network."""

    __tablename__ = "material"
    # Constraint names follow the first column: uq_material_sha256, uq_material_drive_item_id.
    __table_args__ = (
        UniqueConstraint("sha256", "network_id"),
        UniqueConstraint("drive_item_id", "network_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000))
    themes: Mapped[list[Any]] = mapped_column(default=list)
    shared_by: Mapped[str] = mapped_column(String(254))
    shared_by_name: Mapped[str] = mapped_column(String(200))
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    drive_id: Mapped[str | None] = mapped_column(String(200))
    drive_item_id: Mapped[str | None] = mapped_column(String(200))
    search_text: Mapped[str] = mapped_column(Text)


def _material(row: MaterialRow, number: int | None) -> Material:
    return Material(
        title=row.title,
        kind=MaterialKind(row.kind),
        url=row.url,
        shared_by=row.shared_by,
        shared_by_name=row.shared_by_name,
        # SQLite hands back naive datetimes for timezone-aware columns: they are UTC.
        shared_at=row.shared_at if row.shared_at.tzinfo else row.shared_at.replace(tzinfo=UTC),
        meeting_number=number,
        themes=tuple(str(t) for t in row.themes),
        file_name=row.file_name,
        size=row.size,
        sha256=row.sha256,
        drive_id=row.drive_id,
        drive_item_id=row.drive_item_id,
        id=row.id,
    )


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlMaterialRepository:
    """Material rows as domain objects."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _query(self, slug: str) -> Select[tuple[MaterialRow, int]]:
        # The meeting's number is None (outer join) for material that belongs to no meeting.
        return (
            select(MaterialRow, MeetingRow.number)
            .join(NetworkRow, NetworkRow.id == MaterialRow.network_id)
            .outerjoin(MeetingRow, MeetingRow.id == MaterialRow.meeting_id)
            .where(NetworkRow.slug == slug)
        )

    async def add(self, slug: str, material: Material) -> Material | None:
        """Record material; None when that file (same hash or drive item) is already recorded."""
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        if network_id is None:
            raise LookupError(f"no network {slug}")
        meeting_id = None
        if material.meeting_number is not None:
            meeting_id = await self._s.scalar(
                select(MeetingRow.id).where(
                    MeetingRow.network_id == network_id,
                    MeetingRow.number == material.meeting_number,
                )
            )
        row = MaterialRow(
            network_id=network_id,
            meeting_id=meeting_id,
            kind=material.kind.value,
            title=material.title,
            url=material.url,
            themes=list(material.themes),
            shared_by=material.shared_by,
            shared_by_name=material.shared_by_name,
            shared_at=material.shared_at.astimezone(UTC),
            file_name=material.file_name,
            size=material.size,
            sha256=material.sha256,
            drive_id=material.drive_id,
            drive_item_id=material.drive_item_id,
            search_text=material.search_text(),
        )
        try:
            # A savepoint: a concurrent filing of the same file loses here, the unit goes on.
            async with self._s.begin_nested():
                self._s.add(row)
        except IntegrityError:
            return None
        return _material(row, material.meeting_number if meeting_id else None)

    async def duplicate(
        self,
        slug: str,
        *,
        sha256: str | None = None,
        drive_item_id: str | None = None,
        url: str | None = None,
    ) -> Material | None:
        """Material already recorded with the same hash, drive item or link."""
        checks = [
            column == value
            for column, value in (
                (MaterialRow.sha256, sha256),
                (MaterialRow.drive_item_id, drive_item_id),
                (MaterialRow.url, url),
            )
            if value
        ]
        for check in checks:
            found = (await self._s.execute(self._query(slug).where(check).limit(1))).first()
            if found is not None:
                return _material(found[0], found[1])
        return None

    async def search(
        self, slug: str, *, meeting: int | None, words: Sequence[str], limit: int
    ) -> list[Material]:
        """Newest first: material of a meeting (or all) whose text holds every word."""
        query = self._query(slug)
        if meeting is not None:
            query = query.where(MeetingRow.number == meeting)
        for word in words:
            pattern = f"%{_escaped(word.casefold())}%"
            query = query.where(MaterialRow.search_text.like(pattern, escape="\\"))
        query = query.order_by(MaterialRow.shared_at.desc(), MaterialRow.id.desc()).limit(limit)
        return [_material(row, number) for row, number in await self._s.execute(query)]
