"""The sparring cards: limits on the inputs, the actions' data, typed text, size, languages."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

from bot.features.sparring.views import cases_view
from cards import sparring_ids as ids
from cards.render import EN, meeting
from cards.render_sparring import sparring_examples
from cards.sparring import cases_card
from cards.sparring_views import SummaryCase, SummaryView
from cards.summary import summary_card, summary_form_card
from domain.sparring import Case, CaseStatus
from netpuls.i18n import translator
from services.cases import CasesState
from tests.support.networks import small_network
from tests.test_cards import lines, nodes, of_type

T = translator("en")
CARDS = sparring_examples("en", meeting(EN), EN.cases, "Odense Municipality")


def inputs(card: dict[str, object]) -> dict[str, dict[str, object]]:
    return {str(n["id"]): n for n in nodes(card) if str(n.get("type", "")).startswith("Input.")}


def executes(card: dict[str, object]) -> list[dict[str, object]]:
    return of_type(card, "Action.Execute")  # type: ignore[arg-type]


def test_the_case_form_states_its_limits_and_offers_themes_and_meetings() -> None:
    card = CARDS["case-form"]
    found = inputs(card)
    assert found[ids.INPUT_TITLE]["maxLength"] == 120
    assert found[ids.INPUT_DESCRIPTION]["maxLength"] == 2000
    assert found[ids.INPUT_TITLE]["label"] == "Title (at most 120 characters)"
    themes = found[ids.INPUT_THEMES]
    assert themes["isMultiSelect"] is True
    assert [c["value"] for c in themes["choices"]] == ["0", "1"]  # type: ignore[index, union-attr]
    assert found[ids.INPUT_MEETING]["value"] == "1"
    (send,) = executes(card)
    assert send["verb"] == ids.VERB_CASE_SUBMIT
    assert send["data"] == {"meeting": "kompakte-groenne-byer:1"}


def test_the_facilitator_decides_each_case_and_the_data_names_the_case() -> None:
    card = CARDS["cases-review"]
    decide = [a for a in executes(card) if a["verb"] == ids.VERB_CASE_DECIDE]
    assert [(a["data"]["case"], a["data"]["decision"]) for a in decide] == [  # type: ignore[index]
        ("1", "accept"),
        ("1", "decline"),
        ("1", "edit"),
        ("2", "accept"),
        ("2", "decline"),
        ("2", "edit"),
    ]
    ids_ = set(inputs(card))
    assert {"title_1", "description_1", "position_1", "note_1", "title_2"} <= ids_
    assert inputs(card)["position_1"]["value"] == 1
    assert "Accepted (no. 1 on the agenda)" in " ".join(lines(card))


def test_a_member_sees_their_own_case_and_may_add_sparring_notes_after_the_meeting() -> None:
    card = CARDS["cases-own"]
    verbs = [a["verb"] for a in executes(card)]
    assert ids.VERB_CASE_DECIDE not in verbs and ids.VERB_CASE_NOTES in verbs
    assert inputs(card)["notes_1"]["value"].startswith("Start with a green")  # type: ignore[union-attr]


def test_typed_text_is_never_read_as_markdown() -> None:
    typed = "**Bold** [click](https://evil.example)"
    view = SummaryView(
        "n:1", meeting(EN), typed, typed, "", "", (SummaryCase(1, typed, "", typed),)
    )
    for card in (summary_card(view, T),):
        assert not [n for n in of_type(card, "TextBlock") if "evil" in n["text"]]
        assert {"type": "TextRun", "text": typed} in of_type(card, "TextRun")


def test_the_posted_summary_has_no_actions_and_the_form_posts_or_updates() -> None:
    assert "actions" not in CARDS["summary-posted"]
    draft = [a["verb"] for a in executes(CARDS["summary-draft"])]
    posted = [a["verb"] for a in executes(CARDS["summary-edit-posted"])]
    assert draft == [ids.VERB_SUMMARY_SAVE, ids.VERB_SUMMARY_POST]
    assert posted == [ids.VERB_SUMMARY_SAVE]
    assert "Posted on Friday, 15 March 2024." in lines(CARDS["summary-edit-posted"])[2]


def test_the_evaluation_is_one_to_five_and_says_it_is_anonymous() -> None:
    card = CARDS["evaluation-form"]
    choice = inputs(card)[ids.INPUT_USEFULNESS]
    assert [c["value"] for c in choice["choices"]] == ["1", "2", "3", "4", "5"]  # type: ignore[index, union-attr]
    assert "Your answer is anonymous: the facilitator sees only the totals." in lines(card)
    results = lines(CARDS["evaluation-results"])
    assert "Average usefulness: 3.8 / 5" in results and "4 – very useful: 4" in results


def _case(i: int, text: str) -> Case:
    return Case(
        id=i,
        network="n",
        meeting=1,
        title=text[:120],
        description=text[:2000],
        themes=(),
        submitter="p",
        submitter_name="Planner",
        municipality=None,
        municipality_name="Odense",
        submitted_at=datetime(2024, 3, 1, tzinfo=UTC),
        status=CaseStatus.ACCEPTED,
        position=i,
        decision_note=text[:1000],
        sparring_notes=text[:2000],
    )


def test_a_long_list_of_long_cases_stays_below_teams_message_limit() -> None:
    declared = small_network()
    text = ("Fortætning med grønne friarealer ved stationen og havnen. " * 40)[:2000]
    many = tuple(_case(i, text.replace("e", "æ")) for i in range(1, 13))
    state = CasesState(declared.network, declared.meetings[0], many, True, True)
    view = cases_view(state, T)
    assert view.hidden > 0 and len(view.cases) + view.hidden == 12
    assert len(json.dumps(cases_card(view, T)).encode()) < 80_000
    assert f"{view.hidden} more not shown." in lines(cases_card(view, T))


def test_a_full_summary_stays_below_teams_message_limit() -> None:
    text = "Grønne kvaliteter og tæthed går hånd i hånd, når man planlægger tidligt. " * 60
    view = SummaryView(
        "n:1",
        meeting(EN),
        text[:3000],
        text[:3000],
        text[:3000],
        text[:3000],
        tuple(SummaryCase(i, "Å" * 120, "Odense", text[:1000]) for i in range(8)),
        posted_on=date(2024, 3, 15),
    )
    for card in (summary_form_card(view, T), summary_card(view, T)):
        assert len(json.dumps(card).encode()) < 80_000


def test_the_danish_and_swedish_cards_speak_their_language() -> None:
    da = sparring_examples("da", meeting(replace(EN)), EN.cases, "Odense Kommune")
    sv = sparring_examples("sv", meeting(EN), EN.cases, "Odense kommun")
    assert lines(da["case-form"])[0] == "Indsend en problemstilling"
    assert lines(sv["summary-draft"])[0] == "Sammanfattning: Nätverksmöte 1"
    assert "Dit svar er anonymt: facilitatoren ser kun det samlede resultat." in lines(
        da["evaluation-form"]
    )


def test_the_final_evaluation_card_names_the_network_and_states_its_limits() -> None:
    card = CARDS["final-form"]
    found = inputs(card)
    assert found[ids.INPUT_TAKE_HOME]["maxLength"] == 2000
    assert found[ids.INPUT_COMMENT]["maxLength"] == 1000
    recommend = found[ids.INPUT_RECOMMEND]["choices"]
    assert [c["value"] for c in recommend] == ["yes", "no"]  # type: ignore[index, union-attr]
    (send,) = executes(card)
    assert send["verb"] == ids.VERB_FINAL_EVALUATE
    assert send["data"] == {"network": "kompakte-groenne-byer"}
    assert send["fallback"]["data"]["verb"] == ids.VERB_FINAL_EVALUATE  # type: ignore[index]


def test_below_the_minimum_the_totals_cards_show_only_how_many_answered() -> None:
    for name in ("evaluation-withheld", "final-withheld"):
        shown = " ".join(lines(CARDS[name]))
        assert "so far; totals are shown from 3" in shown, name
        assert "Average usefulness" not in shown and "Spread" not in shown, name
    totals = " ".join(lines(CARDS["final-results"]))
    assert "8 yes, 1 no" in totals and "4.1 / 5" in totals
