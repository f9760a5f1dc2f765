"""The log holds no personal data: HTTP, cadence and material suites run with every record
captured through the production filter, and no name, e-mail address or file name may show."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from netpuls.logs import REDACTED, RedactingFilter
from tests.support.log_guard import REPORT

ROOT = Path(__file__).resolve().parents[1]
SUITES = ("tests/test_http_rsvp.py", "tests/test_http_cadence.py", "tests/test_http_material.py")


def test_the_http_cadence_and_material_flows_log_nothing_personal(tmp_path: Path) -> None:
    report = tmp_path / "leaks.txt"
    # The suites run again on SQLite alone here: no shared PostgreSQL database, and CI's demand
    # for the PostgreSQL variants is met by the outer run.
    own = {"TEST_DATABASE_URL", "NETPULS_REQUIRE_POSTGRES"}
    environment = {k: v for k, v in os.environ.items() if k not in own}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.support.log_guard",
            "-m",
            "not playground",
            *SUITES,
        ],
        cwd=ROOT,
        env={**environment, REPORT: str(report)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    found = report.read_text(encoding="utf-8")
    records, _, leaks = found.partition("\n")
    assert leaks == "", leaks[:4000]
    assert int(records.removeprefix("records=")) > 50  # the flows did log
    assert done.returncode == 0, done.stdout[-4000:]


def _logged(message: str, *args: object) -> str:
    record = logging.LogRecord("netpuls", logging.INFO, __file__, 1, message, args, None)
    RedactingFilter().filter(record)
    return record.getMessage()


def test_names_free_text_addresses_and_file_names_are_redacted() -> None:
    assert _logged("rsvp by %s", "Planlægger Odense") == f"rsvp by {REDACTED}"
    assert _logged("to %s", "planner.odense@example.org") == f"to {REDACTED}"
    assert _logged("filed %s", "helhedsplan.pdf") == f"filed {REDACTED}"
    assert _logged("sent to anna@example.org") == "sent to [e-mail]"
    assert _logged("network %s: %d steps", "kompakte-groenne-byer", 3) == (
        "network kompakte-groenne-byer: 3 steps"
    )
    assert _logged("counts %s", {"people": 1}) == "counts {'people': 1}"


def test_the_commands_log_handler_redacts(tmp_path: Path) -> None:
    db = tmp_path / "netpuls.db"
    environment = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "LOG_LEVEL": "DEBUG"}

    def netpuls(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "netpuls", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert netpuls("db", "upgrade").returncode == 0
    done = netpuls("privacy", "export", "--email", "planner.odense@example.org")
    assert done.returncode == 1
    assert "DEBUG" in done.stderr  # the database driver's statements were logged
    assert "planner.odense@example.org" not in done.stderr
