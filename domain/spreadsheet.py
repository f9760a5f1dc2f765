"""Text for CSV files that people open in a spreadsheet: shown as text, never run."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence

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


def separator(language: str) -> str:
    """The list separator a spreadsheet in this language splits a CSV file on: ';' where the
    decimal mark is a comma (Danish, Swedish), ',' in English."""
    return "," if language == "en" else ";"


def csv_file(rows: Iterable[Sequence[object]], language: str) -> str:
    """A CSV file a spreadsheet in this language opens in columns: UTF-8 with a BOM (Excel reads
    the encoding from it), the language's separator, every text cell shown as text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator(language))
    for row in rows:
        writer.writerow([safe_cell(c) if isinstance(c, str) else c for c in row])
    return "\ufeff" + out.getvalue()
