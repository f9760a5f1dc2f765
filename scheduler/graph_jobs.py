"""Graph work on timers: meeting events reconciled every few minutes, the roster once a day."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services import meeting_events, roster
from services.calendar_ports import CalendarPort, RosterPort
from services.meeting_events import EventWording, SyncReport
from services.ports import Clock, UnitOfWorkFactory
from services.roster import RosterReport

log = logging.getLogger(__name__)
_JOBS: dict[str, GraphJobs] = {}
CALENDAR_SECONDS = 120.0
POKE_DELAY = timedelta(seconds=15)  # RSVP clicks arrive in bursts: one pass after the burst
ROSTER_HOUR_UTC = 4


async def calendar_job(jobs_id: str) -> None:
    """Reconcile meeting events (module-level, taking an id, as APScheduler prefers)."""
    await _JOBS[jobs_id].run_calendar()


async def roster_job(jobs_id: str) -> None:
    """Compare every linked team with its network."""
    await _JOBS[jobs_id].run_roster()


class GraphJobs:
    """Timers on the cadence runner's scheduler (one APScheduler per process); each replica
    may run them, the database dedupes."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        *,
        calendar: CalendarPort | None,
        mailbox: str,
        wording: EventWording,
        roster_port: RosterPort | None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self.calendar = calendar if mailbox else None
        self.mailbox = mailbox
        self._wording = wording
        self.roster = roster_port
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._scheduler: AsyncIOScheduler | None = None

    async def start(self, scheduler: AsyncIOScheduler) -> None:
        """Add the timers to the app's running scheduler (nothing to do without Graph)."""
        self._scheduler = scheduler
        _JOBS[self.worker] = self
        common = {"args": [self.worker], "max_instances": 1, "coalesce": True}
        if self.calendar is not None:
            self._scheduler.add_job(
                calendar_job,
                "interval",
                seconds=CALENDAR_SECONDS,
                id=f"calendar:{self.worker}",
                **common,
            )
        if self.roster is not None:
            self._scheduler.add_job(
                roster_job, "cron", hour=ROSTER_HOUR_UTC, id=f"roster:{self.worker}", **common
            )

    async def stop(self) -> None:
        """Forget the timers (the runner shuts the scheduler down); a running pass finishes,
        its leases expire if it does not."""
        self._scheduler = None
        _JOBS.pop(self.worker, None)

    def poke(self) -> None:
        """Reconcile soon (after an agenda was posted): one pass however often it is poked."""
        if self.calendar is None or self._scheduler is None or not self._scheduler.running:
            return
        self._scheduler.add_job(
            calendar_job,
            "date",
            run_date=self._clock.now() + POKE_DELAY,
            args=[self.worker],
            id=f"calendar-poke:{self.worker}",
            replace_existing=True,
        )

    async def run_calendar(self) -> SyncReport:
        """One reconciliation pass; without a mailbox, nothing (the agenda's .ics remains)."""
        if self.calendar is None:
            return SyncReport()
        report = await meeting_events.reconcile(
            self._uow, self._clock, self.calendar, self.mailbox, self._wording, self.worker
        )
        if report.created or report.updated or report.cancelled or report.failed:
            log.info("meeting events: %s", report)
        return report

    async def run_roster(self) -> list[RosterReport]:
        """The daily comparison; its findings are logged (`roster sync` shows them as a card)."""
        if self.roster is None:
            return []
        reports = await roster.compare_all(self._uow, self.roster)
        for r in reports:
            log.info(
                "roster %s: %d matched, %d learnt, %d not in the team, %d not in the network",
                r.network.slug,
                r.matched,
                r.learnt,
                len(r.not_in_team),
                len(r.not_in_network),
            )
        return reports
