"""Example data for the engagement cards and the digest, in each language."""

from __future__ import annotations

from datetime import date, time

from cards.digest import ComingStep, DigestItem, DigestView, digest_card
from cards.elements import Element
from cards.engagement import (
    ChartView,
    EngagementRow,
    EngagementView,
    chart_card,
    engagement_card,
)
from netpuls.i18n import translator

NETWORK = {
    "da": "Kompakte, grønne byer",
    "sv": "Kompakta, gröna städer",
    "en": "Compact, green cities",
}
PERIOD = {"da": "Uge 11, 2024", "sv": "Vecka 11, 2024", "en": "Week 11, 2024"}
KINDS = ("rsvp_answered", "meeting_attended", "case_submitted", "material_shared")
# A 1x1 PNG: the real chart is drawn by matplotlib at run time, not for example cards.
PIXEL = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc`(\xda\x04\x00\x01\x9a\x01%y\xd2\x94\xfa\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def rows() -> tuple[EngagementRow, ...]:
    """Three municipalities: two taking part, one quiet since the first meeting."""
    return (
        EngagementRow("Køge Kommune", (2, 1, 0, 0), date(2024, 3, 14), quiet=True),
        EngagementRow("Odense Kommune", (2, 1, 1, 3), date(2024, 5, 21), quiet=False),
        EngagementRow("Svendborg Kommune", (1, 0, 2, 1), date(2024, 5, 2), quiet=False),
    )


def engagement_examples(language: str) -> dict[str, Element]:
    """The engagement table, the chart and a weekly digest, named '<card>-<state>'."""
    t = translator(language)
    network = NETWORK[language]
    start, end = date(2024, 1, 1), date(2024, 6, 1)
    table = EngagementView(
        network,
        start,
        end,
        60,
        KINDS,
        rows(),
        "https://netpuls.example.org/exports/kompakte-groenne-byer/engagement.csv?exp=1&sig=x",
        PIXEL,
    )
    chart = ChartView(network, start, end, PIXEL, tuple(zip(KINDS, (5, 2, 3, 4), strict=True)))
    digest = DigestView(
        network,
        PERIOD[language],
        (
            DigestItem(
                "Baggrundsnotat om stationsnær fortætning",
                "https://contoso.sharepoint.com/sites/Network/Shared%20Documents/notat.pdf",
                "Planlægger Odense",
                date(2024, 3, 12),
            ),
            DigestItem(
                "Plan22+ [2024]", "https://example.org/plan22", "Planlægger Køge", date(2024, 3, 13)
            ),
        ),
        questions_asked=2,
        questions_answered=3,
        coming=(
            ComingStep(date(2024, 3, 19), time(9), "material_pack", 2),
            ComingStep(date(2024, 3, 26), time(9), "rsvp_reminder", 2),
        ),
        next_meeting="Netværksmøde 2, 30. maj 2024, Køge",
    )
    return {
        "engagement-overview": engagement_card(table, t),
        "engagement-chart": chart_card(chart, t),
        "digest-weekly": digest_card(digest, t),
    }
