"""The cadence preview (card and command) tells past from coming and lists the meetings."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from services import cadence
from services.cadence_preview import timeline
from services.networks import import_network
from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.networks import SMALL, small_network
from tests.test_cli import db, netpuls  # noqa: F401  (the fixture and the real command)

SLUG = "kompakte-groenne-byer"
AFTER_FIRST = datetime(2024, 3, 20, 12, 0, tzinfo=UTC)  # meeting 1 was on 14 March


async def test_steps_that_waited_past_their_time_show_as_past_and_meetings_are_listed(
    uow_factory: Any,
) -> None:
    await import_network(uow_factory(), small_network())
    await cadence.sync_all(uow_factory)
    low, high = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 7, 1, tzinfo=UTC)
    _, rows = await timeline(uow_factory(), SLUG, low, high, AFTER_FIRST)
    meetings = [(r.meeting, r.status) for r in rows if r.is_meeting]
    assert meetings == [(1, "past"), (2, "planned")]
    before = [r for r in rows if not r.is_meeting and r.due < AFTER_FIRST]
    after = [r for r in rows if not r.is_meeting and r.due > AFTER_FIRST]
    assert before and {r.status for r in before} == {"past"}
    assert after and {r.status for r in after} == {"planned"}
    first = next(i for i, r in enumerate(rows) if r.is_meeting)
    assert rows[first - 1].kind == "practical_info" and rows[first + 1].kind == "follow_up"


async def test_the_cadence_card_shows_the_last_weeks_steps_as_past_and_each_meeting(
    start_bot: BotStarter, uow_factory: Any, connector: Any
) -> None:
    await import_network(uow_factory(), small_network())
    await cadence.sync_all(uow_factory)
    clock = FixedClock(datetime(2024, 3, 13, 12, 0, tzinfo=UTC))  # the day before meeting 1
    fake, url = connector
    bot = await start_bot({"29:fac": "facilitator@example.org"}, clock=clock)
    talk = act.personal(url, user_id="29:fac", aad=None, name="facilitator@example.org")
    await bot.post("/api/messages", json=act.message(talk, "cadence"))
    card = str(fake.sent[-1].activity["attachments"][0]["content"])
    assert "'Practical information · meeting 1 (past)'" in card  # 09:00, three hours ago
    assert "'value': 'Meeting 1'" in card and "'value': 'Meeting 2'" in card
    assert "'Follow-up · meeting 1'" in card  # still to come


def test_the_cli_preview_marks_past_steps_and_prints_the_meetings(
    db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    file = tmp_path / "small.yaml"
    file.write_text(SMALL, encoding="utf-8")
    assert netpuls("network", "import", str(file), db=db).returncode == 0
    result = netpuls("cadence", "preview", "--json", "--to", "2024-07-01", db=db)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and {r["status"] for r in rows} == {"past"}  # 2024 is over
    assert [r["meeting"] for r in rows if r["is_meeting"]] == [1, 2]
    day = datetime.fromisoformat(next(r["due"] for r in rows if r["is_meeting"]))
    assert day.date() == date(2024, 3, 14) and day.hour == 10
