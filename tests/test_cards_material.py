"""The material cards: links only to web addresses, typed text never Markdown, small enough."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from cards.material import (
    FILE,
    LINK,
    FiledView,
    MaterialItem,
    MaterialListView,
    filed_card,
    material_card,
)
from cards.render_material import items
from netpuls.i18n import translator

T = translator("en")


def of_type(node: Any, kind: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == kind:
            found.append(node)
        for value in node.values():
            found += of_type(value, kind)
    elif isinstance(node, list):
        for value in node:
            found += of_type(value, kind)
    return found


def test_the_receipt_links_the_filed_item_and_names_meeting_and_folder() -> None:
    file = items("en")[0]
    card = filed_card(FiledView("Net", file, "netpuls/2024-03-14 Network meeting 1"), T)
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open file", "url": file.url}]
    values = {f["title"]: f["value"] for f in of_type(card, "FactSet")[0]["facts"]}
    assert values["Meeting"] == "Network meeting 1" and values["Size"] == "826 KB"
    assert values["Folder"] == "netpuls/2024-03-14 Network meeting 1"


def test_typed_titles_are_not_markdown_and_only_web_addresses_become_links() -> None:
    typed = "**Bold** [click](https://evil.example)"
    bad = MaterialItem(typed, "javascript:alert(1)", LINK, "Someone", date(2024, 3, 1))
    card = material_card(MaterialListView("Net", "", ("x",), (bad, *items("en"))), T)
    assert not [b for b in of_type(card, "TextBlock") if "evil" in b["text"]]
    assert {"type": "TextRun", "text": typed, "weight": "Bolder"} in of_type(card, "TextRun")
    links = [b["text"] for b in of_type(card, "TextBlock") if b["text"].startswith("[")]
    assert "[Plan22+ (2024)](https://example.org/plan22/rapport%20%28endelig%29.pdf)" in links
    assert filed_card(FiledView("Net", bad), T).get("actions") is None


def test_a_full_list_of_long_entries_stays_below_teams_message_limit() -> None:
    long = MaterialItem(
        "Æ" * 300,
        "https://example.org/" + "x" * 1900,
        FILE,
        "Ø" * 200,
        date(2024, 3, 1),
        "Netværksmøde 12",
        tuple("å" * 40 for _ in range(10)),
        "a" * 120,
        10**8,
    )
    view = MaterialListView("Net", "", ("a",) * 8, (long,) * 25, more=True)
    card = material_card(view, T)
    assert len(json.dumps(card).encode()) < 80_000
    assert card["body"][-1]["text"].startswith("Only the newest are shown")


def test_an_empty_list_says_how_to_share() -> None:
    card = material_card(MaterialListView("Net", "Network meeting 2", (), ()), T)
    texts = [b["text"] for b in of_type(card, "TextBlock")]
    assert texts[0] == "Material for Network meeting 2" and "share \\<link\\>" in texts[-1]
    assert replace(items("en")[0], size=None).size is None
