"""Every card shows typed text as typed: no Markdown link, emphasis, list or mention survives.

The walk finds every card builder in cards/ (a public function taking a view dataclass and a
Translator), fills every text field of its view with hostile Markdown, and renders every
TextBlock and Fact (where Teams reads Markdown) with CommonMark. Teams' Adaptive Card Markdown
is a subset of CommonMark, so what CommonMark does not make a link Teams does not either.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

import cards
from domain.text import literal
from netpuls.i18n import Translator, translator

MARK = "pwn"
HOSTILE = (
    f"[{MARK}](https://evil.example/phish) **{MARK}** _{MARK}_ <at>{MARK}</at> ~~{MARK}~~\n"
    f"- {MARK}\n1. {MARK}\n# {MARK}"
)
MD = MarkdownIt("commonmark").enable("strikethrough")
T = translator("en")
Builder = Callable[[Any, Translator], Any]


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


def builders() -> Iterator[tuple[str, Builder, type]]:
    """Every public `f(view, t) -> card` in cards/, with its view's type."""
    for info in pkgutil.iter_modules(cards.__path__):
        module = importlib.import_module(f"cards.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            hints = typing.get_type_hints(function)
            params = list(inspect.signature(function).parameters)
            if len(params) != 2 or hints.get(params[1]) is not Translator:
                continue
            view = hints[params[0]]
            if dataclasses.is_dataclass(view):
                yield f"{info.name}.{name}", function, view


BUILDERS = sorted(builders(), key=lambda b: b[0])


def markdown_texts(node: Any) -> Iterator[str]:
    """Every string Teams reads as Markdown: TextBlock text, Fact title and value."""
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            yield node["text"]
        if node.get("type") == "FactSet":
            for fact in node["facts"]:
                yield fact["title"]
                yield fact["value"]
        for value in node.values():
            yield from markdown_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from markdown_texts(item)


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


def test_the_walk_finds_the_cards_people_see() -> None:
    names = {name for name, _b, _v in BUILDERS}
    for expected in (
        "agenda.agenda_card",
        "sparring.cases_card",
        "questions.question_card",
        "material.material_card",
        "digest.digest_card",
        "summary.summary_card",
    ):
        assert expected in names


def test_the_check_sees_markdown_in_unescaped_text() -> None:
    assert len(markdown_made_of_typed_text(HOSTILE)) >= 5


@pytest.mark.parametrize(("name", "builder", "view"), BUILDERS, ids=[b[0] for b in BUILDERS])
def test_typed_text_makes_no_markdown_on_any_card(name: str, builder: Builder, view: type) -> None:
    card = builder(hostile(view), T)
    found = [text[:60] for text in markdown_texts(card) if markdown_made_of_typed_text(text)]
    assert not found, f"{name}: Markdown made of typed text in {found}"
