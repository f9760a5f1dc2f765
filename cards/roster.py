"""The roster comparison: how many matched, who is only in the network, who only in the team."""

from __future__ import annotations

from dataclasses import dataclass

from cards.agenda import plain
from cards.elements import Element, card, facts, heading, text
from domain.text import literal
from netpuls.i18n import Translator

MAX_LISTED = 40  # per list; a team of hundreds must not push the card past Teams' 100 KB


@dataclass(frozen=True, slots=True)
class Someone:
    """A person as the card names them."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class RosterView:
    """What `roster sync` found."""

    network_name: str
    matched: int
    learnt: int
    not_in_team: tuple[Someone, ...]
    not_in_network: tuple[Someone, ...]


def _people(title: str, people: tuple[Someone, ...], t: Translator) -> list[Element]:
    out: list[Element] = [text(title, weight="Bolder", spacing="Medium")]
    for someone in people[:MAX_LISTED]:
        # Names come from the network file and from Entra: plain text, never Markdown.
        label = f"{someone.name} <{someone.email}>" if someone.email else someone.name
        out.append({**plain((label, False)), "spacing": "None"})
    if len(people) > MAX_LISTED:
        out.append(text(t("… and {count} more.", count=len(people) - MAX_LISTED), isSubtle=True))
    return out


def roster_card(view: RosterView, t: Translator) -> Element:
    """The comparison of the network's people with the members of its team."""
    title = t("The team and the network")
    body: list[Element] = [
        *heading(literal(title), subtle=literal(view.network_name)),
        facts(
            [
                (t("In both"), str(view.matched)),
                (t("Recognised by e-mail now"), str(view.learnt)),
                (t("In the network, not in the team"), str(len(view.not_in_team))),
                (t("In the team, not in the network"), str(len(view.not_in_network))),
            ]
        ),
    ]
    if view.not_in_team:
        body += _people(t("Not in the team yet (add them in Teams):"), view.not_in_team, t)
    if view.not_in_network:
        body += _people(t("In the team but not in the network file:"), view.not_in_network, t)
    if not (view.not_in_team or view.not_in_network):
        body.append(text(t("Everyone in the network is in the team, and no one else.")))
    summary = f"{title}: {view.matched}"
    return card(body, fallback_text=summary, speak=summary)
