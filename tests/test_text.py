"""Typed text is stored without hidden characters and shown as typed, never as Markdown.

Markdown is rendered here by markdown-it (CommonMark, plus strikethrough): Teams' Adaptive Card
Markdown is a subset of it (bold, italic, lists, links), so what CommonMark shows as plain text
Teams does too.
"""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from domain.text import clean, literal

HOSTILE = (
    "[Click to confirm your seat](https://evil.example/phish)",
    "**bold** __bold__ *italic* _italic_ ~~gone~~ `code`",
    "- item\n+ item\n* item\n1. first\n2) second",
    "# Heading\n> quote\nText\n===",
    "<at>Facilitator</at> <https://evil.example/auto> <b>html</b>",
    "![image](https://evil.example/pixel.png)",
    "[link]\n\n[link]: https://evil.example/ref",
)
# Text that tries to undo an escape, or that CommonMark would show differently than typed.
TRICKY = (
    "\\[escaped by hand\\](https://evil.example)",
    "a\\*b* c\\_d_ back\\slash",
    "&#91;x&#93;(https://evil.example) &amp; &lt;at&gt;",
)
MD = MarkdownIt("commonmark").enable("strikethrough")


def rendered_tags(value: str) -> set[str]:
    """Every HTML element CommonMark makes of `value` besides paragraphs and line breaks."""
    tags = set()
    for token in MD.parse(value):
        tags.add(token.tag)
        for child in token.children or []:
            tags.add(child.tag)
    return tags - {"", "p", "br"}


def shown_text(value: str) -> str:
    """The characters a reader sees, line breaks as spaces."""
    out = []
    for token in MD.parse(value):
        out.append(" ")
        for child in token.children or []:
            out.append(child.content if child.type in ("text", "code_inline") else " ")
    return "".join(out)


@pytest.mark.parametrize("typed", HOSTILE + TRICKY)
def test_typed_markdown_is_shown_as_typed_and_makes_no_link_emphasis_or_list(typed: str) -> None:
    assert typed in TRICKY or rendered_tags(typed)  # unescaped, it does make Markdown
    assert rendered_tags(literal(typed)) == set()
    assert " ".join(shown_text(literal(typed)).split()) == " ".join(typed.split())


def test_a_mention_typed_as_text_is_not_a_mention() -> None:
    assert "<at>" not in literal("<at>Facilitator</at>")


def test_ordinary_words_are_unchanged() -> None:
    for words in ("Køge Kommune", "Odense, 10:00", "#grøn", "-2 °C", "+45 12 34 56 78", "a - b"):
        assert literal(words) == words


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Plan\u202etxt.exe", "Plantxt.exe"),  # RIGHT-TO-LEFT OVERRIDE
        ("\u2066Køge\u2069 Kommune", "Køge Kommune"),  # isolates
        ("a\u200eb\u200fc\u061cd", "abcd"),  # direction marks
        ("\u202a\u202b\u202c\u202d", ""),  # embeddings, pop
        ("Bell\u0007 and NUL\u0000", "Bell and NUL"),
        ("C1\u0085next\u009bline", "C1 nextline"),  # NEL is a line break; CSI is dropped
        ("  two\r\nlines\ttab  ", "two lines tab"),
        ("Køge Kommune", "Køge Kommune"),
    ],
)
def test_a_title_or_name_loses_control_and_direction_characters(typed: str, stored: str) -> None:
    assert clean(typed) == stored


def test_multiline_text_keeps_its_line_breaks_as_newlines_only() -> None:
    assert clean("One\r\nTwo\rThree\u2028Four\u202e\u0007", multiline=True) == (
        "One\nTwo\nThree\nFour"
    )
