"""A pytest plugin: every log record of the run, as the app's handlers format it (redacted), is
kept; at the end the run fails if any holds a personal value of the example people.

Used by tests/test_private_logs.py, which runs HTTP, cadence and material suites under it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from netpuls.logs import EMAIL, FILE, redact
from tests.support.networks import small_network
from tests.support.sparring import sparring_network

REPORT = "NETPULS_LOG_GUARD_REPORT"  # the file the findings are written to


class Capture(logging.Handler):
    """Keeps every formatted record."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record as a log file would show it."""
        self.lines.append(self.format(record))


CAPTURE = Capture()


def personal_values() -> list[str]:
    """The example people's names and e-mail addresses."""
    people = [*small_network().people, *sparring_network().people]
    return sorted({v for p in people for v in (p.name, p.email) if v})


def pytest_configure(config: pytest.Config) -> None:
    """Capture from the start, at every level, through the production filter."""
    root = logging.getLogger()
    root.addHandler(redact(CAPTURE))
    root.setLevel(logging.DEBUG)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write what leaked (or that nothing did) and fail the run on a leak."""
    values = personal_values()
    leaks = []
    for line in CAPTURE.lines:
        found = [v for v in values if v.casefold() in line.casefold()]
        found += [m.group(0) for m in EMAIL.finditer(line)]
        found += [m.group(0) for m in FILE.finditer(line)]
        if found:
            leaks.append(f"{found}: {line}")
    report = os.environ.get(REPORT)
    if report:
        Path(report).write_text(
            f"records={len(CAPTURE.lines)}\n" + "\n".join(leaks), encoding="utf-8"
        )
    if leaks:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
