"""Engagement cards for the organisers: the table per municipality, and the chart per month."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from cards.elements import Element, card, facts, heading, text
from domain.errors import N_
from domain.text import literal
from netpuls.i18n import Translator

# Kinds of activity as the card's column titles (short: up to nine columns share the width).
SHORT = {
    "rsvp_answered": N_("RSVPs"),
    "meeting_attended": N_("Met"),
    "case_submitted": N_("Cases"),
    "material_shared": N_("Material"),
    "question_asked": N_("Questions"),
    "question_answered": N_("Answers"),
    "pair_call_held": N_("Pairs"),
}


@dataclass(frozen=True, slots=True)
class EngagementRow:
    """One municipality: its counts in the view's kind order, its last activity, quiet or not."""

    name: str
    counts: tuple[int, ...]
    last_active: date | None
    quiet: bool


@dataclass(frozen=True, slots=True)
class EngagementView:
    """The network's engagement over its period so far."""

    network_name: str
    start: date
    end: date
    quiet_days: int
    kinds: tuple[str, ...]  # ActivityKind values
    rows: tuple[EngagementRow, ...]
    csv_url: str = ""


@dataclass(frozen=True, slots=True)
class ChartView:
    """The activity chart and its totals per kind (the text alternative to the picture)."""

    network_name: str
    start: date
    end: date
    png: bytes
    totals: tuple[tuple[str, int], ...]  # (kind value, count)


def kind_label(kind: str, t: Translator) -> str:
    """A kind of activity in words."""
    labels = {
        "rsvp_answered": t("RSVPs answered"),
        "meeting_attended": t("Meetings attended"),
        "case_submitted": t("Cases submitted"),
        "material_shared": t("Material shared"),
        "question_asked": t("Questions asked"),
        "question_answered": t("Questions answered"),
        "pair_call_held": t("Pair calls held"),
    }
    return labels.get(kind, kind)


def _short(kind: str, t: Translator) -> str:
    return t(SHORT[kind]) if kind in SHORT else kind


def _period(start: date, end: date, t: Translator) -> str:
    return t(
        "From {start} to {end}",
        start=t.date(start, "medium"),
        end=t.date(end, "medium"),
    )


def engagement_card(view: EngagementView, t: Translator) -> Element:
    """A table per municipality (one column per kind), the quiet ones in the attention colour."""
    title = t("Engagement in {network}", network=view.network_name)
    quiet = [r.name for r in view.rows if r.quiet]
    body: list[Element] = [
        *heading(literal(title), subtle=literal(_period(view.start, view.end, t)))
    ]
    if quiet:
        line = t(
            "Quiet for more than {days} days: {names}", days=view.quiet_days, names=", ".join(quiet)
        )
        body.append(text(literal(line), color="Attention", weight="Bolder"))
    else:
        body.append(
            text(t("Nobody has been quiet for more than {days} days.", days=view.quiet_days))
        )
    body.append(_table(view, t) if view.rows else text(t("The network has no members yet.")))
    body.append(
        facts([(t(SHORT[k]), literal(kind_label(k, t))) for k in view.kinds if k in SHORT])
        | {"spacing": "Medium"}
    )
    body.append(
        text(
            t("Write engagement chart for the activity per month, engagement csv for a file."),
            isSubtle=True,
        )
    )
    actions: list[Element] = []
    if view.csv_url:
        actions.append({"type": "Action.OpenUrl", "title": t("Download CSV"), "url": view.csv_url})
    summary = f"{title}: " + (", ".join(quiet) if quiet else t("nobody is quiet"))
    return card(body, actions=actions, fallback_text=summary, speak=summary)


def _table(view: EngagementView, t: Translator) -> Element:
    # Column by column rather than row by row: one ColumnSet with a TextBlock per cell is a
    # third of the size of a ColumnSet per row, so 25 municipalities stay far below 28 KB.
    # TextBlocks do not wrap by default, so every row keeps one line and the columns align.
    names = [_cell(literal(r.name), r.quiet, bold=True) for r in view.rows]
    columns = [_column(t("Municipality"), names, "stretch")]
    for index, kind in enumerate(view.kinds):
        cells = [_cell(str(r.counts[index]), r.quiet) for r in view.rows]
        columns.append(_column(literal(_short(kind, t)), cells, "auto"))
    last = [
        _cell(t.date(r.last_active, "medium") if r.last_active else "–", r.quiet) for r in view.rows
    ]
    columns.append(_column(t("Last activity"), last, "auto"))
    return {"type": "ColumnSet", "columns": columns, "spacing": "Medium"}


def _column(title: str, cells: list[Element], width: str) -> Element:
    header: Element = {"type": "TextBlock", "text": title, "weight": "Bolder", "isSubtle": True}
    return {"type": "Column", "width": width, "items": [header, *cells]}


def _cell(value: str, quiet: bool, *, bold: bool = False) -> Element:
    cell: Element = {"type": "TextBlock", "text": value, "spacing": "None"}
    if quiet:
        cell["color"] = "Attention"
        if bold:
            cell["weight"] = "Bolder"
    return cell


def chart_card(view: ChartView, t: Translator) -> Element:
    """The chart as an image inside the card (a data: URI), with the totals as text."""
    title = t("Activity per month in {network}", network=view.network_name)
    alt = t("Bar chart of activity per month, by kind of activity.")
    image = {
        "type": "Image",
        "url": "data:image/png;base64," + base64.b64encode(view.png).decode("ascii"),
        "altText": alt,
        "size": "Stretch",
    }
    body: list[Element] = [
        *heading(literal(title), subtle=literal(_period(view.start, view.end, t))),
        image,
        facts([(literal(kind_label(kind, t)), str(count)) for kind, count in view.totals]),
    ]
    return card(body, fallback_text=title, speak=title)
