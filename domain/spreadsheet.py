"""Text for CSV files that people open in a spreadsheet: shown as text, never run."""

from __future__ import annotations

import re
import unicodedata

# Where a spreadsheet may start a cell: the start of the value, or after a list separator
# (Danish and Swedish spreadsheets split a comma-separated file on ';'), a tab or a line break.
# Blanks and a quote may come first: a spreadsheet that splits on ';' unquotes `;"=1"` to `=1`.
_CELL_START = re.compile(r"(^|[;,\t\r\n])([ \u00a0\u3000\"]*)(?=(.))", re.DOTALL)
# What starts a formula (OWASP's CSV injection list); full-width and small forms count too,
# because spreadsheets in East Asian locales read them as their ASCII twins (NFKC).
_FORMULA = frozenset("=+-@")


def safe_cell(value: str) -> str:
    """`value` with a ' before every part a spreadsheet could read as a formula."""
    return _CELL_START.sub(_guard, value)


def _guard(match: re.Match[str]) -> str:
    lead, blanks, first = match.groups()
    if first in "\t\r" or unicodedata.normalize("NFKC", first) in _FORMULA:
        return f"{lead}{blanks}'"
    return f"{lead}{blanks}"
