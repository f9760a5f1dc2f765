"""The short card for one meeting, as `next` shows it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from cards.elements import Element, card, facts, heading, text
from domain.model import Meeting, MeetingKind, Network, Phase
from domain.phases import phases_on
from domain.text import literal
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
    phases: tuple[tuple[int, str], ...] = ()  # (number, title) of the phases on its day
    join_url: str = ""  # the Teams meeting's join link, once the Outlook event exists


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
        *heading(t("Next: {title}", title=title), subtle=literal(view.network_name)),
        facts(
            [
                (t("Date"), when),
                (t("Time"), literal(hours)),
                (t("Region"), literal(view.region)),
                (t("Place"), literal(view.place)),
                (t("Host"), literal(view.host_name)),
                (t("Phase"), phase_text(view, t)),
                (t("Field visit"), literal(view.field_visit)),
            ]
        ),
    ]
    if view.programme:
        body.append(text(t("Programme"), weight="Bolder", spacing="Medium"))
        body.append(facts([(literal(at), literal(what)) for at, what in view.programme]))
    summary = f"{title}, {view.network_name}: {when}, {hours}, {view.region}"
    return card(body, fallback_text=summary, speak=summary)


def phase_text(view: MeetingView, t: Translator) -> str:
    """'Phase 2: <title>' for the network's phase on the meeting's day (two when they overlap)."""
    return literal(
        "; ".join(t("Phase {number}: {title}", number=n, title=title) for n, title in view.phases)
    )


def meeting_view(
    network: Network, meeting: Meeting, towns: dict[str, str], phases: Sequence[Phase] = ()
) -> MeetingView:
    """The card view of a meeting, names resolved; `phases` are the network's, if it has any."""
    programme = tuple(
        (
            f"{p.starts:%H:%M}" if p.starts else "",
            p.title + (f" ({p.speaker})" if p.speaker else ""),
        )
        for p in meeting.programme
    )
    return MeetingView(
        network_name=network.name,
        number=meeting.number,
        is_study_trip=meeting.kind is MeetingKind.STUDY_TRIP,
        day=meeting.day,
        end_day=meeting.end_day,
        starts=meeting.starts,
        ends=meeting.ends,
        timezone_label=network.timezone,
        region=meeting.region,
        place=meeting.place,
        host_name=towns.get(meeting.host or "", ""),
        field_visit=meeting.field_visit,
        programme=programme,
        phases=tuple((p.number, p.title) for p in phases_on(tuple(phases), meeting.day)),
    )


def meeting_name(meeting: Meeting, t: Translator) -> str:
    """'Netværksmøde 2', 'Studietur' or the meeting's own title."""
    if meeting.title:
        return meeting.title
    if meeting.kind is MeetingKind.STUDY_TRIP:
        return t("Study trip")
    return t("Network meeting {number}", number=meeting.number)
