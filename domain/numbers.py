"""Whole numbers from text that people type or cards send: ASCII digits only, bounded."""

from __future__ import annotations

import re

# str.isdigit() also accepts '²' and other digits int() refuses, and any length; a database
# column holds at most 2,147,483,647 (nine digits always fit).
_DIGITS = re.compile(r"[0-9]+")
MAX_DIGITS = 9


def small_number(text: object, *, digits: int = MAX_DIGITS) -> int | None:
    """The number `text` spells in at most `digits` ASCII digits, else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not 0 < len(text) <= digits or not _DIGITS.fullmatch(text):
        return None
    return int(text)
