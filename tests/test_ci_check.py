"""CI's count of PostgreSQL and Playground test cases, read from pytest's JUnit report."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.ci_check import main

REPORT = """<testsuites><testsuite>
<testcase classname="tests.test_storage" name="test_a[postgres]"/>
<testcase classname="tests.test_fast_edge" name="test_b[uvloop-postgres]"/>
<testcase classname="tests.test_fast_edge" name="test_c[asyncio-postgres]"/>
<testcase classname="tests.test_storage" name="test_d[postgres]"><skipped/></testcase>
<testcase classname="tests.test_storage" name="test_e[sqlite]"/>
<testcase classname="tests.test_storage" name="test_postgres_words_in_a_name"/>
<testcase classname="tests.e2e.test_playground" name="test_f"/>
<testcase classname="tests.e2e.test_tab_in_chromium" name="test_g"/>
</testsuite></testsuites>"""


def test_postgresql_cases_are_counted_whatever_else_parametrizes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(REPORT)
    assert main(str(report)) == 0
    assert (
        "3 PostgreSQL test cases, 1 Playground test cases and 1 tab browser test cases"
        in capsys.readouterr().out
    )


def test_ci_fails_when_no_postgresql_case_ran(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(REPORT.replace("postgres]", "sqlite]"))
    assert main(str(report)) == 1


def test_ci_fails_when_the_tabs_browser_tests_did_not_run(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(REPORT.replace('name="test_g"/>', 'name="test_g"><skipped/></testcase>'))
    assert main(str(report)) == 1


def test_ci_fails_when_only_the_tab_ran_in_a_browser(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(REPORT.replace("tests.e2e.test_playground", "tests.test_playground"))
    assert main(str(report)) == 1
