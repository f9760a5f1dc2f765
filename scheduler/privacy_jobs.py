"""The daily retention on the app's scheduler: what has been kept long enough is removed."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from domain.privacy import RetentionReport
from services.ports import Clock
from services.privacy_ports import PrivacyUnitOfWorkFactory
from services.retention import RetentionWording, run_retention

log = logging.getLogger(__name__)
_JOBS: dict[str, RetentionJobs] = {}
RETENTION_HOUR_UTC = 2  # before the working day, and before the roster's comparison at 04:00


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    """How long personal data is kept."""

    months: int = 6  # after the network's end
    diet_days: int = 14  # after each meeting


async def retention_job(jobs_id: str) -> None:
    """Run the retention (module-level, taking an id, as APScheduler prefers)."""
    await _JOBS[jobs_id].run()


class RetentionJobs:
    """A daily timer on the cadence runner's scheduler; every replica may run it: the work is
    idempotent and the report's delivery is keyed per network and day."""

    def __init__(
        self,
        uow: PrivacyUnitOfWorkFactory,
        clock: Clock,
        settings: RetentionSettings,
        wording: RetentionWording,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._settings = settings
        self._wording = wording
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    async def start(self, scheduler: AsyncIOScheduler) -> None:
        """Add the daily timer to the app's scheduler."""
        _JOBS[self.worker] = self
        scheduler.add_job(
            retention_job,
            "cron",
            hour=RETENTION_HOUR_UTC,
            args=[self.worker],
            id=f"retention:{self.worker}",
            max_instances=1,
            coalesce=True,
        )

    async def stop(self) -> None:
        """Forget the timer (the runner shuts the scheduler down)."""
        _JOBS.pop(self.worker, None)

    async def run(self) -> RetentionReport:
        """One pass; the counts are logged (no names: only kinds and numbers)."""
        report = await run_retention(
            self._uow,
            self._clock,
            months=self._settings.months,
            diet_days=self._settings.diet_days,
            wording=self._wording,
        )
        for slug, counts in sorted(report.networks.items()):
            log.info("retention %s: %s", slug, counts)
        return report
