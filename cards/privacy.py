"""The `privacy` card: what netpuls holds about the reader and why, export and erase."""

from __future__ import annotations

from dataclasses import dataclass

from cards.elements import Element, card, facts, heading, text
from cards.sparring import notice
from domain.errors import N_
from domain.text import literal
from netpuls.i18n import Translator

VERB_PRIVACY_ERASE = "privacy_erase"  # asks for confirmation
VERB_PRIVACY_ERASE_CONFIRM = "privacy_erase_confirm"  # erases
VERB_PRIVACY_LEAVE_CONFIRM = "privacy_leave_confirm"  # erases a municipality's people
DATA_VERB = "verb"
DATA_NETWORK = "network"
DATA_MUNICIPALITY = "municipality"

# What the reader sees for each table holding rows about them.
CATEGORIES = {
    "people": N_("Your profile: name, e-mail, Teams id, municipality"),
    "roles": N_("Your roles in networks"),
    "seat_people": N_("Your place on your municipality's seat"),
    "rsvps": N_("Your answers to meetings, with dietary needs and notes"),
    "rsvp_changes": N_("Changes to your answers"),
    "cases": N_("Problem statements you submitted"),
    "questions": N_("Questions you asked"),
    "question_answers": N_("Answers you gave"),
    "material": N_("Material you shared"),
    "applications": N_("Applications, with every version"),
    "audit_log": N_("Log entries about your actions"),
}
OTHER = N_("Other records that name you")


@dataclass(frozen=True, slots=True)
class PrivacyView:
    """What the card shows: rows per category, the export link, and the erasure's state."""

    held: tuple[tuple[str, int], ...]  # (table, rows)
    export_url: str
    diet_days: int
    retention_months: int
    confirming: bool = False
    notice: str = ""


@dataclass(frozen=True, slots=True)
class LeavingView:
    """The secretariat's confirmation before a municipality's people are erased."""

    network_slug: str
    network_name: str
    municipality_key: str
    municipality_name: str
    people: int


def _execute(title: str, verb: str, data: dict[str, str] | None = None) -> Element:
    """An Action.Execute with an equivalent Action.Submit fallback for clients before 1.4."""
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": dict(data or {}),
        "associatedInputs": "none",
        "fallback": {
            "type": "Action.Submit",
            "title": title,
            "associatedInputs": "none",
            "data": {**(data or {}), DATA_VERB: verb},
        },
    }


def held_facts(held: tuple[tuple[str, int], ...], t: Translator) -> list[tuple[str, str]]:
    """One line per category, with how many records it holds."""
    counts: dict[str, int] = {}
    for table, rows in held:
        label = CATEGORIES.get(table, OTHER)
        counts[label] = counts.get(label, 0) + rows
    return [(t(label), str(n)) for label, n in counts.items()]


def privacy_card(view: PrivacyView, t: Translator) -> Element:
    """What netpuls holds about you and why, with export and erase (confirmed first)."""
    body: list[Element] = [
        *notice(view.notice),
        *heading(t("What netpuls holds about you")),
        text(
            t(
                "netpuls keeps what it needs to run your networks' meetings with you: who you "
                "are, your answers, and what you share with the network. Only you and the "
                "organisers see your dietary needs; they are deleted {days} days after each "
                "meeting, and the rest is anonymised {months} months after the network ends.",
                days=view.diet_days,
                months=view.retention_months,
            )
        ),
    ]
    shown = held_facts(view.held, t)
    body.append(facts(shown) if shown else text(t("netpuls holds nothing about you.")))
    actions: list[Element] = [
        {"type": "Action.OpenUrl", "title": t("Export my data (JSON)"), "url": view.export_url}
    ]
    if view.confirming:
        body.append(
            text(
                t(
                    "Erasing deletes your profile, dietary needs and applications. What you "
                    "contributed stays for the network as from a participant of your "
                    "municipality. This cannot be undone."
                ),
                weight="Bolder",
                color="Attention",
            )
        )
        actions.append(_execute(t("Yes, erase my data"), VERB_PRIVACY_ERASE_CONFIRM))
    else:
        actions.append(_execute(t("Erase my data"), VERB_PRIVACY_ERASE))
    return card(body, actions=actions, fallback_text=t("What netpuls holds about you"))


def leaving_card(view: LeavingView, t: Translator) -> Element:
    """Erase a leaving municipality's people in one network, after this confirmation."""
    facts_ = {
        "municipality": literal(view.municipality_name),
        "network": literal(view.network_name),
    }
    title = t("Erase the people of {municipality} in {network}?", **facts_)
    body: list[Element] = [
        *heading(title),
        text(
            t(
                "{count} people take part for {municipality} in {network}. Their profiles, "
                "roles, seat places, dietary needs and the municipality's application are "
                "deleted; what they contributed stays for the network as from a participant of "
                "{municipality}.",
                count=view.people,
                **facts_,
            )
        ),
        text(t("This cannot be undone."), weight="Bolder", color="Attention"),
    ]
    data = {DATA_NETWORK: view.network_slug, DATA_MUNICIPALITY: view.municipality_key}
    action = _execute(
        t("Yes, erase the people of {municipality}", municipality=view.municipality_name),
        VERB_PRIVACY_LEAVE_CONFIRM,
        data,
    )
    return card(body, actions=[action], fallback_text=title)
