"""Logs without personal data: e-mail addresses, names, free text and file names are redacted.

A filter on the handlers (not on a logger: a logger's filter misses what its children log).
Arguments that look like ids, keys, slugs or numbers pass; any other text is replaced, since a
name or a message cannot be told apart from a harmless phrase by looking at it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import Enum

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
FILE = re.compile(
    r"[^\s/\\'\"]+\.(?:pdf|docx?|xlsx?|pptx?|csv|txt|rtf|odt|ods|odp|png|jpe?g|gif|heic|zip|md)\b",
    re.IGNORECASE,
)
# Ids, slugs, keys, URLs' paths and numbers: no spaces, nothing but these characters.
SAFE = re.compile(r"[\w.:/#+=,;?&%-]{0,200}")
REDACTED = "[redacted]"
# Database drivers log each statement's parameters, which are the rows' values: all hidden.
ROW_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool")
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_PLAIN = (int, float, bool, type(None), date, datetime, timedelta, Enum)


def redact_text(value: str) -> str:
    """The text with e-mail addresses and file names taken out."""
    return FILE.sub("[file]", EMAIL.sub("[e-mail]", value))


def redact_value(value: object) -> object:
    """A log argument as it may be logged."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, str):
        return value if SAFE.fullmatch(value) and not FILE.search(value) else REDACTED
    if isinstance(value, Mapping):
        return {redact_value(k): redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [redact_value(v) for v in value]
    return QUOTED.sub(_quoted, redact_text(str(value)))


def _quoted(match: re.Match[str]) -> str:
    """A string inside an object's text: kept when it looks like an id, else redacted."""
    inner = match.group(0)[1:-1]
    return match.group(0) if redact_value(inner) == inner else f"'{REDACTED}'"


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, arguments and traceback without personal data."""

    def __init__(self) -> None:
        super().__init__()
        self._format = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record, redacted."""
        if isinstance(record.msg, str):
            record.msg = redact_text(record.msg)
        if record.name.startswith(ROW_LOGGERS) and isinstance(record.args, Mapping):
            record.args = dict.fromkeys(record.args, REDACTED)
        elif record.name.startswith(ROW_LOGGERS) and record.args:
            record.args = (REDACTED,) * len(record.args)
        elif isinstance(record.args, Mapping):
            record.args = {k: redact_value(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(redact_value(a) for a in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text(self._format.formatException(record.exc_info))
        return True


def redact(handler: logging.Handler) -> logging.Handler:
    """The handler, with the redacting filter (once)."""
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())
    return handler
