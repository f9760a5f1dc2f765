"""Fail CI unless the PostgreSQL storage tests, the Playground tests and the tab's browser tests
actually ran and passed."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

TAB_MODULE = "tests.e2e.test_tab_in_chromium"  # the tab's pages in Chromium


def _parameters(name: str) -> list[str]:
    """A test id's parameters: `test_x[uvloop-postgres]` -> ["uvloop", "postgres"]."""
    _, bracket, rest = name.partition("[")
    return rest.rstrip("]").split("-") if bracket else []


def main(path: str) -> int:
    """Count passed PostgreSQL, Playground and tab browser test cases in a JUnit report."""
    cases = ET.parse(path).getroot().iter("testcase")
    postgres = playground = tab = 0
    for case in cases:
        if any(case.find(tag) is not None for tag in ("skipped", "failure", "error")):
            continue
        name, module = case.get("name", ""), case.get("classname", "")
        postgres += "postgres" in _parameters(name)
        in_browser = module.startswith("tests.e2e")
        tab += in_browser and module.startswith(TAB_MODULE)
        playground += in_browser and not module.startswith(TAB_MODULE)
    print(
        f"ci: {postgres} PostgreSQL test cases, {playground} Playground test cases and "
        f"{tab} tab browser test cases passed"
    )
    if postgres == 0 or playground == 0 or tab == 0:
        print(
            "ci: FAIL: the PostgreSQL variant, the Playground tests and the tab's browser tests "
            "must all run",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
