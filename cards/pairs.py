"""The sparring pairs' "did you meet?" card: pure, view data in, Adaptive Card out."""

from __future__ import annotations

from dataclasses import dataclass

from cards.elements import Element, card, heading, text
from cards.sparring import notice
from domain.text import literal
from netpuls.i18n import Translator

VERB_PAIR_MET = "pair_met"
DATA_VERB = "verb"
DATA_GROUP = "group"
DATA_MET = "met"
MET_YES = "yes"
MET_NO = "no"


@dataclass(frozen=True, slots=True)
class PairMetView:
    """One group of a round, for the question whether it met."""

    group_id: int
    network_name: str
    names: tuple[str, ...]  # the municipalities of the group
    themes: tuple[str, ...] = ()
    notice: str = ""


def _answer_action(title: str, group_id: int, met: str) -> Element:
    """An Action.Execute with an equivalent Action.Submit fallback for clients before 1.4."""
    data = {DATA_GROUP: str(group_id), DATA_MET: met}
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": VERB_PAIR_MET,
        "data": data,
        "associatedInputs": "none",
        "fallback": {
            "type": "Action.Submit",
            "title": title,
            "associatedInputs": "none",
            "data": {DATA_VERB: VERB_PAIR_MET, **data},
        },
    }


def pair_met_card(view: PairMetView, t: Translator) -> Element:
    """Did the pair hold its sparring call? Yes or no, changeable."""
    together = ", ".join(view.names)
    body: list[Element] = [
        *notice(view.notice),
        *heading(t("Did you meet for your sparring call?"), subtle=literal(view.network_name)),
        text(literal(t("Your pair this round: {names}.", names=together))),
    ]
    if view.themes:
        body.append(text(literal(t("Shared themes: {themes}", themes=", ".join(view.themes)))))
    actions = [
        _answer_action(t("Yes, we met"), view.group_id, MET_YES),
        _answer_action(t("No, not this time"), view.group_id, MET_NO),
    ]
    return card(body, actions=actions, fallback_text=t("Did you meet for your sparring call?"))
