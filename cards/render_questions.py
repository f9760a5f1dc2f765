"""Example data for the question cards (the posted question, the list), in each language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from cards.elements import Element
from cards.questions import (
    AnswerView,
    AskView,
    QuestionsView,
    QuestionView,
    ask_card,
    question_card,
    questions_card,
)
from netpuls.i18n import translator

# The example network's own words: the question, its theme, two answers.
WORDS = {
    "da": (
        "Kompakte, grønne byer",
        "Hvor høje huse accepterer borgerne ved stationen?",
        "Hvilken rolle spiller det grønne i den kompakte by?",
        "Planlægger, Odense",
        ("Aarhus Kommune", "Køge Kommune"),
        ("Vi holder os til seks etager.", "Spørg borgerne tidligt, med en model."),
    ),
    "sv": (
        "Kompakta, gröna städer",
        "Hur höga hus accepterar invånarna vid stationen?",
        "Vilken roll spelar grönskan i den kompakta staden?",
        "Planerare, Odense",
        ("Aarhus kommun", "Köge kommun"),
        ("Vi håller oss till sex våningar.", "Fråga invånarna tidigt, med en modell."),
    ),
    "en": (
        "Compact, green cities",
        "How tall do citizens accept buildings near the station?",
        "What role does green space play in the compact town?",
        "Planner, Odense",
        ("Aarhus Municipality", "Køge Municipality"),
        ("We keep to six storeys.", "Ask citizens early, with a model."),
    ),
}


def question_views(language: str) -> dict[str, QuestionView]:
    """The question just posted, with answers, and answered."""
    _, text, theme, asker, towns, replies = WORDS[language]
    t = translator(language)
    on = t.date(date(2024, 4, 2), "long")
    new = QuestionView("kompakte-groenne-byer:3", 3, text, asker, on, (theme,), towns, False)
    answers = tuple(
        AnswerView(n, f"{asker.split(',')[0]}, {town.split()[0]}", reply)
        for n, (town, reply) in enumerate(zip(towns, replies, strict=True), 1)
    )
    helpful = tuple(replace(a, helpful=a.number == 2) for a in answers)
    return {
        "new": new,
        "answers": replace(new, answers=answers),
        "answered": replace(new, answers=helpful, answered=True),
    }


def questions_examples(language: str) -> dict[str, Element]:
    """The question card in three states and the list of questions."""
    t = translator(language)
    views = question_views(language)
    cards = {f"question-{state}": question_card(v, t) for state, v in views.items()}
    listing = QuestionsView(WORDS[language][0], (views["answers"], views["answered"]))
    cards["questions-list"] = questions_card(listing, t)
    network, text, theme, *_ = WORDS[language]
    form = AskView(network, "kompakte-groenne-byer", (WORDS["en"][2], theme), 1000)
    cards["question-ask"] = ask_card(form, t)
    notice = t(
        "The question is too long: {length} characters, at most {limit}.", length=1012, limit=1000
    )
    cards["question-ask-refused"] = ask_card(replace(form, text=text, picked="2", notice=notice), t)
    return cards
