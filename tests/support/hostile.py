"""Hostile typed text for escaping tests, and a CommonMark check of what it made.

Teams' Adaptive Card and message Markdown is a subset of CommonMark, so what CommonMark (here
markdown-it) does not make a link, emphasis, list or heading, Teams does not either.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from domain.text import literal

MARK = "pwn"
HOSTILE = (
    f"[{MARK}](https://evil.example/phish) **{MARK}** _{MARK}_ <at>{MARK}</at> ~~{MARK}~~\n"
    f"- {MARK}\n1. {MARK}\n# {MARK}"
)
MD = MarkdownIt("commonmark").enable("strikethrough")


def hostile(kind: Any) -> Any:
    """A value of type `kind` whose every text is HOSTILE."""
    origin = typing.get_origin(kind)
    if kind is str:
        return HOSTILE
    if kind is bytes:
        return b"png"
    if kind is bool:
        return True
    if kind is int:
        return 3
    if kind is float:
        return 2.5
    if kind is datetime:
        return datetime(2024, 3, 14, 10, 0)  # noqa: DTZ001 - views hold local times
    if kind is date:
        return date(2024, 3, 14)
    if kind is time:
        return time(10)
    if kind is timedelta:
        return timedelta(days=1)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return next(iter(kind))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: hostile(hints[f.name]) for f in dataclasses.fields(kind)})
    if origin in (types.UnionType, typing.Union):
        return hostile(next(a for a in typing.get_args(kind) if a is not type(None)))
    if origin is typing.Literal:
        return typing.get_args(kind)[0]
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return (hostile(args[0]),) * 5  # five: as many as the usefulness scale has
        return tuple(hostile(a) for a in args)
    if origin is frozenset:
        return frozenset({hostile(typing.get_args(kind)[0])})
    if origin in (dict, Mapping):
        key, value = typing.get_args(kind)
        return {hostile(key): hostile(value)}
    if origin is list:
        return [hostile(typing.get_args(kind)[0])] * 5
    raise TypeError(f"no hostile value for {kind!r}")


def inline_tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from inline_tokens(token.children or [])


def structure(value: str) -> set[str]:
    """The kinds of Markdown element CommonMark makes of `value`."""
    plain_text = {"text", "text_special", "softbreak"}  # text_special: a backslash escape
    return {token.type for token in inline_tokens(MD.parse(value))} - plain_text


def markdown_made_of_typed_text(value: str) -> list[str]:
    """Markdown in `value` that the typed text made: what the same card with a plain word lacks."""
    problems: list[str] = []
    if "<at>" in value:
        problems.append("an <at> mention")
    for token in inline_tokens(MD.parse(value)):
        if token.type == "link_open" and "evil.example" in str(token.attrs.get("href", "")):
            problems.append("a link to evil.example")
    neutral = value.replace(literal(HOSTILE), "word").replace(HOSTILE, "word")
    problems += sorted(structure(value) - structure(neutral))
    return problems
