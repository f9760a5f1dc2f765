"""Finding a person in any table: the text and JSON columns searched for their identifiers,
and the rewriting that takes them out of a value."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, Table, Text, cast, or_

from domain.privacy import ERASED_NAME
from storage import schema

# What replaces a name inside longer text, e.g. a summary that mentions them.
NAME_IN_TEXT = "***"


def count_of(result: Any) -> int:
    """Rows an UPDATE or DELETE touched (a CursorResult; execute() is typed as Result)."""
    return int(result.rowcount)


def table_named(name: str) -> Table:
    return schema.metadata.tables[name]


def tables(*names: str) -> list[Table]:
    """Tables by name."""
    return [table_named(n) for n in names]


def text_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if isinstance(c.type, String | Text | JSON)]


def _variants(needles: Iterable[str]) -> list[str]:
    """Each value as written and as JSON writes it (non-ASCII escaped) inside a JSON column."""
    out: list[str] = []
    for needle in needles:
        for form in (needle, json.dumps(needle)[1:-1]):
            if form not in out:
                out.append(form)
    return out


def mentions(table: Table, needles: Sequence[str]) -> ColumnElement[bool] | None:
    columns = text_columns(table)
    if not columns or not needles:
        return None
    return or_(
        *(cast(c, Text).icontains(n, autoescape=True) for c in columns for n in _variants(needles))
    )


def plain(value: Any) -> Any:
    """A value JSON can hold: dates and times as ISO 8601."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


class Swap:
    """Replaces a person's identifiers in strings and JSON: ids by a stand-in, names by nothing."""

    def __init__(self, identifiers: Sequence[str], name: str, stand_in: str) -> None:
        self._ids = [re.compile(re.escape(i), re.IGNORECASE) for i in identifiers]
        self._name = re.compile(re.escape(name), re.IGNORECASE) if len(name) >= 3 else None
        self._names = name.strip().casefold()
        self.stand_in = stand_in

    def text(self, value: str) -> str:
        """The string without the person in it."""
        if self._name and value.strip().casefold() == self._names:
            return ERASED_NAME
        for pattern in self._ids:
            value = pattern.sub(self.stand_in, value)
        if self._name:
            value = self._name.sub(NAME_IN_TEXT, value)
        return value

    def any(self, value: Any) -> Any:
        """Strings, lists and mappings without the person in them."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.any(v) for v in value]
        if isinstance(value, dict):
            return {k: self.any(v) for k, v in value.items()}
        return value
