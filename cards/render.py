"""Example data for every card the bot can produce, and `render_all` to write them as JSON files."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, time
from pathlib import Path

from cards.agenda import agenda_card
from cards.attendees import attendees_card
from cards.cadence import CadenceView, StepRow, cadence_card
from cards.elements import Element
from cards.meeting import MeetingView, next_meeting_card
from cards.render_engagement import engagement_examples
from cards.render_material import material_examples
from cards.render_membership import membership_examples
from cards.render_pairs import pairs_examples
from cards.render_privacy import privacy_examples
from cards.render_questions import questions_examples
from cards.render_roster import roster_examples
from cards.render_sparring import sparring_examples
from cards.views import AgendaView, Attendee, AttendeesView, MyAnswer, RsvpState
from domain.model import LANGUAGES, ProgrammeItem, ProgrammeKind
from netpuls.i18n import translator

K = ProgrammeKind
KEY = "kompakte-groenne-byer:1"
TRIP_KEY = "kompakte-groenne-byer:9"
CALENDAR_URL = "https://netpuls.example.org/ics/kompakte-groenne-byer/1?sig=example"
# Teams user ids (MRIs) whose copy refreshes by itself: the facilitator, the latest answerer.
REFRESH_USER_IDS = ("29:1example-facilitator", "29:1example-planner-odense")
CSV_URL = "https://netpuls.example.org/csv/kompakte-groenne-byer/1?sig=example"
# Real municipalities of the Plan22+ example network; the people are placeholders.
TOWNS = (
    "Odense", "Køge", "Aarhus", "København", "Svendborg", "Roskilde", "Aalborg", "Frederiksberg",
    "Gladsaxe", "Høje-Taastrup", "Hillerød", "Holbæk", "Næstved", "Slagelse", "Faaborg-Midtfyn",
    "Middelfart", "Vejle", "Sønderborg", "Silkeborg", "Horsens", "Herning", "Viborg", "Hjørring",
    "Frederikshavn", "Thisted",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Wording:
    """The example network's own words (programme, place, cases), as it would write them."""

    network: str
    municipality: str  # "{town} Kommune"
    planner: str  # "Planner, {town}"
    region: str
    place: str
    field_visit: str
    programme: tuple[tuple[str, ProgrammeKind, str], ...]  # title, kind, speaker
    cases: tuple[str, str]
    material: tuple[str, str]
    trip_region: str
    trip_visit: str
    dietary: tuple[str, str, str]
    note: str
    notice: str  # what the bot says on the reader's copy after an answer


DA = Wording(
    network="Kompakte, grønne byer",
    municipality="{town} Kommune",
    planner="Planlægger, {town}",
    region="Fyn",
    place="Odense, Borgernes Hus",
    field_visit="Byvandring i et stationsnært område, hvor et tidligere erhvervsområde omdannes "
    "til blandet, tæt by.",
    programme=(
        ("Velkomst ved værtskommunen", K.TALK, "Værtskommunen"),
        ("Præsentation af netværket og deltagerne", K.DISCUSSION, "Netværksfacilitator"),
        ("Oplæg: Hvordan vurderer vi potentialer for fortætning?", K.TALK, ""),
        ("Sparring på værtens problemstillinger", K.SPARRING, ""),
        ("Frokost", K.BREAK, ""),
        ("Besøg i felten", K.FIELD_VISIT, "Værtskommunen"),
        ("Opsamling og næste møde", K.DISCUSSION, "Netværksfacilitator"),
    ),
    cases=("Fortætning omkring en ny letbanestation", "Grønne friarealer i tætte boligområder"),
    material=("Program for 1. netværksmøde", "Baggrundsnotat om stationsnær fortætning"),
    trip_region="Holland",
    trip_visit="Besøg i byer, der er kommet langt med kompakt, grøn byudvikling.",
    dietary=("Vegetar", "Glutenfri", "Nøddeallergi"),
    note="Ankommer først kl. 11 på grund af toget.",
    notice="Tak: du deltager.",
)
SV = Wording(
    network="Kompakta, gröna städer",
    municipality="{town} kommun",
    planner="Planerare, {town}",
    region="Fyn",
    place="Odense, Borgernes Hus",
    field_visit="Stadsvandring i ett stationsnära område där ett tidigare verksamhetsområde "
    "omvandlas till blandad, tät stad.",
    programme=(
        ("Välkommen från värdkommunen", K.TALK, "Värdkommunen"),
        ("Presentation av nätverket och deltagarna", K.DISCUSSION, "Processledare"),
        ("Inspel: Hur bedömer vi potentialen för förtätning?", K.TALK, ""),
        ("Sparring på värdens frågeställningar", K.SPARRING, ""),
        ("Lunch", K.BREAK, ""),
        ("Studiebesök", K.FIELD_VISIT, "Värdkommunen"),
        ("Sammanfattning och nästa möte", K.DISCUSSION, "Processledare"),
    ),
    cases=("Förtätning kring en ny spårvägshållplats", "Gröna friytor i täta bostadsområden"),
    material=("Program för nätverksmöte 1", "Bakgrundsnotat om stationsnära förtätning"),
    trip_region="Nederländerna",
    trip_visit="Besök i städer som har kommit långt med kompakt, grön stadsutveckling.",
    dietary=("Vegetarisk", "Glutenfri", "Nötallergi"),
    note="Kommer först kl. 11 på grund av tåget.",
    notice="Tack: du kommer.",
)
EN = Wording(
    network="Compact, green cities",
    municipality="{town} Municipality",
    planner="Planner, {town}",
    region="Funen",
    place="Odense, Borgernes Hus",
    field_visit="A walk through an area near the station where a former business park is "
    "turning into a mixed, dense neighbourhood.",
    programme=(
        ("Welcome from the host municipality", K.TALK, "Host municipality"),
        ("The network and its members", K.DISCUSSION, "Network facilitator"),
        ("Talk: How do we assess the potential for densification?", K.TALK, ""),
        ("Sparring on the host's problem statements", K.SPARRING, ""),
        ("Lunch", K.BREAK, ""),
        ("Field visit", K.FIELD_VISIT, "Host municipality"),
        ("Wrap-up and next meeting", K.DISCUSSION, "Network facilitator"),
    ),
    cases=("Densification around a new light-rail stop", "Green open space in dense housing"),
    material=("Programme for network meeting 1", "Background note on densification near stations"),
    trip_region="The Netherlands",
    trip_visit="Visits to cities that have come far with compact, green urban development.",
    dietary=("Vegetarian", "Gluten-free", "Nut allergy"),
    note="Arriving at 11:00 because of the train.",
    notice="Thank you: you are attending.",
)
WORDING = {"da": DA, "sv": SV, "en": EN}
SLOTS = ((10, 0), (10, 15), (10, 45), (11, 30), (12, 15), (13, 0), (14, 30), (15, 0))


JOIN_URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_example%40thread.v2/0"
# Two phases of a phased network overlapping on a meeting's day (example data).
PHASES = ((3, "Learning and further development"), (4, "Spreading the experience"))


def programme(w: Wording) -> tuple[ProgrammeItem, ...]:
    """Meeting 1's programme in the example's wording, with times."""
    return tuple(
        ProgrammeItem(i, title, kind, time(*SLOTS[i]), time(*SLOTS[i + 1]), speaker)
        for i, (title, kind, speaker) in enumerate(w.programme)
    )


def meeting(w: Wording, *, study_trip: bool = False) -> MeetingView:
    """Meeting 1 of the example network in Odense, or its study trip."""
    if study_trip:
        return MeetingView(
            network_name=w.network,
            number=9,
            is_study_trip=True,
            day=date(2025, 5, 5),
            end_day=date(2025, 5, 7),
            starts=time(8),
            ends=time(18),
            timezone_label="Europe/Copenhagen",
            region=w.trip_region,
            place="",
            host_name="",
            field_visit=w.trip_visit,
        )
    return MeetingView(
        network_name=w.network,
        number=1,
        is_study_trip=False,
        day=date(2024, 3, 14),
        end_day=None,
        starts=time(10),
        ends=time(15),
        timezone_label="Europe/Copenhagen",
        region=w.region,
        place=w.place,
        host_name=w.municipality.format(town="Odense"),
        field_visit=w.field_visit,
        programme=tuple((f"{item.starts:%H:%M}", item.title) for item in programme(w)),
    )


def people(w: Wording, towns: range, *, per_town: int = 1, notes: bool = False) -> list[Attendee]:
    """Placeholder planners from the given municipalities, some with dietary needs."""
    out: list[Attendee] = []
    for i in towns:
        for seat in range(per_town):
            name = w.planner.format(town=TOWNS[i]) + (f" {seat + 1}" if per_town > 1 else "")
            dietary = w.dietary[i % 3] if i % 4 == 0 else ""
            note = w.note if notes and i % 5 == 1 else ""
            out.append(Attendee(name, w.municipality.format(town=TOWNS[i]), dietary, note))
    return out


def rsvp(w: Wording, *, closed: bool = False, capacity: int | None = None) -> RsvpState:
    """Fourteen municipalities coming, two maybe, a waitlist when there is a capacity."""
    coming = people(w, range(14))
    waitlist = people(w, range(18, 21)) if capacity is not None else []
    return RsvpState(
        answered_municipalities=20 if capacity is None else 23,
        total_municipalities=len(TOWNS),
        attending=tuple(coming[:capacity]),
        maybe=tuple(people(w, range(14, 16))),
        waitlist=tuple(coming[capacity:] + waitlist) if capacity is not None else (),
        deadline_day=date(2024, 3, 12),
        deadline_time=time(23, 59),
        closed=closed,
        capacity=capacity,
    )


def agenda_views(w: Wording) -> dict[str, AgendaView]:
    """The agenda card's states: shared copy, own answer, waitlisted, closed, study trip."""
    mine = MyAnswer("attending", dietary=w.dietary[0], note=w.note)
    open_ = AgendaView(
        KEY,
        meeting(w),
        rsvp(w),
        calendar_url=CALENDAR_URL,
        accepted_cases=tuple(
            (case, w.municipality.format(town=town))
            for case, town in zip(w.cases, ("Odense", "Gladsaxe"), strict=True)
        ),
        material=tuple(
            (title, f"https://example.org/plan22/moede-1/{slug}.pdf")
            for title, slug in zip(w.material, ("program", "baggrundsnotat"), strict=True)
        ),
        programme=programme(w),
        refresh_user_ids=REFRESH_USER_IDS,
    )
    full = AgendaView(
        KEY,
        meeting(w),
        rsvp(w, capacity=12),
        CALENDAR_URL,
        programme=programme(w),
        refresh_user_ids=REFRESH_USER_IDS,
    )
    waiting = MyAnswer("attending", waitlisted=True, waitlist_position=2, dietary=w.dietary[1])
    trip = AgendaView(
        TRIP_KEY,
        meeting(w, study_trip=True),
        RsvpState(
            answered_municipalities=6,
            total_municipalities=len(TOWNS),
            attending=tuple(people(w, range(4))),
            maybe=(),
            waitlist=(),
            deadline_day=date(2025, 4, 1),
            deadline_time=time(23, 59),
            closed=False,
            capacity=20,
        ),
        calendar_url=CALENDAR_URL,
        own_cost_note=True,
    )
    return {
        "open": open_,
        "attending": replace(open_, mine=mine, notice=w.notice),
        "waitlisted": replace(full, mine=waiting),
        "closed": replace(open_, rsvp=rsvp(w, closed=True), mine=mine, calendar_url=""),
        "study-trip": trip,
        # A network in phases (the SKL case): the phases in progress on the meeting's day.
        "phased": replace(open_, meeting=replace(meeting(w), phases=PHASES)),
        # A hybrid meeting whose Outlook event exists: the Teams link and 'attending online'.
        "hybrid": replace(
            open_,
            meeting=replace(meeting(w), join_url=JOIN_URL),
            rsvp=replace(rsvp(w), online_allowed=True, online=tuple(people(w, range(16, 18)))),
        ),
    }


def attendees_view(w: Wording) -> AttendeesView:
    """The list after the deadline: people, dietary needs, maybe, waitlist, the silent."""
    town = w.municipality.format
    return AttendeesView(
        KEY,
        meeting(w),
        attending=tuple(people(w, range(12), notes=True)),
        maybe=tuple(people(w, range(14, 16))),
        waitlist=tuple(people(w, range(12, 14), notes=True)),
        not_attending=tuple(town(town=t) for t in TOWNS[16:20]),
        no_answer=tuple(town(town=t) for t in TOWNS[20:]),
        csv_url=CSV_URL,
        online=tuple(people(w, range(20, 21))),
    )


def examples(language: str) -> dict[str, Element]:
    """Every card the bot can produce, with example data, named '<card>-<state>'."""
    t = translator(language)
    w = WORDING[language]
    cards = {"meeting-next": next_meeting_card(meeting(w), t)}
    cards |= {f"agenda-{state}": agenda_card(v, t) for state, v in agenda_views(w).items()}
    cards["attendees-list"] = attendees_card(attendees_view(w), t)
    cards |= sparring_examples(language, meeting(w), w.cases, w.municipality.format(town="Odense"))
    cards |= material_examples(language)
    cards |= membership_examples(language)
    cards |= roster_examples(language)
    cards |= engagement_examples(language)
    cards |= pairs_examples(language)
    cards |= questions_examples(language)
    cards |= privacy_examples(language)
    cards["cadence-coming"] = cadence_card(
        CadenceView(
            w.network,
            (
                StepRow(date(2024, 5, 9), time(9), "agenda", 2, "", "planned"),
                StepRow(date(2024, 5, 16), time(9), "material_pack", 2, "", "planned"),
                StepRow(date(2024, 6, 25), time(9), "pulse", None, w.cases[0], "paused"),
                StepRow(date(2025, 4, 14), time(9), "agenda", 9, "", "planned", trip=True),
                StepRow(date(2025, 6, 1), time(9), "phase_start", None, PHASES[1][1], "planned"),
            ),
        ),
        t,
    )
    return cards


def render_all(out_dir: Path) -> list[Path]:
    """Write every example card in every language as `<card>-<state>.<lang>.json`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in LANGUAGES:
        for name, content in examples(language).items():
            path = out_dir / f"{name}.{language}.json"
            path.write_text(to_json(content), encoding="utf-8")
            written.append(path)
    return written


def to_json(content: Element) -> str:
    """A card as stable, readable JSON (the golden files' format)."""
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"
