"""Network files: the examples load as their invitations describe.

The examples are the two seed networks (Plan22+ "Kompakte, grønne byer" in Danish, SKL's
"Medborgardialog som stöd i platsutveckling" in Swedish) and the English demo that
`make run` imports.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from domain.model import Cadence, MeetingKind, NetworkFile, ProgrammeKind, RoleKind, SeatStatus
from services.network_file import load_network_file

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PLAN22 = EXAMPLES / "plan22-kompakte-groenne-byer.yaml"
SKL = EXAMPLES / "skl-medborgardialog.yaml"
DEMO = EXAMPLES / "demo.yaml"
TODAY = date(2024, 3, 1)


def load(path: Path, today: date = TODAY) -> NetworkFile:
    return load_network_file(path, today=today)


def members(declared: NetworkFile) -> list[str]:
    return [m.key for m in declared.municipalities if m.seat_status is SeatStatus.MEMBER]


def with_role(declared: NetworkFile, role: RoleKind) -> list[str]:
    return [p.email for p in declared.people if role in p.roles]


# ---------------------------------------------------------------------------------------------
# Every example file

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def test_the_three_examples_are_there() -> None:
    assert {PLAN22, SKL, DEMO} <= set(EXAMPLE_FILES)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_loads(path: Path) -> None:
    declared = load(path)
    assert declared.network.slug
    assert declared.meetings
    assert all(n.host in members(declared) for n in declared.meetings if n.host)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_contains_no_email_address_outside_example_org(path: Path) -> None:
    found = EMAIL.findall(path.read_text(encoding="utf-8"))
    assert found, "an example without people tries no flow"
    assert [a for a in found if not a.lower().endswith("@example.org")] == []


def test_examples_declare_shared_municipalities_and_people_alike() -> None:
    # Municipalities (by key) and people (by e-mail) are shared between networks in the
    # database, so importing one example must not rename what another declared.
    towns: dict[str, tuple[str, str]] = {}
    people: dict[str, tuple[str, str | None]] = {}
    for path in EXAMPLE_FILES:
        declared = load(path)
        for m in declared.municipalities:
            assert towns.setdefault(m.key, (m.name, m.region)) == (m.name, m.region), path.name
        for p in declared.people:
            seen = people.setdefault(p.key, (p.name, p.municipality))
            assert seen == (p.name, p.municipality), path.name


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_has_exactly_one_facilitator(path: Path) -> None:
    assert len(with_role(load(path), RoleKind.FACILITATOR)) == 1


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_gives_every_host_municipality_a_host_contact(path: Path) -> None:
    declared = load(path)
    contacts = {p.municipality for p in declared.people if RoleKind.HOST_CONTACT in p.roles}
    assert {m.host for m in declared.meetings if m.host} <= contacts


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_gives_every_member_a_participant(path: Path) -> None:
    declared = load(path)
    seated = {p.municipality for p in declared.people if RoleKind.PARTICIPANT in p.roles}
    assert set(members(declared)) <= seated


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_programmes_stay_inside_their_meeting(path: Path) -> None:
    for meeting in load(path).meetings:
        for item in meeting.programme:
            assert item.starts is not None and item.ends is not None
            assert meeting.starts <= item.starts < item.ends <= meeting.ends, item.title


# ---------------------------------------------------------------------------------------------
# Plan22+ "Kompakte, grønne byer"

PLAN22_THEMES = (
    "Hvordan planlægger vi for en kompakt by, hvor klima og kvalitet går hånd i hånd?",
    "Hvordan skaber vi den konstruktive dialog med borgere og udviklere om kompakt, grøn "
    "byudvikling?",
    "Hvor finder vi de bedste eksempler på kompakt grøn byudvikling?",
    "Hvordan vurderer vi potentialer for fortætning og kompakt byudvikling?",
    "Hvilken rolle spiller det grønne i den kompakte by?",
    "Hvordan arbejder vi med strategier for kompakt, grøn byudvikling for hele kommunen?",
    "Hvilke kvalitetsmål og redskaber kan vi bruge, når den kompakte, grønne by skal planlægges "
    "og udvikles?",
    "Hvordan skaber vi kompakt byudvikling i den grønne forstad, i almene boligområder og i "
    "erhvervsområder?",
)

# "Tid og sted for netværksmøder" in the invitation.
PLAN22_MEETINGS = (
    (1, date(2024, 3, 14), "Fyn"),
    (2, date(2024, 5, 30), "Sjælland"),
    (3, date(2024, 9, 15), "Jylland"),
    (4, date(2024, 11, 14), "København/Hovedstadsområdet"),
    (5, date(2025, 3, 13), "Fyn"),
    (6, date(2025, 5, 22), "Sjælland"),
    (7, date(2025, 9, 11), "Jylland"),
    (8, date(2025, 11, 13), "København/Hovedstadsområdet"),
)

# Which member municipalities lie in each meeting region.
PLAN22_REGION_MEMBERS = {
    "Fyn": {"odense", "svendborg", "faaborg-midtfyn", "middelfart"},
    "Sjælland": {"koege", "roskilde", "holbaek", "naestved", "slagelse"},
    "Jylland": {
        "aarhus",
        "silkeborg",
        "horsens",
        "herning",
        "viborg",
        "aalborg",
        "hjoerring",
        "frederikshavn",
        "thisted",
        "vejle",
        "soenderborg",
    },
    "København/Hovedstadsområdet": {"koebenhavn", "frederiksberg", "gladsaxe", "hoeje-taastrup"},
}


def test_plan22_is_the_danish_network_of_the_invitation() -> None:
    network = load(PLAN22).network
    assert (network.slug, network.name, network.language, network.timezone) == (
        "kompakte-groenne-byer",
        "Kompakte, grønne byer",
        "da",
        "Europe/Copenhagen",
    )
    assert (network.starts_on, network.ends_on) == (date(2024, 3, 1), date(2026, 3, 31))
    assert network.seat_limit == 25
    assert network.registration_deadline == date(2024, 2, 24)
    assert network.fees == ()
    assert "Teams-kanal" in network.description


def test_plan22_themes_are_the_invitations_eight_questions_verbatim() -> None:
    assert load(PLAN22).network.themes == PLAN22_THEMES


def test_plan22_has_eight_network_meetings_on_the_invitations_dates_and_regions() -> None:
    meetings = [m for m in load(PLAN22).meetings if m.kind is MeetingKind.MEETING]
    assert [(m.number, m.day, m.region) for m in meetings] == list(PLAN22_MEETINGS)
    assert {(m.starts, m.ends) for m in meetings} == {(time(10), time(15))}


def test_plan22_keeps_the_third_meetings_date_as_written_although_it_is_a_sunday() -> None:
    third = next(m for m in load(PLAN22).meetings if m.number == 3)
    assert third.day == date(2024, 9, 15)
    assert third.day.weekday() == 6
    assert "søndag" in PLAN22.read_text(encoding="utf-8")


def test_plan22_has_one_optional_study_trip_in_early_may_2025_at_the_municipalities_cost() -> None:
    trips = [m for m in load(PLAN22).meetings if m.kind is MeetingKind.STUDY_TRIP]
    assert len(trips) == 1
    trip = trips[0]
    assert trip.number == 9
    assert (trip.day, trip.end_day) == (date(2025, 5, 5), date(2025, 5, 7))
    assert "Holland" in trip.region
    assert trip.host is None
    assert "deltagerkommunerne" in trip.title and "deltagerkommunerne" in trip.field_visit


def test_plan22_has_25_member_municipalities_spread_over_the_five_regions() -> None:
    declared = load(PLAN22)
    assert len(members(declared)) == 25
    per_region: dict[str, int] = {}
    for m in declared.municipalities:
        per_region[m.region] = per_region.get(m.region, 0) + 1
    assert set(per_region) == {
        "Region Hovedstaden",
        "Region Sjælland",
        "Region Syddanmark",
        "Region Midtjylland",
        "Region Nordjylland",
    }
    assert min(per_region.values()) >= 4


def test_plan22_hosts_lie_in_their_meetings_region_and_rotate() -> None:
    meetings = [m for m in load(PLAN22).meetings if m.kind is MeetingKind.MEETING]
    for meeting in meetings:
        assert meeting.host in PLAN22_REGION_MEMBERS[meeting.region], meeting.number
    assert len({m.host for m in meetings}) == len(meetings)


def test_plan22_region_mapping_only_names_members() -> None:
    keys = set(members(load(PLAN22)))
    for region, region_keys in PLAN22_REGION_MEMBERS.items():
        assert region_keys <= keys, region


def test_plan22_people_are_placeholders_with_a_facilitator_and_a_secretariat() -> None:
    declared = load(PLAN22)
    assert with_role(declared, RoleKind.FACILITATOR) == ["facilitator@example.org"]
    assert with_role(declared, RoleKind.SECRETARIAT) == ["sekretariat@example.org"]
    facilitator = next(p for p in declared.people if RoleKind.FACILITATOR in p.roles)
    assert facilitator.name == "Netværksfacilitator"
    odense = next(p for p in declared.people if p.municipality == "odense")
    assert (odense.name, odense.email) == ("Planlægger, Odense", "planlaegger.odense@example.org")
    assert len(declared.people) == 27


def test_plan22_every_meeting_has_a_host_sparring_and_a_field_visit() -> None:
    for meeting in load(PLAN22).meetings:
        if meeting.kind is MeetingKind.STUDY_TRIP:
            continue
        kinds = [item.kind for item in meeting.programme]
        assert ProgrammeKind.SPARRING in kinds, meeting.number
        assert ProgrammeKind.FIELD_VISIT in kinds, meeting.number
        assert ProgrammeKind.BREAK in kinds, meeting.number
        assert meeting.programme[0].title == "Velkomst ved værtskommunen"
        assert meeting.field_visit, meeting.number
        assert meeting.host is not None


def test_plan22_cadence_block_spells_out_the_defaults() -> None:
    assert load(PLAN22).network.cadence == replace(Cadence(), country="DK")
    text = PLAN22.read_text(encoding="utf-8")
    for step, offset in Cadence().offsets:
        assert re.search(rf"^\s+{step}: {offset}\b", text, re.MULTILINE), step


# ---------------------------------------------------------------------------------------------
# SKL "Medborgardialog som stöd i platsutveckling"


def test_skl_is_the_swedish_network_of_the_invitation() -> None:
    network = load(SKL).network
    assert (network.slug, network.language, network.timezone) == (
        "skl-medborgardialog",
        "sv",
        "Europe/Stockholm",
    )
    assert network.name == "Medborgardialog som stöd i platsutveckling"
    assert (network.starts_on, network.ends_on) == (date(2015, 11, 16), date(2018, 6, 30))
    assert network.registration_deadline == date(2015, 11, 15)
    assert network.evaluation == "Utvärdering under våren 2018"
    assert network.themes


def test_skl_charges_5000_sek_per_municipality_in_2016_and_2017() -> None:
    fees = load(SKL).network.fees
    assert [(f.year, f.amount, f.currency) for f in fees] == [
        (2016, 5000, "SEK"),
        (2017, 5000, "SEK"),
    ]


def test_skl_runs_in_four_phases_with_the_invitations_titles() -> None:
    declared = load(SKL)
    phases = declared.phases
    assert [p.number for p in phases] == [1, 2, 3, 4]
    assert [p.title for p in phases] == [
        "Intern kunskapsutveckling i kommunerna för att förbereda processen",
        "Utveckla prototyp för lokala system och prova medborgardialoger",
        "Lärande och fortsatt utveckling och genomförande",
        "Erfarenhetsspridning och utvärdering",
    ]
    for phase in phases:
        assert declared.network.starts_on <= phase.starts_on < phase.ends_on
        assert phase.ends_on <= declared.network.ends_on
    assert [p.starts_on for p in phases] == sorted(p.starts_on for p in phases)


def test_skl_members_fit_the_seats_and_host_its_meetings() -> None:
    declared = load(SKL)
    assert 6 <= len(members(declared)) <= declared.network.seat_limit
    assert all(m.region.endswith("län") for m in declared.municipalities)
    meetings = declared.meetings
    assert meetings[0].day == date(2015, 12, 9) and meetings[0].region == "Stockholms län"
    assert all((m.starts, m.ends) == (time(10), time(16)) for m in meetings)
    assert all(m.host for m in meetings)


def test_skl_people_are_placeholders_with_skl_kansliet_as_secretariat() -> None:
    declared = load(SKL)
    secretariat = [p for p in declared.people if RoleKind.SECRETARIAT in p.roles]
    assert [p.name for p in secretariat] == ["SKL-kansliet"]
    assert len(with_role(declared, RoleKind.FACILITATOR)) == 1
    assert all(p.email.endswith("@example.org") for p in declared.people)
    assert "skl.se" not in SKL.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The demo


def test_demo_is_dated_so_that_every_step_can_be_tried_on_the_day_of_the_import() -> None:
    for today in (TODAY, date(2031, 12, 20)):
        declared = load(DEMO, today)
        held, upcoming = declared.meetings[0], declared.meetings[1]
        assert held.day == today - timedelta(days=1)  # begun: its summary can be written
        assert upcoming.day == today + timedelta(days=21)  # its agenda (D-21), the RSVP, today
        network = declared.network
        assert network.call_opens is not None and network.registration_deadline is not None
        assert network.call_opens < today < network.registration_deadline  # the call is open


def test_demo_is_an_english_year_with_five_meetings_around_the_import_day() -> None:
    declared = load(DEMO)
    network = declared.network
    assert (network.slug, network.name, network.language, network.timezone) == (
        "demo",
        "Compact Green Towns (demo)",
        "en",
        "Europe/Copenhagen",
    )
    assert (network.starts_on, network.ends_on) == (
        TODAY - timedelta(weeks=2),
        TODAY + timedelta(weeks=52),
    )
    meetings = [m for m in declared.meetings if m.kind is MeetingKind.MEETING]
    assert [m.day for m in meetings] == [TODAY - timedelta(days=1)] + [
        TODAY + timedelta(weeks=w) for w in (3, 16, 29, 42)
    ]
    assert {(m.starts, m.ends) for m in meetings} == {(time(10), time(15))}
    assert network.themes


def test_demo_has_six_members_a_facilitator_and_a_full_first_meeting() -> None:
    declared = load(DEMO)
    assert len(members(declared)) == 6
    assert with_role(declared, RoleKind.FACILITATOR) == ["demo.facilitator@example.org"]
    first = declared.meetings[1]  # the first still to come
    assert first.host == "odense"
    assert first.field_visit
    assert {ProgrammeKind.SPARRING, ProgrammeKind.FIELD_VISIT} <= {i.kind for i in first.programme}
