"""The cards as Teams gets them: parsed by Microsoft's library, stable, small, in every language.

Golden files: tests/golden/<card>-<state>.en.json hold the English examples. After a wanted
change, rewrite them with `NETPULS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_cards.py` and
review the diff. The parse check needs node_modules (`make install`); without it the test is
skipped, unless NETPULS_REQUIRE_PLAYGROUND=1 makes it fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cards import ids
from cards.agenda import agenda_card
from cards.attendees import attendees_card
from cards.render import (
    EN,
    REFRESH_USER_IDS,
    TOWNS,
    agenda_views,
    attendees_view,
    examples,
    people,
    render_all,
)
from cards.views import Attendee, MyAnswer
from netpuls.i18n import translator

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
PARSER = ROOT / "tests" / "cards_parse.cjs"
LIBRARY = ROOT / "node_modules" / "adaptivecards" / "package.json"
LANGUAGES = ("da", "sv", "en")
NAMES = sorted(examples("en"))
T = translator("en")


def nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a card, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from nodes(item)


def of_type(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [n for n in nodes(card) if n.get("type") == kind]


def lines(card: dict[str, Any]) -> list[str]:
    """What a reader sees as text: text blocks, rich text, facts and action titles."""
    out: list[str] = []
    for n in nodes(card):
        kind = str(n.get("type", ""))
        if kind == "TextBlock":
            out.append(n["text"])
        elif kind == "RichTextBlock":
            out.append("".join(run["text"] for run in n["inlines"]))
        elif kind == "FactSet":
            out += [f"{fact['title']}: {fact['value']}" for fact in n["facts"]]
        elif kind.startswith("Action.") and "title" in n:
            out.append(n["title"])
    return out


def rsvp_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Actions that send an answer, as Execute (verb) or as Submit (verb inside the data)."""
    return [
        n for n in nodes(card) if ids.VERB_RSVP in (n.get("verb"), n.get("data", {}).get("verb"))
    ]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return render_all(tmp_path_factory.mktemp("cards"))


def test_render_writes_every_card_in_every_language(rendered: list[Path]) -> None:
    expected = {f"{name}.{language}.json" for name in NAMES for language in LANGUAGES}
    assert {p.name for p in rendered} == expected
    assert {"agenda-open", "agenda-closed", "attendees-list", "meeting-next"} <= set(NAMES)


def test_the_cards_render_command_writes_them_all(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "netpuls", "cards", "render", "--out", str(tmp_path / "out")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.json"))) == len(NAMES) * len(LANGUAGES)


def node_or_skip() -> str:
    node = shutil.which("node")
    if node and LIBRARY.exists():
        return node
    if os.environ.get("NETPULS_REQUIRE_PLAYGROUND") == "1":
        pytest.fail("node or node_modules/adaptivecards missing but NETPULS_REQUIRE_PLAYGROUND=1")
    pytest.skip("node or node_modules/adaptivecards missing: run make install")


def parse(node: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    command = [node, str(PARSER), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_every_card_parses_in_the_official_library_without_a_warning(rendered: list[Path]) -> None:
    result = parse(node_or_skip(), rendered)
    assert result.returncode == 0, result.stderr
    assert f"{len(rendered)} file(s), 0 problem(s)" in result.stdout


def test_the_parse_check_fails_on_what_the_playground_flags(tmp_path: Path) -> None:
    node = node_or_skip()
    card = examples("en")["agenda-open"]
    card["msteams"] = {"width": "Full"}
    card["actions"][0]["fallback"]["sytle"] = "positive"
    file = tmp_path / "flagged.json"
    file.write_text(json.dumps(card), encoding="utf-8")
    result = parse(node, [file])
    assert result.returncode == 1
    assert "does not know: msteams" in result.stderr
    assert "(downlevel): Action.Submit has a property the library does not know: sytle" in (
        result.stderr
    )


@pytest.mark.parametrize("name", NAMES)
def test_english_cards_match_their_golden_json(name: str, rendered: list[Path]) -> None:
    produced = next(p for p in rendered if p.name == f"{name}.en.json").read_text("utf-8")
    golden = GOLDEN / f"{name}.en.json"
    if os.environ.get("NETPULS_UPDATE_GOLDEN") == "1":
        golden.write_text(produced, encoding="utf-8")
    assert golden.exists(), f"no {golden.name}: run with NETPULS_UPDATE_GOLDEN=1"
    assert produced == golden.read_text("utf-8")


def test_no_golden_file_is_left_over_from_a_card_that_is_gone() -> None:
    assert {p.name for p in GOLDEN.glob("*.json")} == {f"{name}.en.json" for name in NAMES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_card_is_schema_1_5_without_teams_only_properties(language: str) -> None:
    for name, card in examples(language).items():
        assert card["version"] == "1.5", name
        assert not [n for n in nodes(card) if "msteams" in n], name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_execute_falls_back_to_a_submit_with_the_same_data_plus_the_verb(
    language: str,
) -> None:
    for name, card in examples(language).items():
        refresh = card.get("refresh", {}).get("action")
        for action in of_type(card, "Action.Execute"):
            if action is refresh:  # fired by Teams itself, never shown to older clients
                continue
            fallback = action["fallback"]
            assert fallback["type"] == "Action.Submit", name
            assert fallback["title"] == action["title"], name
            assert fallback["data"] == {**action["data"], "verb": action["verb"]}, name


def test_the_three_answers_send_the_meeting_and_the_answer() -> None:
    card = agenda_card(agenda_views(EN)["open"], T)
    rsvp = [a for a in card["actions"] if a.get("verb") == ids.VERB_RSVP]
    assert [a["title"] for a in rsvp] == ["Attending", "Not attending", "Maybe"]
    assert [a["data"] for a in rsvp] == [
        {"meeting": "kompakte-groenne-byer:1", "answer": answer} for answer in ids.ANSWERS
    ]
    assert card["refresh"]["action"] == {
        "type": "Action.Execute",
        "verb": "refresh",
        "data": {"meeting": "kompakte-groenne-byer:1"},
    }


def test_the_agenda_card_names_the_readers_whose_copy_refreshes_by_itself() -> None:
    views = agenda_views(EN)
    for state in ("open", "attending", "waitlisted", "closed"):
        refresh = agenda_card(views[state], T)["refresh"]
        assert refresh["userIds"] == list(REFRESH_USER_IDS), state
    many = replace(views["open"], refresh_user_ids=tuple(f"29:{i}" for i in range(80)))
    assert agenda_card(many, T)["refresh"]["userIds"] == [f"29:{i}" for i in range(60)]


def test_with_nobody_to_name_the_card_leaves_user_ids_out_so_small_channels_still_refresh() -> None:
    nobody = replace(agenda_views(EN)["open"], refresh_user_ids=())
    assert "userIds" not in agenda_card(nobody, T)["refresh"]


def test_the_shared_copy_shows_counts_deadline_and_empty_inputs() -> None:
    card = agenda_card(agenda_views(EN)["open"], T)
    text = lines(card)
    assert "Network meeting 1 – Compact, green cities" in text
    assert "20 of 25 municipalities have answered" in text
    assert "Answer by Tuesday, 12 March 2024, 23:59" in text
    assert "Time: 10:00–15:00 (Europe/Copenhagen)" in text
    assert "Host: Odense Municipality" in text
    assert [i["id"] for i in of_type(card, "Input.Text")] == ["dietary", "note"]
    assert [("value" in i, i["maxLength"]) for i in of_type(card, "Input.Text")] == [
        (False, 200),
        (False, 500),
    ]
    assert not any(line.startswith("Your answer") for line in text)


def test_the_readers_own_answer_is_shown_and_prefills_the_inputs() -> None:
    card = agenda_card(agenda_views(EN)["attending"], T)
    inputs = {i["id"]: i["value"] for i in of_type(card, "Input.Text")}
    assert inputs == {"dietary": "Vegetarian", "note": "Arriving at 11:00 because of the train."}
    assert "Your answer: Attending" in lines(card)
    assert card["body"][0] == {
        "type": "TextBlock",
        "text": "Thank you: you are attending.",
        "wrap": True,
        "id": ids.NOTICE_ID,
        "weight": "Bolder",
        "color": "Accent",
    }


def test_a_waitlisted_reader_sees_their_place_and_the_capacity() -> None:
    text = lines(agenda_card(agenda_views(EN)["waitlisted"], T))
    assert "You are number 2 on the waitlist." in text
    assert "Coming: 12 of 12 places taken" in text
    assert "Waitlist: 5" in text


def test_a_closed_agenda_is_read_only() -> None:
    card = agenda_card(agenda_views(EN)["closed"], T)
    text = lines(card)
    assert not [n for n in nodes(card) if str(n.get("type", "")).startswith("Input.")]
    assert rsvp_actions(card) == []
    assert "RSVP closed on Tuesday, 12 March 2024, 23:59; answers are final." in text
    assert "Dietary needs: Vegetarian" in text
    assert [a.get("verb") for a in card["actions"]] == ["attendees"]


def test_a_study_trip_says_travel_and_stay_are_the_municipalitys_cost() -> None:
    text = lines(agenda_card(agenda_views(EN)["study-trip"], T))
    assert text[0] == "Study trip – Compact, green cities"
    assert "Travel and accommodation are at each municipality's own expense." in text
    assert "Date: Monday, 5 May 2025 – Wednesday, 7 May 2025" in text


def test_a_long_list_of_who_is_coming_folds_behind_a_toggle() -> None:
    views = agenda_views(EN)
    folded = agenda_card(views["open"], T)
    (toggle,) = of_type(folded, "Action.ToggleVisibility")
    (hidden,) = [n for n in nodes(folded) if n.get("id") == toggle["targetElements"][0]]
    assert toggle["title"] == "Show everyone coming (14)"
    assert hidden["isVisible"] is False and len(hidden["items"]) == 14
    short = agenda_card(views["study-trip"], T)
    assert of_type(short, "Action.ToggleVisibility") == []
    assert "Funen Municipality" not in lines(short)
    assert "Odense Municipality: Planner, Odense" in lines(short)


def test_empty_sections_are_left_out() -> None:
    view = replace(agenda_views(EN)["open"], accepted_cases=(), material=())
    text = lines(agenda_card(view, T))
    assert "Problem statements for sparring" not in text
    assert "Material" not in text
    assert "Field visit" in text


def test_text_people_typed_is_never_read_as_markdown() -> None:
    typed = "**Bold** [click](https://evil.example)"
    view = replace(
        agenda_views(EN)["study-trip"],
        accepted_cases=((typed, "Odense Municipality"),),
        material=(("Plan [draft]", "https://example.org/a b(1).pdf"), ("x", "javascript:alert(1)")),
    )
    card = agenda_card(view, T)
    assert not [n for n in of_type(card, "TextBlock") if "evil" in n["text"]]
    assert {"type": "TextRun", "text": typed, "weight": "Bolder"} in of_type(card, "TextRun")
    links = [n["text"] for n in of_type(card, "TextBlock") if n["text"].startswith("[")]
    assert links == ["[Plan \\[draft\\]](https://example.org/a%20b%281%29.pdf)"]


def long_answers(per_town: int) -> tuple[Attendee, ...]:
    """People from all 25 municipalities with the longest answers the inputs allow."""
    return tuple(
        replace(p, dietary="Ø" * ids.DIETARY_MAX_LENGTH, note="æ" * ids.NOTE_MAX_LENGTH)
        for p in people(EN, range(len(TOWNS)), per_town=per_town)
    )


def test_a_worst_case_agenda_stays_below_teams_message_limit() -> None:
    open_ = agenda_views(EN)["open"]
    rsvp = replace(open_.rsvp, attending=long_answers(3), maybe=long_answers(1), capacity=75)
    view = replace(
        open_,
        rsvp=replace(rsvp, waitlist=long_answers(1)),
        accepted_cases=tuple(("Å" * 120, "Odense Municipality") for _ in range(12)),
        material=tuple(("Ä" * 120, "https://example.org/" + "x" * 200) for _ in range(20)),
        mine=MyAnswer("attending", dietary="Ø" * 200, note="æ" * 500),
    )
    assert len(json.dumps(agenda_card(view, T)).encode()) < 80_000


def test_a_worst_case_attendee_list_stays_below_teams_message_limit() -> None:
    view = replace(
        attendees_view(EN),
        attending=long_answers(3),
        maybe=long_answers(1),
        waitlist=long_answers(1),
    )
    assert len(json.dumps(attendees_card(view, T)).encode()) < 80_000


def test_the_attendee_list_groups_people_and_names_the_silent() -> None:
    card = attendees_card(attendees_view(EN), T)
    text = lines(card)
    assert text[0] == "Who is coming: Network meeting 1"
    assert "Odense Municipality" in text and "Planner, Odense · Dietary needs: Vegetarian" in text
    assert "Planner, Køge · Note: Arriving at 11:00 because of the train." in text
    waitlist = [
        "1. Planner, Næstved (Næstved Municipality)",
        "2. Planner, Slagelse (Slagelse Municipality)",
    ]
    assert text[text.index("Waitlist") + 1 :][:2] == waitlist
    assert "Planner, Middelfart (Middelfart Municipality)" in text
    silent = ", ".join(f"{town} Municipality" for town in TOWNS[20:])
    assert f"No answer yet: {silent}" in text
    assert "People attending: 12" in text and "No answer: 5" in text
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Download CSV", "url": attendees_view(EN).csv_url}
    ]
    assert "actions" not in attendees_card(replace(attendees_view(EN), csv_url=""), T)


def test_the_danish_card_speaks_danish() -> None:
    text = lines(examples("da")["agenda-open"])
    assert text[0] == "Netværksmøde 1 – Kompakte, grønne byer"
    assert "Dato: torsdag den 14. marts 2024" in text
    assert "Svar senest tirsdag den 12. marts 2024 kl. 23:59" in text


def test_the_swedish_card_speaks_swedish() -> None:
    text = lines(examples("sv")["agenda-closed"])
    assert text[0] == "Nätverksmöte 1 – Kompakta, gröna städer"
    assert "Anmälan stängde tisdag 12 mars 2024 kl. 23:59; svaren är slutgiltiga." in text


def test_action_data_carries_the_verb_for_submit_and_drops_it_for_execute() -> None:
    data = ids.action_data(ids.VERB_RSVP, "n:1", answer="maybe")
    assert data == {"verb": "rsvp", "meeting": "n:1", "answer": "maybe"}
    assert ids.execute_data(data) == {"meeting": "n:1", "answer": "maybe"}
    with pytest.raises(ValueError):
        ids.action_data("dance", "n:1")
