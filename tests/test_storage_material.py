"""Material storage on SQLite and PostgreSQL: one record per file, search by meeting and text."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.material import Material, MaterialKind
from services.networks import import_network
from tests.support.networks import small_network

SLUG = "kompakte-groenne-byer"
AT = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
FILE = Material(
    title="Baggrundsnotat om fortætning",
    kind=MaterialKind.FILE,
    url="https://contoso.sharepoint.com/sites/n/General/netpuls/notat.pdf",
    shared_by="planner.odense@example.org",
    shared_by_name="Planlægger Odense",
    shared_at=AT,
    meeting_number=2,
    themes=("Grøn", "klima"),
    file_name="notat.pdf",
    size=1234,
    sha256="a" * 64,
    drive_id="b!drive",
    drive_item_id="01ITEM",
)
LINK = Material(
    title="ØKONOMI_100% grøn by",
    kind=MaterialKind.LINK,
    url="https://example.org/rapport",
    shared_by="facilitator@example.org",
    shared_by_name="Netværksfacilitator",
    shared_at=AT + timedelta(days=1),
    meeting_number=1,
)


async def add(uow_factory: Any, material: Material) -> Material | None:
    async with uow_factory() as uow:
        saved: Material | None = await uow.material.add(SLUG, material)
        await uow.commit()
    return saved


async def test_material_is_stored_with_its_meeting_and_read_back(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    saved = await add(uow_factory, FILE)
    assert saved is not None and saved.id is not None
    async with uow_factory() as uow:
        (found,) = await uow.material.search(SLUG, meeting=2, words=(), limit=10)
    assert dataclasses.replace(found, id=None) == FILE


async def test_the_same_file_is_recorded_once_by_hash_or_drive_item(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    assert await add(uow_factory, FILE) is not None
    assert await add(uow_factory, dataclasses.replace(FILE, drive_item_id="01OTHER")) is None
    assert await add(uow_factory, dataclasses.replace(FILE, sha256="b" * 64)) is None
    async with uow_factory() as uow:
        by_hash = await uow.material.duplicate(SLUG, sha256="a" * 64)
        by_item = await uow.material.duplicate(SLUG, drive_item_id="01ITEM")
        none = await uow.material.duplicate(SLUG, sha256="c" * 64)
        everything = await uow.material.search(SLUG, meeting=None, words=(), limit=10)
    assert by_hash == by_item and by_hash is not None and none is None
    assert len(everything) == 1


async def test_concurrent_filings_of_one_file_leave_one_record(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    results = await asyncio.gather(*(add(uow_factory, FILE) for _ in range(8)))
    assert sum(r is not None for r in results) == 1


async def test_search_matches_every_word_without_case_in_any_language(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    await add(uow_factory, FILE)
    await add(uow_factory, LINK)

    async def titles(meeting: int | None, *words: str) -> list[str]:
        async with uow_factory() as uow:
            found = await uow.material.search(SLUG, meeting=meeting, words=words, limit=10)
        return [m.title for m in found]

    assert await titles(None) == [LINK.title, FILE.title]
    assert sorted(await titles(None, "GRØN")) == sorted([LINK.title, FILE.title])
    assert await titles(None, "grøn", "notat") == [FILE.title]
    assert await titles(None, "økonomi") == [LINK.title]
    assert await titles(1) == [LINK.title]
    assert await titles(None, "100%") == [LINK.title]
    assert await titles(2, "rapport") == []
    assert await titles(None, "klima", "fremtid") == []


async def test_words_match_as_prefixes_on_both_databases(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    await add(uow_factory, dataclasses.replace(FILE, title="Grønne byer og fortætning"))

    async def hits(*words: str) -> int:
        async with uow_factory() as uow:
            return len(await uow.material.search(SLUG, meeting=None, words=words, limit=10))

    # A word is a prefix: the beginning of an inflected word finds it, on SQLite and PostgreSQL.
    assert await hits("grøn") == 1
    assert await hits("fortæt") == 1
    assert await hits("BYER") == 1
    assert await hits("odense") == 1  # who shared it
    assert await hits("notat", "pdf") == 1  # the file name
    assert await hits("contoso") == 1  # the address
    assert await hits("rønne") == 0  # inside a word is not a match


async def test_a_title_match_ranks_above_a_match_elsewhere(uow_factory: Any) -> None:
    await import_network(uow_factory(), small_network())
    older_title_hit = dataclasses.replace(
        LINK, title="Klimatilpasning i byerne", url="https://example.org/a", shared_at=AT
    )
    newer_name_hit = dataclasses.replace(
        LINK,
        title="Mødereferat",
        url="https://example.org/klimatilpasning",
        shared_at=AT + timedelta(days=3),
    )
    await add(uow_factory, older_title_hit)
    await add(uow_factory, newer_name_hit)
    async with uow_factory() as uow:
        ranked = await uow.material.search(SLUG, meeting=None, words=("klima",), limit=10)
        newest = await uow.material.search(SLUG, meeting=None, words=(), limit=10)
    assert [m.title for m in ranked] == ["Klimatilpasning i byerne", "Mødereferat"]
    assert [m.title for m in newest] == ["Mødereferat", "Klimatilpasning i byerne"]


async def test_postgres_also_finds_inflections_with_the_networks_stemmer(
    uow_factory: Any, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no Danish stemmer; prefixes are the common ground")
    await import_network(uow_factory(), small_network())
    await add(uow_factory, dataclasses.replace(FILE, title="Grøn omstilling"))
    async with uow_factory() as uow:
        found = await uow.material.search(SLUG, meeting=None, words=("grønne",), limit=10)
    assert [m.title for m in found] == ["Grøn omstilling"]


async def test_the_index_follows_changes_and_deletions(uow_factory: Any) -> None:
    from sqlalchemy import delete, update

    from storage.material import MaterialRow

    await import_network(uow_factory(), small_network())
    saved = await add(uow_factory, FILE)
    assert saved is not None
    async with uow_factory() as uow:
        await uow._session.execute(
            update(MaterialRow)
            .where(MaterialRow.id == saved.id)
            .values(title="Mobilitet", search_text="mobilitet")
        )
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.material.search(SLUG, meeting=None, words=("notat",), limit=5) == []
        (moved,) = await uow.material.search(SLUG, meeting=None, words=("mobil",), limit=5)
        await uow._session.execute(delete(MaterialRow).where(MaterialRow.id == saved.id))
        await uow.commit()
    assert moved.title == "Mobilitet"
    async with uow_factory() as uow:
        assert await uow.material.search(SLUG, meeting=None, words=("mobil",), limit=5) == []
