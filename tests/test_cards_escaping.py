"""Every card shows typed text as typed: no Markdown link, emphasis, list or mention survives.

The walk finds every card builder in cards/ (a public function taking a view dataclass and a
Translator), fills every text field of its view with hostile Markdown, and renders every
TextBlock and Fact (where Teams reads Markdown) with CommonMark. Teams' Adaptive Card Markdown
is a subset of CommonMark, so what CommonMark does not make a link Teams does not either.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import cards
from netpuls.i18n import Translator, translator
from tests.support.hostile import HOSTILE, hostile, markdown_made_of_typed_text

T = translator("en")
Builder = Callable[[Any, Translator], Any]


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
