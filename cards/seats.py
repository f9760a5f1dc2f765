"""A municipality's seat: who holds it, colleagues who share it, who usually attends."""

from __future__ import annotations

from dataclasses import dataclass

from cards.agenda import plain, section_title
from cards.elements import Element, card, heading, text
from domain.text import literal
from netpuls.i18n import Translator


@dataclass(frozen=True, slots=True)
class SeatLine:
    """One person on the seat."""

    name: str
    email: str
    holder: bool
    usual: bool


@dataclass(frozen=True, slots=True)
class SeatView:
    """The seat card."""

    network_name: str
    municipality: str
    people: tuple[SeatLine, ...]
    may_change: bool
    notice: str = ""


def seat_card(view: SeatView, t: Translator) -> Element:
    """Holder(s), colleagues and the usual attendee; how to change them, for those who may."""
    title = t(
        "{municipality}'s seat in {network}",
        municipality=view.municipality,
        network=view.network_name,
    )
    body: list[Element] = []
    if view.notice:
        body.append(text(literal(view.notice), color="Accent", weight="Bolder"))
    body += heading(
        literal(title),
        subtle=t(
            "Everyone on the seat can answer for the municipality; "
            "by default one attends each meeting."
        ),
    )
    holders = [p for p in view.people if p.holder]
    colleagues = [p for p in view.people if not p.holder]
    body.append(section_title(t("Holds the seat")))
    body += [_line(p, t) for p in holders] or [text(t("No one yet."), isSubtle=True)]
    body.append(section_title(t("Colleagues")))
    body += [_line(p, t) for p in colleagues] or [text(t("No one yet."), isSubtle=True)]
    if view.may_change:
        body.append(
            text(
                t(
                    "Change the seat with: seat add <e-mail> [name], seat remove <e-mail>, "
                    "seat usual <e-mail>, seat holder <e-mail>"
                ),
                isSubtle=True,
                spacing="Medium",
            )
        )
    return card(body, fallback_text=title, speak=title)


def _line(person: SeatLine, t: Translator) -> Element:
    usual = " · " + t("usually attends") if person.usual else ""
    return plain((person.name, True), (f" · {person.email}{usual}", False))
