"""Engagement without a database: tallying, digest periods, the chart, and the cards' size."""

from __future__ import annotations

import base64
import dataclasses
import json
import random
import struct
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.features.digest.messages import period_text
from bot.features.engagement.commands import chart_png, engagement_view
from cards.digest import DigestItem, DigestView, digest_card
from cards.engagement import ChartView, chart_card, engagement_card
from domain.engagement import (
    ActivityEvent,
    ActivityKind,
    DigestFrequency,
    EngagementTable,
    last_period,
    next_period_end,
    tally,
)
from domain.model import Municipality, Network
from netpuls.i18n import translator
from tests.test_cards import node_or_skip, parse

TEAMS_LIMIT = 28 * 1024  # bytes of a bot message Teams accepts, card included
CPH = ZoneInfo("Europe/Copenhagen")
T = translator("en")


def network(start: date = date(2024, 1, 1), end: date = date(2026, 12, 31)) -> Network:
    return Network("net", "Net", "da", "Europe/Copenhagen", start, end, 25)


def towns(count: int) -> list[Municipality]:
    # Long, non-ASCII names: the worst case for the card's size (JSON escapes them).
    return [
        Municipality(f"m{i:02d}", f"Høje-Tåstrup Øster Kommune {i:02d}", "R") for i in range(count)
    ]


def busy(count: int, months: int, now: datetime) -> EngagementTable:
    rng = random.Random(7)
    start = now - timedelta(days=30 * months)
    events = [
        ActivityEvent(
            rng.choice(list(ActivityKind)),
            f"m{rng.randrange(count):02d}",
            start + timedelta(minutes=rng.randrange(int((now - start).total_seconds() // 60))),
        )
        for _ in range(3000)
    ]
    net = network(start.date(), now.date() + timedelta(days=365))
    return tally(net, towns(count), tuple(ActivityKind), events, now, timedelta(days=60))


def of_type(node: Any, kind: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found += [node] if node.get("type") == kind else []
        for value in node.values():
            found += of_type(value, kind)
    elif isinstance(node, list):
        for value in node:
            found += of_type(value, kind)
    return found


def size(card: dict[str, Any]) -> int:
    return len(json.dumps(card).encode())


def test_a_new_network_calls_nobody_quiet_until_the_threshold_has_passed() -> None:
    members = towns(2)
    early = tally(network(), members, (), [], datetime(2024, 2, 1, tzinfo=UTC), timedelta(days=60))
    late = tally(network(), members, (), [], datetime(2024, 3, 2, tzinfo=UTC), timedelta(days=60))
    assert early.quiet == () and len(late.quiet) == 2


def test_events_of_non_members_and_outside_the_period_are_not_counted() -> None:
    kinds = (ActivityKind.MATERIAL_SHARED,)
    now = datetime(2024, 6, 1, tzinfo=UTC)
    events = [
        ActivityEvent(ActivityKind.MATERIAL_SHARED, "m00", datetime(2024, 5, 1, tzinfo=UTC)),
        ActivityEvent(ActivityKind.MATERIAL_SHARED, "stranger", datetime(2024, 5, 1, tzinfo=UTC)),
        ActivityEvent(ActivityKind.MATERIAL_SHARED, "m00", datetime(2023, 12, 1, tzinfo=UTC)),
        ActivityEvent(ActivityKind.MATERIAL_SHARED, "m00", datetime(2024, 7, 1, tzinfo=UTC)),
    ]
    table = tally(network(), towns(1), kinds, events, now, timedelta(days=60))
    assert table.rows[0].counts == {ActivityKind.MATERIAL_SHARED: 1}
    assert sum(m[ActivityKind.MATERIAL_SHARED] for m in table.per_month.values()) == 1


def test_an_event_late_on_the_last_day_of_a_month_counts_in_local_time() -> None:
    kinds = (ActivityKind.CASE_SUBMITTED,)
    # 23:30 UTC on 31 March is 1 April in Copenhagen.
    late = ActivityEvent(
        ActivityKind.CASE_SUBMITTED, "m00", datetime(2024, 3, 31, 23, 30, tzinfo=UTC)
    )
    table = tally(
        network(), towns(1), kinds, [late], datetime(2024, 5, 1, tzinfo=UTC), timedelta(days=60)
    )
    assert table.per_month[(2024, 3)][kinds[0]] == 0 and table.per_month[(2024, 4)][kinds[0]] == 1


@pytest.mark.parametrize(
    ("frequency", "now", "label", "start", "end"),
    [
        (
            "weekly",
            datetime(2024, 5, 6, 8, tzinfo=UTC),
            "2024-W18",
            date(2024, 4, 29),
            date(2024, 5, 6),
        ),
        (
            "weekly",
            datetime(2024, 5, 12, 20, tzinfo=UTC),
            "2024-W18",
            date(2024, 4, 29),
            date(2024, 5, 6),
        ),
        (
            "weekly",
            datetime(2025, 1, 6, 8, tzinfo=UTC),
            "2025-W01",
            date(2024, 12, 30),
            date(2025, 1, 6),
        ),
        (
            "monthly",
            datetime(2024, 3, 1, 8, tzinfo=UTC),
            "2024-02",
            date(2024, 2, 1),
            date(2024, 3, 1),
        ),
        (
            "monthly",
            datetime(2025, 1, 15, tzinfo=UTC),
            "2024-12",
            date(2024, 12, 1),
            date(2025, 1, 1),
        ),
    ],
)
def test_the_digest_covers_the_last_full_week_or_month(
    frequency: str, now: datetime, label: str, start: date, end: date
) -> None:
    period = last_period(DigestFrequency(frequency), now, CPH)
    assert (period.label, period.start.date(), period.end.date()) == (label, start, end)
    assert period.start.tzinfo == CPH


def test_coming_up_covers_the_period_after_the_digest() -> None:
    weekly = last_period(DigestFrequency.WEEKLY, datetime(2024, 5, 6, 8, tzinfo=UTC), CPH)
    monthly = last_period(DigestFrequency.MONTHLY, datetime(2024, 1, 31, tzinfo=UTC), CPH)
    assert next_period_end(weekly, DigestFrequency.WEEKLY).date() == date(2024, 5, 13)
    assert next_period_end(monthly, DigestFrequency.MONTHLY).date() == date(2024, 2, 1)


def twenty_five(now: datetime) -> EngagementTable:
    """25 members, among them København and Køge (alike in their first letters), one quiet."""
    table = busy(25, 27, now)
    named = [
        dataclasses.replace(r, name=name)
        for r, name in zip(table.rows, ("Københavns Kommune", "Køge Kommune"), strict=False)
    ]
    quiet = tally(network(), towns(26), table.kinds, [], now, timedelta(days=60)).rows[25]
    rows = (*named, *table.rows[2:24], quiet)
    return EngagementTable(
        table.kinds, rows, table.months, table.per_month, table.start, table.end, 60
    )


def test_twenty_five_municipalities_are_listed_by_full_name_below_the_chart_in_one_card(
    tmp_path: Path,
) -> None:
    now = datetime(2026, 3, 31, tzinfo=UTC)
    table = twenty_five(now)
    png = chart_png(table, translator("da"))
    view = engagement_view(network(), table, "https://x.example.org/c.csv", png)
    card = engagement_card(view, translator("da"))
    assert size(card) < TEAMS_LIMIT
    assert not of_type(card, "ColumnSet")  # no table: its columns cut names at 25 members
    (image,) = of_type(card, "Image")
    assert base64.b64decode(image["url"].removeprefix("data:image/png;base64,")) == png
    assert card["body"].index(image) < card["body"].index(of_type(card, "Container")[0])
    listed = [c["items"][0] for c in of_type(card, "Container")]
    assert [n["text"] for n in listed] == [r.name for r in table.rows]
    assert listed[0]["text"] == "Københavns Kommune" and listed[1]["text"] == "Køge Kommune"
    assert all(n["wrap"] for c in of_type(card, "Container") for n in c["items"])
    assert [n["text"] for n in listed if n.get("color") == "Attention"] == [table.rows[-1].name]
    odense = of_type(card, "Container")[2]["items"][1]["text"]
    assert "Tilmeldinger besvaret" in odense and "senest aktiv" in odense
    assert (
        table.rows[-1].name in card["body"][2]["text"] and card["body"][2]["color"] == "Attention"
    )
    assert card["actions"][0]["url"] == "https://x.example.org/c.csv"
    file = tmp_path / "engagement-25.da.json"
    file.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    result = parse(node_or_skip(), [file])
    assert result.returncode == 0, result.stderr


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_chart_is_a_small_png_that_travels_inside_its_card() -> None:
    table = busy(25, 36, datetime(2026, 12, 31, tzinfo=UTC))
    png = chart_png(table, translator("da"))
    assert png_size(png) == (640, 256)
    assert len(png) < 20_000 and png.endswith(b"IEND\xaeB`\x82")
    totals = tuple((k.value, sum(r.counts[k] for r in table.rows)) for k in table.kinds)
    card = chart_card(ChartView("Net", table.start, table.end, png, totals), T)
    (image,) = of_type(card, "Image")
    assert base64.b64decode(image["url"].removeprefix("data:image/png;base64,")) == png
    assert size(card) < TEAMS_LIMIT
    assert sum(int(f["value"]) for f in of_type(card, "FactSet")[0]["facts"]) == 3000


def test_the_digest_leaves_out_empty_sections_and_never_reads_titles_as_markdown() -> None:
    typed = DigestItem(
        "**Bold** [x](https://evil.example)", "file:///c:/secret", "A", date(2024, 3, 1)
    )
    view = DigestView("Net", "Week 11, 2024", (typed,), None, None, ())
    card = digest_card(view, T)
    texts = [b["text"] for b in of_type(card, "TextBlock")]
    assert texts == ["What happened in Net", "Week 11, 2024", "New material (1)"]
    assert {"type": "TextRun", "text": typed.title, "weight": "Bolder"} in of_type(card, "TextRun")


def test_a_long_digest_lists_the_first_items_and_says_how_many_more() -> None:
    item = DigestItem(
        "Notat " + "æ" * 290, "https://example.org/" + "x" * 1900, "Ø" * 200, date(2024, 3, 1)
    )
    card = digest_card(DigestView("Net", "Marts 2024", (item,) * 40, 4, 2, ()), T)
    assert size(card) < TEAMS_LIMIT
    texts = [b["text"] for b in of_type(card, "TextBlock")]
    assert any(
        t.startswith("… and ") and t.endswith("Write material to see everything.") for t in texts
    )
    assert "4 asked, 2 answered." in texts


def test_the_digest_period_is_named_in_the_networks_language() -> None:
    from services.digest import Digest

    weekly = last_period(DigestFrequency.WEEKLY, datetime(2024, 3, 18, 8, tzinfo=UTC), CPH)
    monthly = last_period(DigestFrequency.MONTHLY, datetime(2024, 4, 1, 8, tzinfo=UTC), CPH)
    net = network()
    week = Digest(net, DigestFrequency.WEEKLY, weekly, (), None, None, (), None)
    month = Digest(net, DigestFrequency.MONTHLY, monthly, (), None, None, (), None)
    assert period_text(week, translator("da")) == "Uge 11, 2024"
    assert period_text(month, translator("sv")) == "Mars 2024"
