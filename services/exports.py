"""Exports for the facilitator and the host: the attendee list as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from domain.rsvp import Answer, Rsvp
from domain.spreadsheet import safe_cell
from services.meeting_state import MeetingState


def _named(r: Rsvp) -> str:
    return r.person_name


def attendees_csv(state: MeetingState, shown: Callable[[Rsvp], str] = _named) -> str:
    """One row per answer, then one per municipality without an answer; UTF-8 with BOM for Excel.

    `shown` names the person who answered (the bot's wording says who an erased person was)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["municipality", "person", "answer", "standing", "dietary", "note"])
    for r in sorted(state.rsvps, key=lambda r: (r.municipality_name, r.person_name)):
        standing = r.standing.value if r.answer is Answer.ATTENDING else ""
        writer.writerow(
            [
                safe_cell(r.municipality_name),
                safe_cell(shown(r)),
                r.answer.value,
                standing,
                safe_cell(r.dietary),
                safe_cell(r.note),
            ]
        )
    answered = {r.municipality for r in state.rsvps}
    for m in state.members():
        if m.key not in answered:
            writer.writerow([safe_cell(m.name), "", "no_answer", "", "", ""])
    return "\ufeff" + out.getvalue()
