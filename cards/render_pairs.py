"""Example data for the sparring pairs' card, in each language."""

from __future__ import annotations

from cards.elements import Element
from cards.pairs import PairMetView, pair_met_card
from netpuls.i18n import translator

NETWORK = {
    "da": "Kompakte, grønne byer",
    "sv": "Kompakta, gröna städer",
    "en": "Compact, green cities",
}
TOWNS = {
    "da": ("Odense Kommune", "Køge Kommune"),
    "sv": ("Örebro kommun", "Umeå kommun"),
    "en": ("Odense Municipality", "Køge Municipality"),
}
THEMES = {
    "da": ("Det grønne i den kompakte by",),
    "sv": ("Medborgardialog i tidiga skeden",),
    "en": ("Green space in the compact city",),
}


def pairs_examples(language: str) -> dict[str, Element]:
    """The "did you meet?" card before and after an answer."""
    t = translator(language)
    view = PairMetView(7, NETWORK[language], TOWNS[language], THEMES[language])
    answered = PairMetView(
        7,
        NETWORK[language],
        TOWNS[language],
        THEMES[language],
        notice=t("Thank you: you met. It counts for both of you."),
    )
    return {
        "pair-met-question": pair_met_card(view, t),
        "pair-met-answered": pair_met_card(answered, t),
    }
