"""The facilitator's view of the network's year: the coming cadence steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from cards.elements import Element, card, facts, heading, text
from domain.text import literal
from netpuls.i18n import Translator

MAX_ROWS = 20


@dataclass(frozen=True, slots=True)
class StepRow:
    """One coming step, in the network's local time."""

    day: date
    at: time
    kind: str
    meeting: int | None
    theme: str
    status: str
    is_meeting: bool = False  # the meeting itself (kind: meeting or study_trip), not a step
    trip: bool = False  # the meeting is the study trip: named, not numbered


@dataclass(frozen=True, slots=True)
class CadenceView:
    """The network and its coming steps."""

    network_name: str
    steps: tuple[StepRow, ...]
    paused: bool = False


def step_label(kind: str, t: Translator) -> str:
    """A cadence step's name for people (the `cadence` card, the digest)."""
    labels = {
        "host_prompt": t("Host prompt"),
        "call_for_cases": t("Call for cases"),
        "agenda": t("Agenda card"),
        "material_pack": t("Material pack"),
        "rsvp_reminder": t("RSVP reminder"),
        "rsvp_close": t("RSVP closes"),
        "practical_info": t("Practical information"),
        "follow_up": t("Follow-up"),
        "pulse": t("Theme question"),
        "final_evaluation": t("Final evaluation"),
        "phase_start": t("A phase begins"),
    }
    return labels.get(kind, kind)


def status_label(status: str, t: Translator) -> str:
    """A step's or meeting's status for people; planned says nothing."""
    labels = {
        "planned": "",
        "past": t("past"),
        "done": t("sent"),
        "skipped": t("skipped"),
        "paused": t("paused"),
        "running": t("sending"),
        "cancelled": t("cancelled"),
    }
    return labels.get(status, status)


def step_meeting(number: int, trip: bool, t: Translator) -> str:
    """The meeting a step belongs to: 'meeting 3', or the study trip by its label."""
    return t("Study trip") if trip else t("meeting {number}", number=number)


def _what(step: StepRow, t: Translator) -> str:
    if step.is_meeting and (step.kind == "study_trip" or step.trip):
        what = t("Study trip")
    elif step.is_meeting:
        what = t("Meeting {number}", number=step.meeting)
    else:
        what = step_label(step.kind, t)
        if step.meeting is not None:
            what += " · " + step_meeting(step.meeting, step.trip, t)
        elif step.theme:
            what += " · " + step.theme
    status = status_label(step.status, t)
    return literal(f"{what} ({status})" if status else what)


def cadence_card(view: CadenceView, t: Translator) -> Element:
    """The coming steps as a list, and how to pause, resume or move them."""
    rows = [
        (f"{t.date(s.day, 'medium')} {t.time(s.at)}", _what(s, t)) for s in view.steps[:MAX_ROWS]
    ]
    body: list[Element] = [
        *heading(literal(t("The next steps of {network}:", network=view.network_name)))
    ]
    body.append(facts(rows) if rows else text(t("Nothing is planned in the coming months.")))
    body.append(
        text(
            t(
                "Write cadence pause, cadence resume, or e.g. cadence move agenda 3 "
                "2024-05-10 09:00."
            ),
            isSubtle=True,
            spacing="Medium",
        )
    )
    summary = t("The next steps of {network}:", network=view.network_name)
    return card(body, fallback_text=summary)
