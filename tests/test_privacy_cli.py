"""`netpuls privacy` as the secretariat runs it: a real process on a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.support.privacy import DIET, EMAIL, NAME, dump, seed
from tests.support.sparring import SLUG
from tests.test_cli import netpuls


@pytest.fixture
async def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "netpuls.db"
    assert netpuls("db", "upgrade", db=path).returncode == 0
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        sessions = session_factory(engine)
        await seed(lambda: SqlUnitOfWork(sessions))
    finally:
        await engine.dispose()
    return path


async def _dump(path: Path) -> str:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        return await dump(engine)
    finally:
        await engine.dispose()


async def test_export_writes_the_persons_rows_as_json(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    done = netpuls("privacy", "export", "--email", EMAIL, "--out", str(out), db=seeded)
    assert done.returncode == 0, done.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [r["dietary"] for r in document["tables"]["rsvps"]] == [DIET]


async def test_export_of_someone_unknown_fails_with_a_message(seeded: Path) -> None:
    done = netpuls("privacy", "export", "--email", "nobody@example.org", db=seeded)
    assert done.returncode == 1
    assert "holds nothing" in done.stderr


async def test_erase_needs_yes_and_then_leaves_no_trace(seeded: Path) -> None:
    before = await _dump(seeded)
    refused = netpuls("privacy", "erase", "--email", EMAIL, db=seeded)
    assert refused.returncode == 2
    assert await _dump(seeded) == before
    done = netpuls("privacy", "erase", "--email", EMAIL, "--yes", db=seeded)
    assert done.returncode == 0, done.stderr
    after = await _dump(seeded)
    assert EMAIL not in after and NAME.casefold() not in after


async def test_a_municipality_leaving_is_erased_from_the_command_line(seeded: Path) -> None:
    done = netpuls(
        "privacy",
        "erase-municipality",
        "--network",
        SLUG,
        "--municipality",
        "koege",
        "--yes",
        db=seeded,
    )
    assert done.returncode == 0, done.stderr
    assert "planner.koege@example.org" not in await _dump(seeded)


async def test_retention_dry_run_changes_nothing_and_the_real_run_anonymises(
    seeded: Path,
) -> None:
    # The network ended on 2026-03-31: six months later its people are anonymised.
    before = await _dump(seeded)
    dry = netpuls("privacy", "retention", "--dry-run", db=seeded)
    assert dry.returncode == 0, dry.stderr
    assert f"{SLUG}: would change" in dry.stdout
    assert await _dump(seeded) == before
    done = netpuls("privacy", "retention", db=seeded)
    assert done.returncode == 0, done.stderr
    assert f"{SLUG}: changed" in done.stdout
    assert EMAIL not in await _dump(seeded)
