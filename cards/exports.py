"""Files for spreadsheets, in the network's language: the attendee list and the engagement."""

from __future__ import annotations

from cards.agenda import answer_label
from cards.engagement import kind_label
from cards.erased import shown_name
from domain.engagement import EngagementTable
from domain.model import Network, local_day
from domain.rsvp import Answer, Standing
from domain.spreadsheet import csv_file
from netpuls.i18n import Translator
from services.meeting_state import MeetingState


def attendees_csv(state: MeetingState, t: Translator) -> str:
    """One row per answer, then one per member municipality that has not answered."""
    rows: list[list[object]] = [
        [
            t("Municipality"),
            t("Person"),
            t("Answer"),
            t("Seat status"),
            t("Dietary needs"),
            t("Note"),
        ]
    ]
    for r in sorted(state.rsvps, key=lambda r: (r.municipality_name, r.person_name)):
        place = ""
        if r.answer is Answer.ATTENDING:
            place = t("Confirmed") if r.standing is Standing.CONFIRMED else t("Waitlist")
        rows.append(
            [
                r.municipality_name,
                shown_name(r.person_name, r.municipality_name, t),
                answer_label(r.answer.value, t),
                place,
                r.dietary,
                r.note,
            ]
        )
    answered = {r.municipality for r in state.rsvps}
    rows += [
        [m.name, "", t("No answer"), "", "", ""] for m in state.members() if m.key not in answered
    ]
    return csv_file(rows, t.language)


def engagement_csv(network: Network, table: EngagementTable, t: Translator) -> str:
    """One row per municipality: every count, the day of its last activity, quiet or not."""
    rows: list[list[object]] = [
        [
            t("Municipality"),
            *(kind_label(k.value, t) for k in table.kinds),
            t("Last activity"),
            t("Quiet"),
        ]
    ]
    for row in table.rows:
        last = local_day(row.last_activity, network.zone).isoformat() if row.last_activity else ""
        rows.append(
            [
                row.name,
                *(row.counts[k] for k in table.kinds),
                last,
                t("Yes") if row.quiet else t("No"),
            ]
        )
    return csv_file(rows, t.language)
