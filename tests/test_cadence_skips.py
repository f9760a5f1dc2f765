"""Skipped steps are reported to the organisers once; `cadence move` refuses impossible times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.features.cadence.messages import skipped_step_notice
from scheduler.runner import CadenceRunner, RunnerSettings
from services import cadence
from services.networks import import_network
from services.ports import DeliveryRecord
from tests.conftest import FixedClock
from tests.fakes import FakeSender
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network
from tests.test_cadence import prepared, render

NET = "kompakte-groenne-byer"
ALL = ("pending", "claimed", "sending", "sent", "waiting", "failed", "blocked", "unconfirmed")


async def skip_notices(uow_factory: Any) -> list[DeliveryRecord]:
    async with uow_factory() as uow:
        return [d for d in await uow.outbox.listing(NET, ALL) if ":skipped|" in d.key]


async def test_missed_steps_at_start_up_are_reported_to_the_organisers_once_each(
    uow_factory: Any,
) -> None:
    await prepared(uow_factory)
    late = FixedClock(datetime(2024, 6, 10, 12, tzinfo=UTC))  # down since before meeting 2
    settings = RunnerSettings(grace=timedelta(hours=24))
    first = CadenceRunner(
        uow_factory, late, render, FakeSender(), settings, skipped=skipped_step_notice
    )
    await first.catch_up()
    second = CadenceRunner(
        uow_factory, late, render, FakeSender(), settings, skipped=skipped_step_notice
    )
    await second.catch_up()  # a restart, or a second replica: nothing is reported twice
    notices = await skip_notices(uow_factory)
    async with uow_factory() as uow:
        skipped = [
            s
            for s in await uow.cadence.upcoming(NET, datetime(2024, 1, 1, tzinfo=UTC), late.now())
            if s.status == "skipped"
        ]
    organisers = {d.conversation_id for d in notices}  # the facilitator's chat, and the
    assert "a:facilitator" in organisers and len(organisers) == 2  # secretariat's to open
    assert skipped and sorted(d.key for d in notices) == sorted(
        f"{s.key}:skipped|{chat}" for s in skipped for chat in organisers
    )
    follow_up = next(d for d in notices if d.key == f"{NET}:follow_up:m2:skipped|a:facilitator")
    text = follow_up.message.text
    assert "Opfølgning for møde 2 af Kompakte, grønne byer er sprunget over." in text
    assert "31. maj 2024" in text  # when it was due, and what to do about it
    assert "send det selv" in text


async def test_a_step_with_nobody_to_send_to_is_reported_with_what_to_do(uow_factory: Any) -> None:
    await prepared(uow_factory)
    due = datetime(2024, 5, 23, 7, tzinfo=UTC)  # 09:00 in Copenhagen: meeting 2's reminder
    await cadence.run_due(
        uow_factory, FixedClock(due), lambda _: [], "w", timedelta(hours=24), skipped_step_notice
    )
    (notice,) = [
        d
        for d in await skip_notices(uow_factory)
        if d.key == f"{NET}:rsvp_reminder:m2:skipped|a:facilitator"
    ]
    assert "ingen at sende det til" in notice.message.text
    assert "skriv tilknyt kompakte-groenne-byer i kanalen" in notice.message.text


PEOPLE = {"29:fac": "facilitator@example.org"}


@pytest.fixture
async def bot(start_bot: BotStarter, uow_factory: Any) -> Any:
    await import_network(uow_factory(), small_network())
    await cadence.sync_all(uow_factory)
    return await start_bot(PEOPLE)  # the clock says 1 March 2024, 12:00 UTC


@pytest.mark.parametrize(
    ("moved", "why"),
    [
        ("agenda 2 2024-02-01", "has passed: a step can only be moved to a time still to come"),
        ("agenda 2 2024-03-01 12:00", "has passed"),  # local time: an hour ago
        ("agenda 2 2024-05-30 11:00", "This step prepares meeting 2, which starts"),
        ("follow_up 2 2026-04-01", "is after Kompakte, grønne byer ends on"),
    ],
)
async def test_cadence_move_refuses_a_time_that_cannot_work_and_says_why(
    bot: Any, connector: Any, uow_factory: Any, moved: str, why: str
) -> None:
    fake, url = connector
    say = act.personal(url, user_id="29:fac", aad=None, name=PEOPLE["29:fac"])
    await bot.post("/api/messages", json=act.message(say, f"cadence move {moved}"))
    assert why in fake.texts()[-1]
    async with uow_factory() as uow:
        steps = await uow.cadence.upcoming(
            NET, datetime(2024, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        )
    key = f"{NET}:{moved.split()[0]}:m2"
    step = next(s for s in steps if s.key == key)
    assert step.due.date() != datetime.fromisoformat(moved.split()[2]).date()  # not moved
