"""Example data for the roster card, in each language (placeholder people)."""

from __future__ import annotations

from cards.elements import Element
from cards.roster import RosterView, Someone, roster_card
from netpuls.i18n import translator

NETWORK = {
    "da": "Kompakte, grønne byer",
    "sv": "Kompakta, gröna städer",
    "en": "Compact, green cities",
}


def roster_examples(language: str) -> dict[str, Element]:
    """A comparison with people missing on both sides, and one where all is in order."""
    t = translator(language)
    view = RosterView(
        network_name=NETWORK[language],
        matched=23,
        learnt=4,
        not_in_team=(Someone("Planner, Køge", "planner.koege@example.org"),),
        not_in_network=(
            Someone("Consultant", "consultant@example.org"),
            Someone("Student helper", "student@example.org"),
        ),
    )
    return {
        "roster-gaps": roster_card(view, t),
        "roster-complete": roster_card(RosterView(NETWORK[language], 25, 0, (), ()), t),
    }
