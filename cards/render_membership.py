"""Example data for the membership cards: the application form, the list, selection, fees."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from cards.elements import Element
from cards.fees import FeeRow, FeesView, fees_card
from cards.membership import (
    ApplicationFormView,
    ApplicationLine,
    ApplicationsView,
    application_card,
    applications_card,
)
from cards.seats import SeatLine, SeatView, seat_card
from cards.selection import (
    ConfirmedView,
    CoverageView,
    Pick,
    SelectionView,
    confirmed_card,
    selection_card,
)
from cards.welcome import WelcomeMeeting, WelcomeView, welcome_card
from domain.application_form import DANISH_REGIONS, SWEDISH_COUNTIES
from netpuls.i18n import translator

CPH = ZoneInfo("Europe/Copenhagen")
# The example networks' own words; the municipalities are real, the people placeholders.
SLUG = "kompakte-groenne-byer"
NAMES = {"da": "Kompakte, grønne byer", "en": "Compact, green cities"}
THEMES = {
    "da": (
        "Hvordan planlægger vi for en kompakt by, hvor klima og kvalitet går hånd i hånd?",
        "Hvilken rolle spiller det grønne i den kompakte by?",
        "Hvordan vurderer vi potentialer for fortætning og kompakt byudvikling?",
    ),
    "en": (
        "How do we plan a compact city where climate and quality go hand in hand?",
        "What role does green space play in the compact city?",
        "How do we assess the potential for densification and compact development?",
    ),
}
SKL_THEMES = (
    "Tidig medborgardialog i planprocessen, innan samrådet",
    "Platsutveckling som skapar värde för dem som bor och lever på platsen",
    "System och metoder för medborgardialog i kommunen",
)
TOWNS = (
    ("esbjerg", "Esbjerg Kommune", "Region Syddanmark", (1, 3)),
    ("randers", "Randers Kommune", "Region Midtjylland", (2,)),
    ("kalundborg", "Kalundborg Kommune", "Region Sjælland", (1,)),
    ("furesoe", "Furesø Kommune", "Region Hovedstaden", (2, 3)),
    ("broenderslev", "Brønderslev Kommune", "Region Nordjylland", (3,)),
    ("vejen", "Vejen Kommune", "Region Syddanmark", (1,)),
)


def form_views(language: str) -> dict[str, ApplicationFormView]:
    """The form: empty, refused as a duplicate (offering to replace), SKL's with its extras."""
    t = translator(language)
    closes = datetime.combine(date(2024, 2, 24), time(23, 59), CPH)
    lang = "da" if language == "da" else "en"
    empty = ApplicationFormView(
        network_slug=SLUG,
        network_name=NAMES[lang],
        closes_at=closes,
        themes=THEMES[lang],
        regions=DANISH_REGIONS,
        needs_commitment=False,
    )
    typed = {
        "municipality": "Esbjerg Kommune",
        "region": "Region Syddanmark",
        "head_of_planning": "Planchef, Esbjerg",
        "email": "planchef.esbjerg@example.org",
        "interest": "Esbjerg vil udvikle kompakte, grønne byer og lære af de andre kommuner.",
        "themes": "1,3",
        "links": "https://example.org/esbjerg/planstrategi",
    }
    duplicate = t(
        "{municipality} has already applied (version {version}). Choose 'Replace the "
        "application' to replace it with this one.",
        municipality="Esbjerg Kommune",
        version=1,
    )
    skl = ApplicationFormView(
        network_slug="skl-medborgardialog",
        network_name="Medborgardialog som stöd i platsutveckling",
        closes_at=datetime.combine(date(2015, 11, 15), time(23, 59), ZoneInfo("Europe/Stockholm")),
        themes=SKL_THEMES,
        regions=SWEDISH_COUNTIES,
        needs_commitment=True,
        requires=("area_idea", "working_group"),
    )
    return {
        "new": empty,
        "duplicate": replace(empty, values=typed, notice=duplicate, offer_replace=True),
        "edit": replace(empty, values=typed, base="esbjerg:2"),
        "skl": skl,
    }


def _picks(numbers: range, fixed: str = "") -> tuple[Pick, ...]:
    return tuple(
        Pick(key, name, region, themes, key == fixed)
        for key, name, region, themes in (TOWNS[i] for i in numbers)
    )


def selection_view(language: str) -> SelectionView:
    """Four of six applicants proposed, with Furesø fixed in."""
    return SelectionView(
        network_slug=SLUG,
        network_name=NAMES["da" if language == "da" else "en"],
        seats=4,
        chosen=_picks(range(4), fixed="furesoe"),
        others=_picks(range(4, 6)),
        coverage=CoverageView(3, 3, 4, 5, 0.666667, 1.2),
        best=CoverageView(3, 3, 4, 5, 2, 1.2),
        worst=CoverageView(2, 3, 2, 5, 4, 4.4),
        draws=1000,
    )


def membership_examples(language: str) -> dict[str, Element]:
    """Every membership card in one language, named '<card>-<state>'."""
    t = translator(language)
    cards = {f"application-{k}": application_card(v, t) for k, v in form_views(language).items()}
    proposal = selection_view(language)
    still_open = datetime.combine(date(2024, 2, 24), time(23, 59), CPH)
    cards["selection-proposal"] = selection_card(proposal, t)
    cards["selection-open"] = selection_card(replace(proposal, open_until=still_open), t)
    cards["selection-confirmed"] = confirmed_card(
        ConfirmedView(
            network_name=proposal.network_name,
            admitted=tuple(p.municipality for p in proposal.chosen),
            declined=tuple(p.municipality for p in proposal.others),
            told=4,
            tell_yourself=(("Vejen Kommune", "planchef.vejen@example.org", False),),
        ),
        t,
    )
    cards["applications-list"] = applications_card(_applications(language), t)
    cards["fees-list"] = fees_card(_fees(language), t)
    cards["welcome-member"] = welcome_card(_welcome(language), t)
    cards["seat-colleagues"] = seat_card(_seat(language), t)
    cards["seat-read-only"] = seat_card(replace(_seat(language), may_change=False), t)
    return cards


def _welcome(language: str) -> WelcomeView:
    t = translator(language)
    lang = "da" if language == "da" else "en"
    places = ("Københavns Rådhus", "Køge, Teaterbygningen", "Odense Rådhus", "Aarhus Rådhus")
    days = (date(2024, 3, 14), date(2024, 5, 30), date(2024, 9, 12), date(2024, 11, 21))
    meetings = tuple(
        WelcomeMeeting(i, day, place)
        for i, (day, place) in enumerate(zip(days, places, strict=True), 1)
    )
    commands = (
        ("next", t("the next meeting of the network")),
        ("seat", t("your municipality's seat: colleagues and who usually attends")),
        ("help", t("show this list")),
    )
    return WelcomeView(
        network_name=NAMES[lang],
        municipality="Esbjerg Kommune",
        themes=THEMES[lang],
        meetings=(*meetings, WelcomeMeeting(9, date(2025, 5, 20), "Malmö", study_trip=True)),
        calendar_url=f"http://127.0.0.1:3978/calendar/{SLUG}.ics?exp=1767225600&sig=example",
        commands=commands,
    )


def _seat(language: str) -> SeatView:
    t = translator(language)
    return SeatView(
        network_name=NAMES["da" if language == "da" else "en"],
        municipality="Esbjerg Kommune",
        people=(
            SeatLine("Planchef, Esbjerg", "planchef.esbjerg@example.org", True, False),
            SeatLine("Planlægger, Esbjerg", "planlaegger.esbjerg@example.org", False, True),
            SeatLine("Byplanlægger, Esbjerg", "byplan.esbjerg@example.org", False, False),
        ),
        may_change=True,
        notice=t(
            "{name} usually attends for {municipality}.",
            name="Planlægger, Esbjerg",
            municipality="Esbjerg Kommune",
        ),
    )


def _applications(language: str) -> ApplicationsView:
    t = translator(language)
    sent = datetime(2024, 2, 12, 14, 30, tzinfo=CPH)
    lines = tuple(
        ApplicationLine(
            municipality=name,
            region=region,
            head_of_planning=f"Planchef, {name.split()[0]}",
            email=f"planchef.{key}@example.org",
            words=120 + 37 * i,
            theme_numbers=themes,
            version=1 + i % 2,
            sent=sent,
            status=t("Received"),
            links=i % 3,
        )
        for i, (key, name, region, themes) in enumerate(TOWNS)
    )
    lang = "da" if language == "da" else "en"
    return ApplicationsView(
        network_name=NAMES[lang],
        call_line=t("Closed on {deadline}", deadline=datetime(2024, 2, 24, 23, 59, tzinfo=CPH)),
        seats=25,
        themes=THEMES[lang],
        lines=lines,
    )


def _fees(language: str) -> FeesView:
    t = translator(language)
    towns = ("Botkyrka kommun", "Malmö stad", "Uppsala kommun")
    states = (
        (t("paid"), True, True),
        (t("invoiced"), True, False),
        (t("not invoiced"), False, False),
    )
    rows = tuple(
        FeeRow(
            town,
            year,
            "5\u00a0000 SEK",
            state,
            invoiced_on=date(year, 1, 15) if invoiced else None,
            paid_on=date(year, 2, 20) if paid else None,
        )
        for year in (2016, 2017)
        for town, (state, invoiced, paid) in zip(towns, states, strict=True)
    )
    return FeesView("Medborgardialog som stöd i platsutveckling", rows)
