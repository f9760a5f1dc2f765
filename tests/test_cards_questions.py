"""The question cards: what the asker can do when, what the list says, in each language."""

from __future__ import annotations

from cards.questions import INPUT_HELPFUL, VERB_HELPFUL
from cards.render_questions import questions_examples
from tests.test_cards import lines, nodes, of_type

EN = questions_examples("en")
DA = questions_examples("da")


def inputs(card: dict[str, object]) -> list[str]:
    return [str(n["id"]) for n in nodes(card) if str(n.get("type", "")).startswith("Input.")]


def test_a_new_question_invites_answers_in_its_thread_and_offers_no_button() -> None:
    card = EN["question-new"]
    assert "Answer by replying in this thread and mentioning me." in lines(card)
    assert inputs(card) == [] and of_type(card, "Action.Execute") == []


def test_with_answers_the_asker_picks_the_helpful_one_and_the_data_names_the_question() -> None:
    card = EN["question-answers"]
    assert inputs(card) == [INPUT_HELPFUL]
    (mark,) = of_type(card, "Action.Execute")
    assert mark["verb"] == VERB_HELPFUL
    assert mark["data"] == {"question": "kompakte-groenne-byer:3"}
    assert mark["fallback"]["data"] == {"verb": VERB_HELPFUL, "question": "kompakte-groenne-byer:3"}


def test_an_answered_question_shows_the_helpful_answer_and_no_button() -> None:
    card = EN["question-answered"]
    assert inputs(card) == [] and of_type(card, "Action.Execute") == []
    assert "**2. Planner, Køge** ✓ helpful: Ask citizens early, with a model." in lines(card)
    assert "Answered" in str(card)


def test_the_list_shows_each_questions_state_and_speaks_danish() -> None:
    assert "Answered · 2 answer(s) · Planner, Odense" in lines(EN["questions-list"])
    assert "Open · 2 answer(s) · Planner, Odense" in lines(EN["questions-list"])
    assert "Spørgsmål 3 til netværket" in lines(DA["question-new"])
    assert "Besvaret · 2 svar · Planlægger, Odense" in lines(DA["questions-list"])


def test_the_ask_form_states_its_limit_offers_the_themes_and_names_the_network() -> None:
    form = EN["question-ask"]
    found = {str(n["id"]): n for n in nodes(form) if str(n.get("type", "")).startswith("Input.")}
    assert found["question_text"]["maxLength"] == 1000
    assert found["question_text"]["label"] == "Your question (at most 1000 characters)"
    assert [c["value"] for c in found["question_themes"]["choices"]] == ["1", "2"]
    (ask,) = of_type(form, "Action.Execute")
    assert (ask["verb"], ask["data"]) == ("question_ask", {"network": "kompakte-groenne-byer"})
    refused = EN["question-ask-refused"]
    assert lines(refused)[1] == "The question is too long: 1012 characters, at most 1000."
