"""Text people typed, made safe to store and to show: no hidden characters, no Markdown.

`clean` runs where text enters (commands, card data, network files): it drops control
characters and the characters that reorder text on screen (a title with U+202E reads backwards
from that point, so `exe.fdp` shows as `pdf.exe`). `literal` runs where text is shown in an
Adaptive Card TextBlock or FactSet, or in a message sent as Markdown: Teams reads those as
Markdown (bold, italic, lists, links), so a typed `[Confirm](https://evil.example)` would be a
live link. Backslash escapes are CommonMark's way to show a character as itself; Teams honours
them on desktop, web and (since the 2023/2024 fixes) mobile.
"""

from __future__ import annotations

import re

# Characters that change the direction of the text around them: embeddings and overrides
# (U+202A-U+202E), isolates (U+2066-U+2069), the marks (U+200E, U+200F, U+061C).
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
# C0 and C1 controls and DEL, except the line breaks and tab handled below.
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f{_BIDI}]")
# Line breaks in any of their forms: CR LF, CR, LF, NEL, LINE and PARAGRAPH SEPARATOR.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

# Markdown that works anywhere in a line: emphasis, links and images, code, strikethrough,
# autolinks and <at> mentions, entities (&#91; shows as a bracket); and the backslash itself,
# so a typed one cannot undo ours.
_INLINE = re.compile(r"([\\`*_\[\]<>~&])")
# Markdown that works at the start of a line: a heading ("# "), a list item ("- ", "+ "), a
# setext underline or thematic break (a line of - or =), and the period or parenthesis of a
# numbered list item ("1. ", "2) "). "#theme" and "-2 °C" are left as they are.
_LINE_START = re.compile(
    r"(^|(?<=[\r\n]))([ \t]*)"
    r"(?:(#(?=#{0,5}(?:[ \t]|$))|[+\-](?=[ \t]|$)|[\-=](?=[\-= \t]*$))|(\d{1,9})([.)])(?=[ \t]|$))",
    re.MULTILINE,
)


def clean(value: str, *, multiline: bool = False) -> str:
    """`value` without control or direction characters; breaks kept only if `multiline`."""
    value = _CONTROL.sub("", value).replace("\t", " ")
    return _BREAK.sub("\n" if multiline else " ", value).strip()


def literal(value: str) -> str:
    """`value` escaped so that Teams shows it as typed, never as Markdown or a mention."""
    value = _INLINE.sub(r"\\\1", value)
    return _LINE_START.sub(_escape_line_start, value)


def _escape_line_start(match: re.Match[str]) -> str:
    start, indent, marker, number, period = match.groups()
    if marker:
        return f"{start}{indent}\\{marker}"
    return f"{start}{indent}{number}\\{period}"
