"""The attendee list for the facilitator and the host: who comes from where, and who is silent."""

from __future__ import annotations

import json

from cards.agenda import by_municipality, meeting_summary, plain, section_title, when_text
from cards.elements import Element, card, facts, heading, text
from cards.erased import shown_name
from cards.meeting import meeting_title
from cards.views import Attendee, AttendeesView
from domain.text import literal
from netpuls.i18n import Translator

# Dietary needs and notes are cut to this many bytes of JSON each (the CSV has them whole), so
# 25 municipalities with three people each stay below Teams' 80 KB even in escaped non-ASCII.
SHOWN_BYTES = 250


def attendees_card(view: AttendeesView, t: Translator) -> Element:
    """Attendees per municipality with dietary needs and notes, maybe, waitlist, the silent."""
    meeting = view.meeting
    title = t("Who is coming: {meeting}", meeting=meeting_title(meeting, t))
    body: list[Element] = [
        *heading(
            literal(title), subtle=literal(f"{meeting.network_name} · {when_text(meeting, t)}")
        ),
        facts(_counts(view, t)),
        *_attending(view.attending, t),
        *_listed(t("Attending online"), view.online, t),
        *_listed(t("Maybe"), view.maybe, t),
        *_listed(t("Waitlist"), view.waitlist, t, numbered=True),
        *_names(t("Not attending: {names}"), view.not_attending),
        *_names(t("No answer yet: {names}"), view.no_answer),
    ]
    actions: list[Element] = []
    if view.csv_url:
        actions.append({"type": "Action.OpenUrl", "title": t("Download CSV"), "url": view.csv_url})
    summary = f"{title} – {meeting_summary(meeting, t)}"
    return card(body, actions=actions, fallback_text=summary, speak=summary)


def _counts(view: AttendeesView, t: Translator) -> list[tuple[str, str]]:
    towns = {person.municipality for person in view.attending}
    return [
        (t("People attending"), str(len(view.attending))),
        (t("Municipalities attending"), str(len(towns))),
        (t("Online"), str(len(view.online)) if view.online else ""),
        (t("Maybe"), str(len(view.maybe))),
        (t("Waitlist"), str(len(view.waitlist))),
        (t("Not attending"), str(len(view.not_attending))),
        (t("No answer"), str(len(view.no_answer))),
    ]


def _attending(attending: tuple[Attendee, ...], t: Translator) -> list[Element]:
    if not attending:
        return [section_title(t("Attending")), text(t("No one has signed up yet."), isSubtle=True)]
    out = [section_title(t("Attending"))]
    for town, people in by_municipality(attending):
        out.append(text(literal(town), weight="Bolder", spacing="Small"))
        out += [_person(person, t) for person in people]
    return out


def _listed(
    title: str, people: tuple[Attendee, ...], t: Translator, *, numbered: bool = False
) -> list[Element]:
    # Names only: dietary needs matter once someone comes, and the CSV has them for everyone.
    if not people:
        return []
    lines = [
        plain(
            (f"{position}. " if numbered else "", False),
            (shown_name(p.person, p.municipality, t), True),
            (f" ({p.municipality})" if p.person else "", False),
        )
        for position, p in enumerate(people, start=1)
    ]
    return [section_title(title), *lines]


def _person(person: Attendee, t: Translator) -> Element:
    runs = [(shown_name(person.person, person.municipality, t), True)]
    if person.dietary:
        runs.append((f" · {t('Dietary needs')}: {_cut(person.dietary)}", False))
    if person.note:
        runs.append((f" · {t('Note')}: {_cut(person.note)}", False))
    return plain(*runs)


def _names(line: str, names: tuple[str, ...]) -> list[Element]:
    if not names:
        return []
    return [text(line.format(names=literal(", ".join(names))), spacing="Medium")]


def _cut(value: str) -> str:
    value = " ".join(value.split())
    if _size(value) <= SHOWN_BYTES:
        return value
    kept, used = [], _size("…")
    for char in value:
        used += _size(char)
        if used > SHOWN_BYTES:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _size(value: str) -> int:
    # As sent: json.dumps escapes every non-ASCII character to six bytes.
    return len(json.dumps(value)) - 2
