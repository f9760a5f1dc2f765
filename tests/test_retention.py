"""The daily retention on an accelerated clock: a day passes per run, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.features.privacy.messages import retention_message
from scheduler.privacy_jobs import (
    RETENTION_HOUR_UTC,
    RetentionJobs,
    RetentionSettings,
    retention_job,
)
from services.retention import RETENTION, months_before
from tests.conftest import FixedClock
from tests.support.privacy import DIET, EMAIL, NAME, dump, seed
from tests.support.sparring import SLUG, personal_ref

FACILITATOR_CHAT = personal_ref("29:fac")
MEETING_1 = date(2024, 3, 14)
NETWORK_END = date(2026, 3, 31)


async def _with_facilitators_chat(uows: Any) -> None:
    async with uows() as uow:
        await uow.people.remember_teams_ids(
            "facilitator@example.org", teams_user_id="29:fac", aad_object_id=None
        )
        await uow.conversations.save(FACILITATOR_CHAT)
        await uow.commit()


async def _days(
    uows: Any, jobs: RetentionJobs, clock: FixedClock, first: date, last: date
) -> list[date]:
    """Run the daily job once per day from `first` to `last`; the days it changed something."""
    busy = []
    day = first
    while day <= last:
        clock.current = datetime(day.year, day.month, day.day, RETENTION_HOUR_UTC, tzinfo=UTC)
        await retention_job(jobs.worker)
        async with uows() as uow:
            changed = [e for e in await uow.audit.entries(SLUG) if e.at == clock.current]
        busy += [day] if changed else []
        day += timedelta(days=1)
    return busy


async def _reports(uows: Any) -> list[str]:
    async with uows() as uow:
        due = await uow.outbox.claim_due(datetime(2100, 1, 1, tzinfo=UTC), 60, 100)
    return [d.message.text for d in due if d.key.startswith(RETENTION)]


async def test_diet_goes_14_days_after_the_meeting_and_people_6_months_after_the_end(
    uow_factory: Any, engine: AsyncEngine
) -> None:
    await seed(uow_factory)
    await _with_facilitators_chat(uow_factory)
    clock = FixedClock(datetime(2024, 3, 1, tzinfo=UTC))
    jobs = RetentionJobs(uow_factory, clock, RetentionSettings(), retention_message)
    scheduler = AsyncIOScheduler(timezone="UTC")
    await jobs.start(scheduler)
    try:
        (job,) = scheduler.get_jobs()
        assert isinstance(job.trigger, CronTrigger)

        busy = await _days(uow_factory, jobs, clock, MEETING_1, MEETING_1 + timedelta(days=20))
        assert busy == [MEETING_1 + timedelta(days=14)]
        everything = await dump(engine)
        assert DIET.casefold() not in everything and EMAIL in everything

        end = months_before(NETWORK_END, -6)
        busy = await _days(
            uow_factory, jobs, clock, end - timedelta(days=5), end + timedelta(days=5)
        )
        assert busy == [end]
        everything = await dump(engine)
        assert EMAIL not in everything and NAME.casefold() not in everything
        assert "facilitator@example.org" in everything  # the organiser who is told stays
    finally:
        await jobs.stop()
    reports = await _reports(uow_factory)
    assert len(reports) == 2
    assert all("Kompakte, grønne byer" in r for r in reports)
    assert "1 kostbehov og bemærkninger slettet" in reports[0]
    assert "personer anonymiseret" in reports[1]
