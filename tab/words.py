"""Labels the templates show, in the reader's language."""

from __future__ import annotations

from typing import Any

from cards.cadence import step_label
from cards.engagement import kind_label
from domain.engagement import Month
from domain.rsvp import Rsvp
from netpuls.i18n import Translator
from tab.meeting import column_of

SAFE_SCHEMES = ("https://", "http://")


def link(url: str) -> str:
    """A shared link as an href: web addresses only (never javascript: or data:)."""
    return url if url.lower().startswith(SAFE_SCHEMES) else "#"


def words(t: Translator) -> dict[str, Any]:
    """The helpers every template gets besides `t`."""
    states = {
        "past": t("Past"),
        "planned": t("Planned"),
        "skipped": t("Skipped"),
        "paused": t("Paused"),
    }
    answers = {
        "attending": t("Attending"),
        "waitlisted": t("Waitlist"),
        "maybe": t("Maybe"),
        "not_attending": t("Not attending"),
    }

    def month_label(month: Month) -> str:
        name: str = t.locale.months["format"]["abbreviated"][month[1]]
        return f"{name} {month[0]}"

    def answer_label(rsvp: Rsvp) -> str:
        return answers[column_of(rsvp)]

    return {
        "t": t,
        "step_label": lambda kind: step_label(kind, t),
        "kind_label": lambda kind: kind_label(kind, t),
        "state_label": lambda state: states.get(state, state),
        "answer_label": answer_label,
        "month_label": month_label,
        "link": link,
    }
