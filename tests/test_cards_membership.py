"""The application, selection and fee cards: inputs, actions, languages, Teams' size limit."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from cards.membership import (
    EMAIL_REGEX,
    WORDS_REGEX,
    ApplicationLine,
    application_card,
    applications_card,
)
from cards.render_membership import _applications, form_views, membership_examples, selection_view
from cards.selection import CoverageView, Pick, selection_card
from netpuls.i18n import translator
from tests.test_cards import nodes

T = translator("en")


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in nodes(card) if str(n.get("type", "")).startswith("Input.")}


def test_the_form_asks_for_everything_the_invitation_asks_for() -> None:
    card = application_card(form_views("en")["new"], T)
    found = inputs(card)
    assert list(found) == [
        "municipality", "region", "head_of_planning", "email", "interest", "themes", "links",
    ]  # fmt: skip
    assert found["interest"]["label"] == (
        "The municipality's interest in the themes (at most 400 words)"
    )
    assert found["interest"]["isMultiline"] and found["links"]["isMultiline"]
    assert found["themes"]["isMultiSelect"] and found["themes"]["choices"][0]["value"] == "1"
    assert found["region"]["type"] == "Input.ChoiceSet" and len(found["region"]["choices"]) == 5
    assert all(found[k]["isRequired"] for k in ("municipality", "head_of_planning", "email"))
    assert "value" not in found["email"]


def test_the_skl_form_adds_the_boards_decision_and_the_project_team() -> None:
    found = inputs(application_card(form_views("sv")["skl"], translator("sv")))
    assert found["board_date"]["type"] == "Input.Date"
    assert {"board_reference", "project_leader", "steering_group"} <= set(found)
    assert len(found["region"]["choices"]) == 21


def test_the_live_word_limit_lets_400_words_through_and_stops_401() -> None:
    # The client checks the regex before sending (JavaScript semantics equal Python's here).
    words = re.compile(WORDS_REGEX)
    assert words.search(" ".join(["ord"] * 400) + "\n")
    assert words.search("  flere\n\nlinjer  med ord ")
    assert not words.search(" ".join(["ord"] * 401))
    assert re.search(EMAIL_REGEX, "planchef@odense.dk")
    assert not re.search(EMAIL_REGEX, "planchef odense.dk")


def test_a_duplicate_offers_to_replace_and_an_edit_saves_changes() -> None:
    views = form_views("en")
    duplicate = application_card(views["duplicate"], T)
    assert [a["title"] for a in duplicate["actions"]] == [
        "Send the application",
        "Replace the application",
    ]
    assert duplicate["actions"][1]["data"] == {
        "network": "kompakte-groenne-byer",
        "base": "",
        "replace": "true",
    }
    assert inputs(duplicate)["email"]["value"] == "planchef.esbjerg@example.org"
    edit = application_card(views["edit"], T)
    assert [a["title"] for a in edit["actions"]] == ["Save the changes"]
    assert edit["actions"][0]["data"]["base"] == "esbjerg:2"


def test_the_cards_speak_the_networks_language() -> None:
    danish = application_card(form_views("da")["new"], translator("da"))
    assert danish["body"][0]["text"] == "Ansøg om at komme med i Kompakte, grønne byer"
    assert inputs(danish)["interest"]["label"] == "Kommunens interesse for temaerne (højst 400 ord)"
    swedish = membership_examples("sv")["application-skl"]
    assert swedish["body"][0]["text"] == (
        "Ansök om att delta i Medborgardialog som stöd i platsutveckling"
    )


def test_typed_text_is_never_read_as_markdown_in_the_list() -> None:
    typed = "**Bold** [click](https://evil.example)"
    view = _applications("en")
    line = replace(view.lines[0], municipality=typed, head_of_planning=typed)
    card = applications_card(replace(view, lines=(line,)), T)
    assert not [n for n in nodes(card) if n.get("type") == "TextBlock" and "evil" in n["text"]]
    assert {"type": "TextRun", "text": typed, "weight": "Bolder"} in nodes(card)


def test_the_selection_card_confirms_exactly_what_it_shows() -> None:
    card = selection_card(selection_view("en"), T)
    confirm = [a for a in card["actions"] if a.get("verb") == "confirm_selection"]
    assert confirm[0]["data"]["chosen"] == "esbjerg,randers,kalundborg,furesoe"
    assert confirm[0]["associatedInputs"] == "none"
    assert inputs(card)["fix_in"]["value"] == "furesoe"
    open_card = selection_card(replace(selection_view("en"), open_until=datetime.now(UTC)), T)
    assert [a.get("verb") for a in open_card["actions"]] == ["propose_selection"]


def test_worst_case_lists_stay_below_teams_message_limit() -> None:
    view = _applications("en")
    long_line: ApplicationLine = replace(
        view.lines[0], municipality="Å" * 200, head_of_planning="Ø" * 200, email="x" * 254
    )
    for page in (1, 2):
        many = applications_card(replace(view, lines=(long_line,) * 60, page=page), T)
        assert len(json.dumps(many).encode()) < 80_000
        assert f"Page {page} of 2." in json.dumps(many, ensure_ascii=False)
    picks = tuple(Pick(f"k{i}" * 10, "Ä" * 120, "Region Syddanmark", (1, 2, 3)) for i in range(60))
    cover = CoverageView(8, 8, 5, 5, 1.5, 2.0)
    proposal = replace(selection_view("en"), chosen=picks[:25], others=picks[25:], coverage=cover)
    assert len(json.dumps(selection_card(proposal, T)).encode()) < 80_000
