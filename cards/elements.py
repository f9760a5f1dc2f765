"""Small building blocks shared by every card."""

from __future__ import annotations

from typing import Any

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"

Element = dict[str, Any]


def card(
    body: list[Element],
    *,
    actions: list[Element] | None = None,
    fallback_text: str = "",
    speak: str = "",
) -> Element:
    """An Adaptive Card 1.5 (the newest Teams renders) with its body and actions."""
    out: Element = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        out["actions"] = actions
    if fallback_text:
        out["fallbackText"] = fallback_text
    if speak:
        out["speak"] = speak
    return out


def heading(text: str, *, subtle: str = "") -> list[Element]:
    """A bold title, optionally followed by a subtle line."""
    out: list[Element] = [
        {
            "type": "TextBlock",
            "text": text,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
            "style": "heading",
        }
    ]
    if subtle:
        out.append(
            {"type": "TextBlock", "text": subtle, "isSubtle": True, "spacing": "None", "wrap": True}
        )
    return out


def text(value: str, **extra: Any) -> Element:
    """A wrapped paragraph."""
    return {"type": "TextBlock", "text": value, "wrap": True, **extra}


def facts(pairs: list[tuple[str, str]]) -> Element:
    """A label/value list; empty values are left out."""
    return {
        "type": "FactSet",
        "facts": [{"title": title, "value": value} for title, value in pairs if value],
    }
