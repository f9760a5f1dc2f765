"""`netpuls selection propose` as a person runs it: a real process on a real database file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from services import membership
from services.networks import Actor, import_network
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.conftest import FixedClock
from tests.support import applications as ex
from tests.test_cli import netpuls

# Esbjerg 1+2, Randers 2, Kalundborg 1, Furesø 3, Brønderslev 3: with Randers fixed in, only
# Kalundborg plus Furesø or Brønderslev names each theme exactly once.
THEMES = ("1,2", "2", "1", "3", "3")


async def applications_in(db: Path) -> None:
    """Plan22+ with its call open and five newcomers applying, with overlapping themes."""
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    sessions = session_factory(engine)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    clock = FixedClock(ex.PLAN22_NOW)
    secretariat = Actor(teams_user_id="29:sek")
    try:
        await import_network(uow(), ex.plan22(date(2024, 2, 1)))
        async with uow() as unit:
            await unit.people.remember_teams_ids(
                ex.PLAN22_SECRETARIAT, teams_user_id="29:sek", aad_object_id=None
            )
            await unit.commit()
        await membership.open_call(uow(), clock, "a:x", secretariat, None, "2024-02-24")
        for i, ((name, region), themes) in enumerate(zip(ex.NEWCOMERS, THEMES, strict=True)):
            who = Actor(teams_user_id=f"29:{i}")
            data = ex.form(name, region, themes=themes)
            await membership.submit_application(uow(), clock, ex.PLAN22, who, data)
    finally:
        await engine.dispose()


async def test_propose_prints_the_choice_its_coverage_and_the_random_draws(tmp_path: Path) -> None:
    db = tmp_path / "netpuls.db"
    assert netpuls("db", "upgrade", db=db).returncode == 0
    await applications_in(db)
    args = ("selection", "propose", "--network", ex.PLAN22, "--seats", "3", "--fix-in", "Randers")
    first = netpuls(*args, db=db)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert out.startswith("Kompakte, grønne byer: 3 seats, 5 applications")
    assert "proposed (3):" in out and "not proposed (2):" in out
    assert "randers\tRanders Kommune\tRegion Midtjylland\tthemes 2 [fixed]" in out
    assert "kalundborg\tKalundborg Kommune" in out.split("not proposed")[0]
    assert "proposal:    themes 3/8, regions 3/5, imbalance 0 (themes)" in out
    assert "best of 1000 random draws:" in out and "worst of 1000 random draws:" in out
    assert netpuls(*args, db=db).stdout == out  # seeded draws: the same report every time


def test_propose_for_an_unknown_network_says_so(tmp_path: Path) -> None:
    db = tmp_path / "netpuls.db"
    assert netpuls("db", "upgrade", db=db).returncode == 0
    result = netpuls("selection", "propose", "--network", "atlantis", db=db)
    assert result.returncode == 1
    assert "There is no network called 'atlantis'. Known networks: -" in result.stderr
