"""The welcome card for new members: the meetings (one calendar file), themes, main commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cards.agenda import plain, section_title
from cards.elements import Element, card, facts, heading, text
from domain.text import literal
from netpuls.i18n import Translator


@dataclass(frozen=True, slots=True)
class WelcomeMeeting:
    """One meeting in the welcome card's calendar."""

    number: int
    day: date
    place: str
    study_trip: bool = False


@dataclass(frozen=True, slots=True)
class WelcomeView:
    """What a new member sees first."""

    network_name: str
    municipality: str  # empty when the reader's municipality is not known
    themes: tuple[str, ...]
    meetings: tuple[WelcomeMeeting, ...]
    calendar_url: str  # a signed link to every meeting as one .ics file
    commands: tuple[tuple[str, str], ...]  # (what to write, what it does), translated


def welcome_card(view: WelcomeView, t: Translator) -> Element:
    """Welcome to the network: calendar, themes and how to use the bot."""
    title = t("Welcome to {network}", network=view.network_name)
    subtle = (
        t("{municipality} holds a seat in the network.", municipality=view.municipality)
        if view.municipality
        else ""
    )
    body: list[Element] = [*heading(literal(title), subtle=literal(subtle))]
    if view.meetings:
        body.append(section_title(t("The meetings")))
        body.append(
            facts([(literal(_meeting_label(m, t)), literal(m.place) or "–") for m in view.meetings])
        )
        body.append(text(t("The calendar file holds every meeting; add it once."), isSubtle=True))
    if view.themes:
        body.append(section_title(t("The network's themes")))
        body += [plain((f"{i}. ", True), (theme, False)) for i, theme in enumerate(view.themes, 1)]
    if view.commands:
        body.append(section_title(t("How to use netpuls")))
        body += [plain((word, True), (f" – {what}", False)) for word, what in view.commands]
    actions: list[Element] = []
    if view.calendar_url and view.meetings:
        actions.append(
            {
                "type": "Action.OpenUrl",
                "title": t("Add all meetings to your calendar"),
                "url": view.calendar_url,
            }
        )
    return card(body, actions=actions, fallback_text=title, speak=title)


def _meeting_label(meeting: WelcomeMeeting, t: Translator) -> str:
    when = t.date(meeting.day, "long")
    if meeting.study_trip:
        return t("Study trip, {date}", date=when)
    return t("Meeting {number}, {date}", number=meeting.number, date=when)
