"""Skipped steps are told to the organisers in one notice per network and run, exactly once;
`cadence move` refuses impossible times."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.features.cadence.messages import SKIPPED_SHOWN, skipped_steps_notice
from scheduler.runner import CadenceRunner, RunnerSettings
from services import cadence
from services.cadence_skips import report_skipped
from services.networks import import_network
from services.ports import DeliveryRecord
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork
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


async def skipped_steps(uow_factory: Any, until: datetime) -> list[str]:
    async with uow_factory() as uow:
        steps = await uow.cadence.upcoming(NET, datetime(2024, 1, 1, tzinfo=UTC), until)
    return [s.key for s in steps if s.status == "skipped"]


def runner(uow_factory: Any, clock: FixedClock) -> CadenceRunner:
    settings = RunnerSettings(grace=timedelta(hours=24))
    return CadenceRunner(
        uow_factory, clock, render, FakeSender(), settings, skipped=skipped_steps_notice
    )


LATE = datetime(2024, 10, 10, 12, tzinfo=UTC)  # imported long after its first steps were due


async def test_a_network_imported_late_gives_each_organiser_one_notice_of_its_missed_steps(
    uow_factory: Any,
) -> None:
    await prepared(uow_factory)
    late = FixedClock(LATE)
    await runner(uow_factory, late).catch_up()
    await runner(uow_factory, late).catch_up()  # a restart: nothing is told twice
    notices = await skip_notices(uow_factory)
    skipped = await skipped_steps(uow_factory, LATE)
    assert len(skipped) > SKIPPED_SHOWN + 10
    organisers = {d.conversation_id for d in notices}  # the facilitator's chat, and the
    assert "a:facilitator" in organisers and len(organisers) == 2  # secretariat's to open
    assert sorted(d.key for d in notices) == sorted(
        f"{skipped[0]}:skipped|{chat}" for chat in organisers
    )
    text = next(d for d in notices if d.conversation_id == "a:facilitator").message.text
    assert text.startswith("Trin i Kompakte, grønne byer, der er sprunget over:")
    assert text.count("\n- ") == SKIPPED_SHOWN  # the first few, then how many more
    assert f"... og {len(skipped) - SKIPPED_SHOWN} mere: skriv kadence for at se dem." in text
    assert "før netværket blev importeret" in text and "send det selv" in text


async def test_two_replicas_catching_up_at_once_tell_each_organiser_once(
    uow_factory: Any,
) -> None:
    await prepared(uow_factory)
    late = FixedClock(LATE)
    await asyncio.gather(runner(uow_factory, late).catch_up(), runner(uow_factory, late).catch_up())
    notices = await skip_notices(uow_factory)
    skipped = await skipped_steps(uow_factory, LATE)
    assert len(notices) == 2 and {d.key.split("|")[0] for d in notices} == {f"{skipped[0]}:skipped"}


async def test_a_replica_waits_to_tell_until_the_other_has_finished_its_step(
    uow_factory: Any, database_url: str
) -> None:
    await prepared(uow_factory)
    clock = FixedClock(LATE)
    await cadence.run_due(uow_factory, clock, render, "a", timedelta(hours=24))
    async with uow_factory() as uow:
        nxt = (await uow.cadence.upcoming(NET, LATE, LATE + timedelta(days=60)))[0]
    clock.current = nxt.due + timedelta(minutes=1)
    replica_b = create_engine(database_url)  # its own connections, as another process has
    try:
        async with SqlUnitOfWork(session_factory(replica_b)) as other:
            assert await other.cadence.claim(nxt.key, "b")  # mid-step, not yet committed
            assert await report_skipped(uow_factory, clock, skipped_steps_notice) == 0
            await other.cadence.finish(nxt.key, "skipped", "missed: late", clock.now())
            await other.commit()
    finally:
        await replica_b.dispose()
    assert await report_skipped(uow_factory, clock, skipped_steps_notice) == 2
    assert await report_skipped(uow_factory, clock, skipped_steps_notice) == 0
    notices = await skip_notices(uow_factory)
    more = len(await skipped_steps(uow_factory, clock.now())) - SKIPPED_SHOWN  # b's step too
    assert len(notices) == 2 and all(f"... og {more} mere" in d.message.text for d in notices)


async def test_a_step_missed_later_is_told_in_one_more_notice(uow_factory: Any) -> None:
    await prepared(uow_factory)
    clock = FixedClock(LATE)
    await runner(uow_factory, clock).catch_up()
    async with uow_factory() as uow:
        upcoming = await uow.cadence.upcoming(NET, LATE, datetime(2027, 1, 1, tzinfo=UTC))
    nxt, after = upcoming[0], upcoming[1]
    clock.current = nxt.due + timedelta(hours=25)  # the bot was down when it was due
    assert after.due > clock.current
    await runner(uow_factory, clock).run_steps()
    notices = await skip_notices(uow_factory)
    later = [d for d in notices if d.key.startswith(f"{nxt.key}:skipped|")]
    assert len(notices) == 4 and len(later) == 2
    text = later[0].message.text
    assert text.count("\n- ") == 1 and "mere: skriv kadence" not in text


async def test_a_step_with_nobody_to_send_to_is_reported_with_what_to_do(uow_factory: Any) -> None:
    await prepared(uow_factory)
    clock = FixedClock(datetime(2024, 5, 23, 7, tzinfo=UTC))  # meeting 2's reminder is due
    await cadence.run_due(uow_factory, clock, lambda _: [], "w", timedelta(hours=24))
    await report_skipped(uow_factory, clock, skipped_steps_notice)
    (notice,) = [d for d in await skip_notices(uow_factory) if d.conversation_id == "a:facilitator"]
    assert "Ingen at sende det til: knyt netværket til dets kanal" in notice.message.text
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
