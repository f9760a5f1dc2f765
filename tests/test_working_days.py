"""Dates a planner can trust: warnings at import, cadence steps on working days only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.cadence import StepKind, plan
from domain.model import rsvp_deadline
from domain.phases import phase_steps
from domain.workdays import is_working_day
from services.network_file import NetworkFileError, load_network_file, parse_network_file
from services.networks import import_network
from services.workdays import days_off
from tests.support.networks import SMALL
from tests.test_cli import db, netpuls  # noqa: F401  (the fixture and the real command)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PLAN22 = EXAMPLES / "plan22-kompakte-groenne-byer.yaml"
SKL = EXAMPLES / "skl-medborgardialog.yaml"
DEMO = EXAMPLES / "demo.yaml"
DEV_SCRIPT = EXAMPLES.parent / "scripts" / "dev.sh"


def test_importing_plan22_warns_that_the_thursday_it_announces_is_a_sunday(
    db: Path,  # noqa: F811
) -> None:
    result = netpuls("network", "import", str(PLAN22), db=db)
    assert result.returncode == 0 and "created" in result.stdout
    line = PLAN22.read_text(encoding="utf-8").splitlines().index("    date: 2024-09-15") + 1
    assert (
        f"{PLAN22}:{line}: meetings[2].date: meeting 3: 2024-09-15 is a Sunday (søndag), "
        "but the file says 'torsdag'; a weekend day"
    ) in result.stderr


def test_a_meeting_on_a_public_holiday_is_named_and_still_imported() -> None:
    text = SMALL.replace("date: 2024-05-30", "date: 2024-12-26")
    declared = parse_network_file(text, name="n.yaml", today=date(2024, 3, 1))
    assert any(
        "2024-12-26 is a Thursday (torsdag), a public holiday in DK" in w for w in declared.warnings
    )
    assert date(2024, 12, 26) in {m.day for m in declared.meetings}


def test_a_weekday_that_matches_its_date_gives_no_warning() -> None:
    text = SMALL.replace("date: 2024-05-30", "date: 2024-05-30\n    weekday: Torsdag")
    declared = parse_network_file(text, name="n.yaml", today=date(2024, 3, 1))
    assert not [w for w in declared.warnings if "2024-05-30" in w]


def test_a_weekday_that_names_no_day_is_refused_at_its_line() -> None:
    text = SMALL.replace("date: 2024-05-30", "date: 2024-05-30\n    weekday: tors")
    with pytest.raises(NetworkFileError) as caught:
        parse_network_file(text, name="n.yaml", today=date(2024, 3, 1))
    assert caught.value.field == "meetings[1].weekday" and "mandag" in caught.value.message


def test_an_unknown_country_is_refused() -> None:
    text = SMALL.replace(
        "  timezone: Europe/Copenhagen", "  timezone: Europe/Copenhagen\n  country: XQ"
    )
    with pytest.raises(NetworkFileError, match="country"):
        parse_network_file(text, name="n.yaml", today=date(2024, 3, 1))


@pytest.mark.parametrize(("path", "country"), [(PLAN22, "DK"), (SKL, "SE")], ids=["plan22", "skl"])
def test_no_step_of_a_seed_network_falls_on_a_weekend_or_public_holiday(
    path: Path, country: str
) -> None:
    declared = load_network_file(path, today=date(2024, 3, 1))
    assert declared.network.cadence.country == country
    steps = plan(declared.network, list(declared.meetings))
    steps += phase_steps(declared.network, declared.phases)
    assert steps
    holidays = days_off(country, date(2015, 1, 1), date(2027, 12, 31))
    assert date(2016, 12, 25) in holidays and date(2024, 12, 24) in holidays
    off = [(s.key, s.due.date()) for s in steps if not is_working_day(s.due.date(), holidays)]
    assert off == []


def test_the_demo_rsvp_deadline_is_not_on_christmas_day() -> None:
    # Imported on 6 December 2026, the first meeting to come is on 27 December: its deadline
    # two days before would be Christmas Day; Christmas Eve is a day off too.
    today = date(2026, 12, 6)
    declared = load_network_file(DEMO, today=today)
    first = next(m for m in declared.meetings if m.day > today)  # the demo's first to come
    deadline = rsvp_deadline(first, declared.network).date()
    assert deadline == date(2026, 12, 23)
    close = next(s for s in plan(declared.network, [first]) if s.kind is StepKind.RSVP_CLOSE)
    assert close.due.date() == deadline


def test_a_follow_up_on_a_holiday_moves_after_the_meeting_not_before() -> None:
    # A meeting on Wednesday 8 May 2024: the day after is Ascension Day, so the follow-up
    # runs on Friday 10 May rather than before the meeting.
    text = SMALL.replace("date: 2024-05-30", "date: 2024-05-08")
    declared = parse_network_file(text, name="n.yaml", today=date(2024, 3, 1))
    meeting = next(m for m in declared.meetings if m.day == date(2024, 5, 8))
    follow = next(s for s in plan(declared.network, [meeting]) if s.kind is StepKind.FOLLOW_UP)
    assert follow.due.date() == date(2024, 5, 10)


@pytest.mark.parametrize(
    ("setting", "reminder"), [("true", date(2024, 5, 17)), ("false", date(2024, 5, 20))]
)
def test_working_days_only_moves_a_step_off_a_holiday_unless_switched_off(
    setting: str, reminder: date
) -> None:
    # A meeting on Monday 27 May 2024: a week before is Whit Monday.
    text = SMALL.replace("date: 2024-05-30", "date: 2024-05-27").replace(
        "  timezone: Europe/Copenhagen",
        f"  timezone: Europe/Copenhagen\n  cadence:\n    working_days_only: {setting}",
    )
    declared = parse_network_file(text, name="n.yaml", today=date(2024, 3, 1))
    meeting = next(m for m in declared.meetings if m.day == date(2024, 5, 27))
    days = {s.kind: s.due.date() for s in plan(declared.network, [meeting])}
    assert days[StepKind.RSVP_REMINDER] == reminder


async def test_a_stored_network_plans_on_the_same_working_days_as_its_file(
    uow_factory: Any,
) -> None:
    declared = load_network_file(PLAN22, today=date(2024, 3, 1))
    await import_network(uow_factory(), declared)
    async with uow_factory() as uow:
        stored = await uow.networks.get(declared.network.slug)
        meetings = await uow.networks.meetings(declared.network.slug)
    assert stored is not None and stored.cadence.country == "DK"
    assert stored.cadence.working_days_only and stored.cadence.days_off
    from_file = plan(declared.network, list(declared.meetings))
    assert [(s.key, s.due) for s in plan(stored, meetings)] == [(s.key, s.due) for s in from_file]


def test_the_demo_imported_at_a_weekend_still_posts_its_agenda_within_the_demos_grace() -> None:
    # The agenda due on a Saturday import moves to the Friday before; `make run` gives the demo
    # four days of grace (scripts/dev.sh), so it runs at once instead of being skipped as missed.
    saturday = date(2026, 12, 12)
    declared = load_network_file(DEMO, today=saturday)
    coming = next(m for m in declared.meetings if m.day > saturday)
    agenda = next(s for s in plan(declared.network, [coming]) if s.kind is StepKind.AGENDA)
    assert agenda.due.date() == date(2026, 12, 11)
    sunday_night = datetime.combine(date(2026, 12, 13), time(23, 59), declared.network.zone)
    assert sunday_night - agenda.due < timedelta(hours=96)
    assert 'CADENCE_GRACE_HOURS="${CADENCE_GRACE_HOURS:-96}"' in DEV_SCRIPT.read_text()
