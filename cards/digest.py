"""The digest card: what happened in the network last week or month, and what comes next."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time
from urllib.parse import quote

from cards.agenda import plain, section_title
from cards.cadence import step_label, step_meeting
from cards.elements import Element, card, facts, heading, text
from cards.material import URL_SAFE
from domain.text import literal
from netpuls.i18n import Translator

MAX_ITEMS = 10
MAX_COMING = 8
ENTRIES_BUDGET = 20_000  # bytes of JSON for the material entries: the card stays below 28 KB


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One new file or link."""

    title: str
    url: str
    shared_by: str
    shared_on: date


@dataclass(frozen=True, slots=True)
class ComingStep:
    """A planned cadence step, in the network's local time."""

    day: date
    at: time
    kind: str
    meeting: int | None
    trip: bool = False  # the meeting is the study trip


@dataclass(frozen=True, slots=True)
class DigestView:
    """The digest, names and dates resolved."""

    network_name: str
    period: str  # 'week 11, 2024' or 'March 2024'
    items: tuple[DigestItem, ...]
    questions_asked: int | None  # None: no questions in this installation
    questions_answered: int | None
    coming: tuple[ComingStep, ...]
    next_meeting: str = ""  # 'Network meeting 2, 30 May 2024, Køge'


def digest_card(view: DigestView, t: Translator) -> Element:
    """New material, the questions, and the coming steps; empty sections are left out."""
    title = t("What happened in {network}", network=view.network_name)
    body: list[Element] = [*heading(literal(title), subtle=literal(view.period))]
    body += _material(view.items, t)
    body += _questions(view, t)
    body += _coming(view, t)
    summary = f"{title} ({view.period})"
    return card(body, fallback_text=summary, speak=summary)


def _material(items: tuple[DigestItem, ...], t: Translator) -> list[Element]:
    if not items:
        return []
    out = [section_title(t("New material ({count})", count=len(items)))]
    used, shown = 0, 0
    for item in items[:MAX_ITEMS]:
        entry = _entry(item, t)
        used += len(json.dumps(entry).encode())
        if used > ENTRIES_BUDGET:
            break
        out.append(entry)
        shown += 1
    if shown < len(items):
        out.append(
            text(
                t(
                    "… and {count} more. Write material to see everything.",
                    count=len(items) - shown,
                ),
                isSubtle=True,
            )
        )
    return out


def _entry(item: DigestItem, t: Translator) -> Element:
    about = f" · {item.shared_by} · {t.date(item.shared_on, 'medium')}"
    if item.url.startswith(("https://", "http://")):
        # A Markdown link, as the material card makes it; what people typed is otherwise plain.
        url = quote(item.url, safe=URL_SAFE)
        return text(f"[{literal(item.title)}]({url}){literal(about)}", spacing="Small")
    return {**plain((item.title, True), (about, False)), "spacing": "Small"}


def _questions(view: DigestView, t: Translator) -> list[Element]:
    if view.questions_asked is None:
        return []
    asked, answered = view.questions_asked, view.questions_answered or 0
    if not asked and not answered:
        return []
    return [
        section_title(t("Questions to the network")),
        text(t("{asked} asked, {answered} answered.", asked=asked, answered=answered)),
    ]


def _coming(view: DigestView, t: Translator) -> list[Element]:
    if not view.coming and not view.next_meeting:
        return []
    out = [section_title(t("Coming up"))]
    rows = []
    for step in view.coming[:MAX_COMING]:
        what = step_label(step.kind, t)
        if step.meeting is not None:
            what += " · " + step_meeting(step.meeting, step.trip, t)
        rows.append((f"{t.date(step.day, 'medium')} {t.time(step.at)}", literal(what)))
    if rows:
        out.append(facts(rows))
    if view.next_meeting:
        out.append(text(literal(t("Next meeting: {meeting}", meeting=view.next_meeting))))
    return out
