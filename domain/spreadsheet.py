"""Text for CSV files that people open in a spreadsheet: shown as text, never run."""

from __future__ import annotations

import re

# A cell, or any part of it after a list separator (Danish and Swedish spreadsheets split a
# comma-separated file on ';'), that starts like a formula: = + - @ or their full-width forms,
# or a tab or carriage return (OWASP's CSV injection list). Leading blanks do not hide one.
_FORMULA_START = re.compile(r"(^|[;,\t\r\n])([ \u3000]*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20\t\r])")


def safe_cell(value: str) -> str:
    """`value` with a ' before every part a spreadsheet could read as a formula."""
    return _FORMULA_START.sub(lambda m: f"{m.group(1)}{m.group(2)}'", value)
