"""Engagement cards for the organisers: the table per municipality, and the chart per month."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from cards.elements import Element, card, facts, heading, text
from domain.text import literal
from netpuls.i18n import Translator


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
    png: bytes = b""  # the chart of activity per month: the overview above the list


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


def _period(start: date, end: date, t: Translator) -> str:
    return t(
        "From {start} to {end}",
        start=t.date(start, "medium"),
        end=t.date(end, "medium"),
    )


def engagement_card(view: EngagementView, t: Translator) -> Element:
    """The overview as a chart, then each municipality by its full name with what it did (one
    wrapped line): it fits Teams' width at any number of members, the quiet ones highlighted."""
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
    if view.png:
        body.append(_image(view.png, t))
    if view.rows:
        body += [_municipality(view, row, t) for row in view.rows]
    else:
        body.append(text(t("The network has no members yet.")))
    body.append(
        text(
            t("Write engagement chart for the activity per month, engagement csv for a file."),
            isSubtle=True,
            spacing="Medium",
        )
    )
    actions: list[Element] = []
    if view.csv_url:
        actions.append({"type": "Action.OpenUrl", "title": t("Download CSV"), "url": view.csv_url})
    summary = f"{title}: " + (", ".join(quiet) if quiet else t("nobody is quiet"))
    return card(body, actions=actions, fallback_text=summary, speak=summary)


def _municipality(view: EngagementView, row: EngagementRow, t: Translator) -> Element:
    """A municipality's full name, then its counts and last activity as one wrapped line."""
    counts = [
        f"{kind_label(kind, t)} {count}"
        for kind, count in zip(view.kinds, row.counts, strict=True)
        if count
    ]
    last = (
        t("last activity {date}", date=t.date(row.last_active, "medium"))
        if row.last_active
        else t("no activity yet")
    )
    name: Element = text(literal(row.name), weight="Bolder")
    if row.quiet:
        name["color"] = "Attention"
    detail = text(literal(" · ".join([*counts, last])), isSubtle=True, spacing="None")
    return {"type": "Container", "items": [name, detail], "separator": True, "spacing": "Small"}


def _image(png: bytes, t: Translator) -> Element:
    return {
        "type": "Image",
        "url": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        "altText": t("Bar chart of activity per month, by kind of activity."),
        "size": "Stretch",
    }


def chart_card(view: ChartView, t: Translator) -> Element:
    """The chart as an image inside the card (a data: URI), with the totals as text."""
    title = t("Activity per month in {network}", network=view.network_name)
    body: list[Element] = [
        *heading(literal(title), subtle=literal(_period(view.start, view.end, t))),
        _image(view.png, t),
        facts([(literal(kind_label(kind, t)), str(count)) for kind, count in view.totals]),
    ]
    return card(body, fallback_text=title, speak=title)
