"""Shared material: the table and its repository, searched with FTS5 or a PostgreSQL tsvector.

The full-text index is not in the models: migration 0014 creates it per database. SQLite gets an
external-content FTS5 table kept in sync by triggers (unicode61, no stemmer: SQLite has none for
Danish or Swedish), PostgreSQL a generated `search_vector` column with a GIN index that holds the
words twice, stemmed in the network's language and as written ('simple'). Both search every word
as a prefix ('grøn' finds 'grønne'), so the same query finds the same rows on both; PostgreSQL
also matches inflections the stemmer knows ('grønne' finds 'grøn').
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import Select

from domain.material import MAX_SEARCH_WORDS, Material, MaterialKind, search_words
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
    # The network's language when recorded: picks the stemmer of PostgreSQL's search_vector.
    language: Mapped[str] = mapped_column(String(5), server_default="")


# PostgreSQL's text-search dictionaries for the network languages (the rest: 'simple' only).
DICTIONARIES = {"da": "danish", "sv": "swedish", "en": "english"}
# Made by migration 0014 outside the models (see the module's docstring).
FTS_TABLE = "material_fts"
SEARCH_VECTOR = "search_vector"
SEARCH_INDEX = "ix_material_search_vector"
TITLE_WEIGHT = 5.0  # bm25's weight of a title hit against one elsewhere (PostgreSQL: 'A')


def in_models(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    """Alembic's include_object: leave out the search objects the models do not describe."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    return not (reflected and name in (SEARCH_VECTOR, SEARCH_INDEX))


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


Query = Select[tuple[MaterialRow, int]]


class SqlMaterialRepository:
    """Material rows as domain objects."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _query(self, slug: str) -> Query:
        # The meeting's number is None (outer join) for material that belongs to no meeting.
        return (
            select(MaterialRow, MeetingRow.number)
            .join(NetworkRow, NetworkRow.id == MaterialRow.network_id)
            .outerjoin(MeetingRow, MeetingRow.id == MaterialRow.meeting_id)
            .where(NetworkRow.slug == slug)
        )

    async def add(self, slug: str, material: Material) -> Material | None:
        """Record material; None when that file (same hash or drive item) is already recorded."""
        network = (
            await self._s.execute(
                select(NetworkRow.id, NetworkRow.language).where(NetworkRow.slug == slug)
            )
        ).first()
        if network is None:
            raise LookupError(f"no network {slug}")
        network_id, language = network
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
            language=language,
        )
        try:
            # A savepoint: a concurrent filing of the same file loses here, the unit goes on.
            async with self._s.begin_nested():
                self._s.add(row)
                await self._s.flush()
                await self._index(row)
        except IntegrityError:
            return None
        return _material(row, material.meeting_number if meeting_id else None)

    async def _index(self, row: MaterialRow) -> None:
        """SQLite: add the row to FTS5 (PostgreSQL's generated column needs nothing)."""
        if self._s.bind.dialect.name != "sqlite":
            return
        # Not a trigger: an insert trigger makes SQLite read the FTS5 table before the insert
        # takes the write lock, and concurrent filings then fail with 'database is locked'.
        await self._s.execute(
            text(
                f"INSERT INTO {FTS_TABLE}(rowid, title, search_text) VALUES (:id, :title, :words)"
            ),
            {"id": row.id, "title": row.title, "words": row.search_text},
        )

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

    async def link(self, slug: str, url: str, meeting: int | None) -> Material | None:
        """The link already recorded for this meeting (or for no meeting), if any."""
        same = (
            MeetingRow.number == meeting
            if meeting is not None
            else MaterialRow.meeting_id.is_(None)
        )
        query = self._query(slug).where(MaterialRow.url == url, same).limit(1)
        found = (await self._s.execute(query)).first()
        return _material(found[0], found[1]) if found else None

    async def get(self, slug: str, material_id: int) -> Material | None:
        """One item of the network's material."""
        found = (
            await self._s.execute(self._query(slug).where(MaterialRow.id == material_id))
        ).first()
        return _material(found[0], found[1]) if found else None

    async def reassign(
        self,
        slug: str,
        material_id: int,
        *,
        meeting: int | None,
        themes: tuple[str, ...],
        url: str,
    ) -> Material | None:
        """Give an item another meeting, themes and address (after a move); None if unknown."""
        found = (
            await self._s.execute(self._query(slug).where(MaterialRow.id == material_id))
        ).first()
        if found is None:
            return None
        row: MaterialRow = found[0]
        meeting_id = None
        if meeting is not None:
            meeting_id = await self._s.scalar(
                select(MeetingRow.id).where(
                    MeetingRow.network_id == row.network_id, MeetingRow.number == meeting
                )
            )
        row.meeting_id, row.themes, row.url = meeting_id, list(themes), url
        changed = _material(row, meeting if meeting_id else None)
        row.search_text = changed.search_text()  # the FTS5 update trigger follows it
        await self._s.flush()
        return changed

    async def search(
        self, slug: str, *, meeting: int | None, words: Sequence[str], limit: int
    ) -> list[Material]:
        """Material of a meeting (or all) holding every word as a prefix; best matches first.

        Without words, newest first. Ties in rank are broken by the newest.
        """
        query = self._query(slug)
        if meeting is not None:
            query = query.where(MeetingRow.number == meeting)
        terms = [t for w in words for t in search_words(w, limit=None)][:MAX_SEARCH_WORDS]
        newest = (MaterialRow.shared_at.desc(), MaterialRow.id.desc())
        if not terms:
            query = query.order_by(*newest)
        elif self._s.bind.dialect.name == "postgresql":
            query, best = await self._postgres(query, slug, terms)
            query = query.order_by(best, *newest)
        else:
            query, best = self._sqlite(query, terms)
            query = query.order_by(best, *newest)
        return [_material(row, number) for row, number in await self._s.execute(query.limit(limit))]

    def _sqlite(self, query: Query, terms: list[str]) -> tuple[Query, ColumnElement[Any]]:
        # Terms are letters and digits only; quoted and starred they are FTS5 prefix phrases,
        # and FTS5 joins them with AND.
        match = " ".join(f'"{t}"*' for t in terms)
        hits = (
            text(
                f"SELECT rowid AS id, bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS rank "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match"
            )
            .bindparams(match=match)
            .columns(id=Integer, rank=Float)
            .subquery("hits")
        )
        # bm25 is lower for better matches.
        return query.join(hits, hits.c.id == MaterialRow.id), hits.c.rank.asc()

    async def _postgres(
        self, query: Query, slug: str, terms: list[str]
    ) -> tuple[Query, ColumnElement[Any]]:
        language = await self._s.scalar(select(NetworkRow.language).where(NetworkRow.slug == slug))
        dictionary = DICTIONARIES.get(language or "", "simple")
        wanted: ColumnElement[Any] | None = None
        for term in terms:
            # Either arm may match: stemmed in the network's language, or as written.
            either = func.to_tsquery(cast("simple", REGCONFIG), f"{term}:*").op("||")(
                func.to_tsquery(cast(dictionary, REGCONFIG), f"{term}:*")
            )
            wanted = either if wanted is None else wanted.op("&&")(either)
        assert wanted is not None
        vector: ColumnElement[Any] = literal_column(f"material.{SEARCH_VECTOR}")
        return query.where(vector.op("@@")(wanted)), func.ts_rank(vector, wanted).desc()
