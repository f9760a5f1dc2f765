"""The short card for one meeting, as `next` shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from cards.elements import Element, card, facts, heading, text
from netpuls.i18n import Translator


@dataclass(frozen=True, slots=True)
class MeetingView:
    """What a meeting card shows, already resolved to names and local times."""

    network_name: str
    number: int
    is_study_trip: bool
    day: date
    end_day: date | None
    starts: time
    ends: time
    timezone_label: str
    region: str
    place: str
    host_name: str
    field_visit: str
    programme: tuple[tuple[str, str], ...] = ()


def meeting_title(view: MeetingView, t: Translator) -> str:
    """'Network meeting 3' or 'Study trip', in the reader's language."""
    if view.is_study_trip:
        return t("Study trip")
    return t("Network meeting {number}", number=view.number)


def next_meeting_card(view: MeetingView, t: Translator) -> Element:
    """The next meeting: title, when, where, host, field visit and the programme headlines."""
    when = t.date(view.day)
    if view.end_day and view.end_day != view.day:
        when = f"{when} – {t.date(view.end_day)}"
    hours = f"{t.time(view.starts)}–{t.time(view.ends)} ({view.timezone_label})"
    title = meeting_title(view, t)
    body: list[Element] = [
        *heading(t("Next: {title}", title=title), subtle=view.network_name),
        facts(
            [
                (t("Date"), when),
                (t("Time"), hours),
                (t("Region"), view.region),
                (t("Place"), view.place),
                (t("Host"), view.host_name),
                (t("Field visit"), view.field_visit),
            ]
        ),
    ]
    if view.programme:
        body.append(text(t("Programme"), weight="Bolder", spacing="Medium"))
        body.append(facts(list(view.programme)))
    summary = f"{title}, {view.network_name}: {when}, {hours}, {view.region}"
    return card(body, fallback_text=summary, speak=summary)
