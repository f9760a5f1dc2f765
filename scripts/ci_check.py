"""Fail CI unless the PostgreSQL storage tests and the Playground tests actually ran and passed."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def _parameters(name: str) -> list[str]:
    """A test id's parameters: `test_x[uvloop-postgres]` -> ["uvloop", "postgres"]."""
    _, bracket, rest = name.partition("[")
    return rest.rstrip("]").split("-") if bracket else []


def main(path: str) -> int:
    """Count passed PostgreSQL and Playground test cases in a JUnit report."""
    cases = ET.parse(path).getroot().iter("testcase")
    postgres = playground = 0
    for case in cases:
        if any(case.find(tag) is not None for tag in ("skipped", "failure", "error")):
            continue
        name, module = case.get("name", ""), case.get("classname", "")
        postgres += "postgres" in _parameters(name)
        playground += module.startswith("tests.e2e")
    print(f"ci: {postgres} PostgreSQL test cases and {playground} Playground test cases passed")
    if postgres == 0 or playground == 0:
        print(
            "ci: FAIL: the PostgreSQL variant and the Playground tests must both run",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
