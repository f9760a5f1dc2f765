"""APScheduler wrapped for the app's lifetime: steps and the outbox on timers, state in the DB."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services import cadence, cadence_skips, declared_calls, outbox
from services.cadence import Renderer
from services.digest import DigestWork
from services.pairs import PairWork
from services.ports import Clock, Sender, UnitOfWorkFactory
from services.reach import Reach

log = logging.getLogger(__name__)
_RUNNERS: dict[str, CadenceRunner] = {}
OUTBOX_PASSES = 200  # a 1,000-recipient fan-out in batches of 50, with room for retries
# Due steps come a page at a time (storage: 100): at 09:00, 200 networks' agendas are due at
# once, and the second page must not wait for the next poll a minute later. Bounded.
STEP_PASSES = 50


@dataclass(frozen=True, slots=True)
class RunnerSettings:
    """How often the timers fire and how late a missed step may still run."""

    grace: timedelta = timedelta(hours=24)
    step_poll_seconds: float = 60.0
    outbox_poll_seconds: float = 5.0
    resync_seconds: float = 600.0
    reminder_seconds: float = 3600.0
    max_attempts: int = 6


async def step_job(runner_id: str) -> None:
    """Run the due steps (a module-level job taking an id, as APScheduler prefers)."""
    await _RUNNERS[runner_id].run_steps()


async def outbox_job(runner_id: str) -> None:
    """Deliver what the outbox holds."""
    await _RUNNERS[runner_id].run_outbox()


async def reminder_job(runner_id: str) -> None:
    """Remind organisers of summaries not yet posted."""
    await _RUNNERS[runner_id].remind()


async def pairs_job(runner_id: str) -> None:
    """Make due rounds of sparring pairs and ask whether the pairs met."""
    await _RUNNERS[runner_id].run_pairs()


async def digest_job(runner_id: str) -> None:
    """Post the weekly or monthly digest of every network whose digest is due."""
    await _RUNNERS[runner_id].run_digest()


async def resync_job(runner_id: str) -> None:
    """Re-derive the plan from the database (meetings moved, networks imported)."""
    await _RUNNERS[runner_id].resync()


class CadenceRunner:
    """Start with the app, stop with it; each replica may run one, the database dedupes."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        render: Renderer,
        sender: Sender,
        settings: RunnerSettings,
        reminder: cadence.ReminderRenderer | None = None,
        announce: declared_calls.CallAnnouncer | None = None,
        pairs: PairWork | None = None,
        digest: DigestWork | None = None,
        reach: Reach | None = None,
        skipped: cadence_skips.SkipNotice | None = None,
    ) -> None:
        self._skipped = skipped  # tells the organisers of skipped steps, once per run
        self._reach = reach  # opens personal chats for messages to people without one
        self._pairs = pairs  # sparring pairs between meetings
        self._digest = digest  # what happened, once per week or month
        self._reminder = reminder
        self._announce = announce  # calls declared in network files open by themselves
        self._uow = uow
        self._clock = clock
        self._render = render
        self._sender = sender
        self._settings = settings
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._caught_up = asyncio.Event()
        self._catch_up: asyncio.Task[None] | None = None

    @property
    def scheduler(self) -> AsyncIOScheduler:
        """The process's one APScheduler, for other timers (Graph) to add their jobs to."""
        return self._scheduler

    async def start(self) -> None:
        """Start the timers. The catch-up (sync the plan, run what was missed within the grace
        window) runs beside them, not awaited here: a day's missed agendas can take minutes to
        post, and the app must answer its health checks from the start."""
        _RUNNERS[self.worker] = self
        self._caught_up.clear()
        s = self._settings
        for job, seconds in (
            (step_job, s.step_poll_seconds),
            (outbox_job, s.outbox_poll_seconds),
            (resync_job, s.resync_seconds),
            (reminder_job, s.reminder_seconds),
            (pairs_job, s.reminder_seconds),
            (digest_job, s.reminder_seconds),
        ):
            self._scheduler.add_job(
                job,
                "interval",
                seconds=seconds,
                args=[self.worker],
                id=f"{job.__name__}:{self.worker}",
                max_instances=1,
                coalesce=True,
            )
        self._scheduler.start()
        self._catch_up = asyncio.create_task(self.catch_up(), name=f"catch-up:{self.worker}")

    async def catch_up(self) -> None:
        """Sync the plan, run what was missed within the grace window, time the next step."""
        try:
            await self.resync()
            await self.run_steps()
            await self._schedule_next_step()
        finally:
            self._caught_up.set()

    async def caught_up(self) -> None:
        """Wait until the start-up catch-up has run."""
        await self._caught_up.wait()

    async def stop(self) -> None:
        """Stop the timers; running jobs finish, nothing new starts. A catch-up still running
        is let finish (what it posts is claimed in the database, so it is never lost)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._catch_up is not None:
            try:
                await self._catch_up
            except Exception:
                log.exception("the start-up catch-up failed")
            self._catch_up = None
        _RUNNERS.pop(self.worker, None)

    async def run_pairs(self) -> None:
        """Queue due rounds of pairs and "did you meet?" questions, then deliver them."""
        if self._pairs is not None and await self._pairs.run(self._uow, self._clock):
            await self.run_outbox()

    async def run_digest(self) -> None:
        """Queue the due digests, then deliver them."""
        if self._digest is not None and await self._digest.run(self._uow, self._clock):
            await self.run_outbox()

    async def remind(self) -> None:
        """Queue due summary reminders, then deliver them."""
        if self._reminder is not None and await cadence.enqueue_summary_reminders(
            self._uow, self._clock, self._reminder
        ):
            await self.run_outbox()

    async def resync(self) -> None:
        """Bring the stored plan in line with meetings and settings."""
        changed = await cadence.sync_all(self._uow)
        if changed:
            log.info("cadence plan updated: %d steps changed", changed)

    async def run_steps(self) -> None:
        """Run due steps, then deliver right away rather than at the next outbox tick."""
        done: list[str] = []
        for _ in range(STEP_PASSES):
            report = await cadence.run_due(
                self._uow,
                self._clock,
                self._render,
                self.worker,
                self._settings.grace,
            )
            for key, reason in report.skipped:
                log.info("cadence step %s skipped: %s", key, reason)
            done += report.done
            if not (report.done or report.skipped):
                break  # nothing left that this replica could claim
        told = 0
        if self._skipped is not None:  # after the passes: one notice per network and run
            told = await cadence_skips.report_skipped(self._uow, self._clock, self._skipped)
        announced = 0
        if self._announce is not None:
            announced = await declared_calls.open_declared_calls(
                self._uow, self._clock, self._announce
            )
        if done or announced or told:
            log.info("cadence steps done: %s", ", ".join(done))
            await self.run_outbox()
        if self._scheduler.running:
            await self._schedule_next_step()

    async def run_outbox(self) -> None:
        """Outbox passes while work is due (bounded); the rate limiter paces the sends."""
        for _ in range(OUTBOX_PASSES):
            done = await outbox.deliver_due(
                self._uow,
                self._clock,
                self._sender,
                max_attempts=self._settings.max_attempts,
                reach=self._reach,
            )
            if done.sent + done.retried + done.failed + done.held == 0:
                break

    async def _schedule_next_step(self) -> None:
        """A one-off timer at the next step's due time, so steps start on the minute."""
        now = self._clock.now()
        async with self._uow() as work:
            upcoming = await work.cadence.due(now + timedelta(days=2), limit=1)
        if upcoming and upcoming[0].due > now:
            self._scheduler.add_job(
                step_job,
                "date",
                run_date=upcoming[0].due,
                args=[self.worker],
                id=f"next-step:{self.worker}",
                replace_existing=True,
            )

    def next_run(self) -> datetime | None:
        """When the next one-off step timer fires (for diagnostics and tests)."""
        job = self._scheduler.get_job(f"next-step:{self.worker}")
        return job.next_run_time if job else None
