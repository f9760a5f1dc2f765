"""Network files: the examples load as their invitations describe; broken files are refused.

The examples are the two seed networks (Plan22+ "Kompakte, grønne byer" in Danish, SKL's
"Medborgardialog som stöd i platsutveckling" in Swedish) and the English demo that
`make run` imports. A broken file is refused with one error naming file, line and field.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from domain.model import Cadence, MeetingKind, NetworkFile, ProgrammeKind, RoleKind, SeatStatus
from services.network_file import NetworkFileError, load_network_file, parse_network_file

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
    assert load(PLAN22).network.cadence == Cadence()
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


def test_demo_first_meeting_is_three_weeks_after_the_import() -> None:
    for today in (TODAY, date(2031, 12, 20)):
        meetings = load(DEMO, today).meetings
        assert meetings[0].day == today + timedelta(days=21)


def test_demo_is_an_english_year_with_four_meetings_from_the_import_day() -> None:
    declared = load(DEMO)
    network = declared.network
    assert (network.slug, network.name, network.language, network.timezone) == (
        "demo",
        "Compact Green Towns (demo)",
        "en",
        "Europe/Copenhagen",
    )
    assert (network.starts_on, network.ends_on) == (TODAY, TODAY + timedelta(weeks=52))
    meetings = [m for m in declared.meetings if m.kind is MeetingKind.MEETING]
    assert [m.day for m in meetings] == [TODAY + timedelta(weeks=w) for w in (3, 16, 29, 42)]
    assert {(m.starts, m.ends) for m in meetings} == {(time(10), time(15))}
    assert network.themes


def test_demo_has_six_members_a_facilitator_and_a_full_first_meeting() -> None:
    declared = load(DEMO)
    assert len(members(declared)) == 6
    assert with_role(declared, RoleKind.FACILITATOR) == ["demo.facilitator@example.org"]
    first = declared.meetings[0]
    assert first.host == "odense"
    assert first.field_visit
    assert {ProgrammeKind.SPARRING, ProgrammeKind.FIELD_VISIT} <= {i.kind for i in first.programme}


# ---------------------------------------------------------------------------------------------
# Broken files

VALID = """\
network:
  slug: test-network
  name: Test network
  language: da
  timezone: Europe/Copenhagen
  period: {start: 2024-01-01, end: 2024-12-31}
  seats: 3
  cadence:
    steps: {agenda: -21, practical_info: }
municipalities:
  - {key: odense, name: Odense Kommune, region: Region Syddanmark}
  - {key: koege, name: Køge Kommune, region: Region Sjælland}
people:
  - {name: Netværksfacilitator, email: facilitator@example.org, roles: [facilitator]}
  - {name: "Planlægger, Odense", email: planlaegger.odense@example.org, municipality: odense}
meetings:
  - number: 1
    date: 2024-03-14
    time: 10:00-15:00
    region: Fyn
    host: odense
  - number: 2
    date: 2024-05-30
    time: 10:00-16:00
    region: Sjælland
    host: koege
  - number: 3
    date: 2024-09-12
    time: 9.30-15:00
    region: Jylland
    programme:
      - {time: 10:00-10:15, title: Velkomst, kind: talk}
"""


def parse(text: str, name: str = "net.yaml") -> NetworkFile:
    return parse_network_file(text, name=name, today=TODAY)


def broken(old: str, new: str) -> tuple[str, NetworkFileError]:
    assert VALID.count(old) == 1, old
    text = VALID.replace(old, new)
    with pytest.raises(NetworkFileError) as caught:
        parse(text)
    return text, caught.value


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_valid_file_loads() -> None:
    declared = parse(VALID)
    assert [m.number for m in declared.meetings] == [1, 2, 3]
    assert declared.meetings[2].starts == time(9, 30)
    assert declared.network.cadence.disabled == frozenset({"practical_info"})


def test_relative_dates_apply_to_date_fields_only() -> None:
    text = VALID.replace("title: Velkomst", 'title: "+3w"').replace("2024-09-12", "+4w")
    declared = parse(text)
    assert declared.meetings[2].programme[0].title == "+3w"
    assert declared.meetings[2].day == TODAY + timedelta(weeks=4)


# (what, old text, new text, a fragment of the line named, field, part of the message)
BROKEN = [
    (
        "impossible-date",
        "date: 2024-09-12",
        "date: 2024-02-30",
        "2024-02-30",
        "meetings[2].date",
        "valid date",
    ),
    (
        "unknown-host",
        "host: koege",
        "host: roskilde",
        "roskilde",
        "meetings[1].host",
        "unknown municipality 'roskilde'",
    ),
    (
        "duplicated-key",
        "    region: Fyn\n",
        "    region: Fyn\n    region: Fyn igen\n",
        "Fyn igen",
        "meetings[0].region",
        "this key appears twice",
    ),
    (
        "duplicated-municipality",
        "{key: koege,",
        "{key: odense,",
        "Køge Kommune",
        "municipalities[1].key",
        "listed twice",
    ),
    (
        "duplicated-person",
        "planlaegger.odense@example.org",
        "Facilitator@example.org",
        "Planlægger",
        "people[1].email",
        "listed twice",
    ),
    (
        "duplicated-meeting-number",
        "- number: 2",
        "- number: 01",
        "number: 01",
        "meetings[1].number",
        "used twice",
    ),
    (
        "seats-not-a-number",
        "seats: 3",
        "seats: tre",
        "seats: tre",
        "network.seats",
        "valid integer",
    ),
    (
        "unknown-time-zone",
        "timezone: Europe/Copenhagen",
        "timezone: Europe/Kobenhavn",
        "Europe/Kobenhavn",
        "network.timezone",
        "unknown time zone 'Europe/Kobenhavn'",
    ),
    (
        "unknown-language",
        "language: da",
        "language: no",
        "language: no",
        "network.language",
        "'da', 'sv' or 'en'",
    ),
    (
        "malformed-time-span",
        "{time: 10:00-10:15,",
        "{time: 10-10.15,",
        "Velkomst",
        "meetings[2].programme[0].time",
        "HH:MM-HH:MM",
    ),
    (
        "time-span-ends-first",
        "time: 10:00-16:00",
        "time: 16:00-10:00",
        "16:00-10:00",
        "meetings[1].time",
        "end must be after start",
    ),
    (
        "impossible-clock",
        "time: 10:00-15:00",
        "time: 10:00-25:00",
        "25:00",
        "meetings[0].time",
        "hour",
    ),
    (
        "missing-name",
        "  name: Test network\n",
        "",
        "slug: test-network",
        "network.name",
        "Field required",
    ),
    (
        "missing-meeting-time",
        "    time: 10:00-16:00\n",
        "",
        "number: 2",
        "meetings[1].time",
        "Field required",
    ),
    (
        "unknown-field",
        "    host: odense",
        "    hots: odense",
        "hots",
        "meetings[0].hots",
        "Extra inputs are not permitted",
    ),
    (
        "unknown-role",
        "roles: [facilitator]",
        "roles: [moderator]",
        "moderator",
        "people[0].roles[0]",
        "'facilitator'",
    ),
    (
        "unknown-person-municipality",
        "municipality: odense}",
        "municipality: vejle}",
        "vejle",
        "people[1].municipality",
        "unknown municipality 'vejle'",
    ),
    (
        "too-many-members",
        "seats: 3",
        "seats: 1",
        "key: odense",
        "municipalities",
        "2 members but only 1 seats",
    ),
    (
        "meeting-outside-period",
        "date: 2024-09-12",
        "date: 2025-01-09",
        "2025-01-09",
        "meetings[2].date",
        "outside the network's period",
    ),
    (
        "period-ends-first",
        "end: 2024-12-31",
        "end: 2023-12-31",
        "period:",
        "network.period.end",
        "must end after it starts",
    ),
    (
        "unknown-cadence-step",
        "{agenda: -21,",
        "{agenda: -21, reminder: -3,",
        "reminder",
        "network.cadence.steps",
        "unknown step 'reminder'",
    ),
    (
        "cadence-offset-out-of-range",
        "{agenda: -21,",
        "{agenda: -400,",
        "agenda",
        "network.cadence.steps.agenda",
        "greater than or equal to -365",
    ),
    (
        "past-relative-date",
        "date: 2024-05-30",
        "date: -3d",
        "date: -3d",
        "meetings[1].date",
        "valid date",
    ),
    (
        "relative-date-beyond-the-calendar",
        "end: 2024-12-31",
        "end: +999999w",
        "period:",
        "network.period.end",
        "too far",
    ),
    (
        "huge-relative-date",
        "date: 2024-05-30",
        "date: +" + "9" * 5000 + "d",
        "date: +999",
        "meetings[1].date",
        "too far",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "fragment", "field", "message"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_file_is_refused_with_line_and_field(
    old: str, new: str, fragment: str, field: str, message: str
) -> None:
    text, error = broken(old, new)
    assert (error.file, error.line, error.field) == ("net.yaml", line_of(text, fragment), field)
    assert message in error.message
    assert str(error) == f"net.yaml:{error.line}: {field}: {error.message}"


def test_an_applicant_does_not_take_a_seat() -> None:
    text = VALID.replace("seats: 3", "seats: 1").replace(
        "region: Region Sjælland}", "region: Region Sjælland, seat: applicant}"
    )
    declared = parse(text)
    assert members(declared) == ["odense"]


def test_error_reads_file_line_field_message() -> None:
    _, error = broken("seats: 3", "seats: tre")
    assert re.fullmatch(r"net\.yaml:7: network\.seats: .+", str(error))


def test_a_file_that_is_not_yaml_is_refused_at_the_broken_line() -> None:
    text = "network:\n  slug: demo\n  themes: [one, two\n  seats: 3\n"
    with pytest.raises(NetworkFileError) as caught:
        parse(text)
    error = caught.value
    assert error.field == "-"
    assert error.message.startswith("not valid YAML")
    assert error.line is not None and 3 <= error.line <= 5
    assert str(error).startswith(f"net.yaml:{error.line}: -: not valid YAML")


def test_a_text_that_is_no_mapping_is_refused() -> None:
    with pytest.raises(NetworkFileError) as caught:
        parse("Kompakte, grønne byer: en invitation\n- og ikke en netværksfil\n")
    assert caught.value.field == "-"
    with pytest.raises(NetworkFileError) as caught:
        parse("Dette er ikke en netværksfil.\n")
    assert (caught.value.line, caught.value.field) == (1, "-")
    assert "dictionary" in caught.value.message


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "# kun en kommentar\n", "---\n"],
    ids=["empty", "blank-lines", "only-a-comment", "only-a-marker"],
)
def test_an_empty_file_is_refused(text: str) -> None:
    with pytest.raises(NetworkFileError) as caught:
        parse(text)
    assert str(caught.value) == "net.yaml:1: -: the file is empty"


def test_a_binary_file_is_refused_without_a_line(tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    path.write_bytes(b"\xff\xfe\x00network: \x81\x82")
    with pytest.raises(NetworkFileError) as caught:
        load_network_file(path, today=TODAY)
    assert caught.value.line is None
    assert str(caught.value).startswith(f"{path}: -: ")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(NetworkFileError) as caught:
        load_network_file(path, today=TODAY)
    assert str(caught.value).startswith(f"{path}: -: cannot read the file")


def test_a_broken_file_on_disk_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(VALID.replace("host: koege", "host: roskilde"), encoding="utf-8")
    with pytest.raises(NetworkFileError) as caught:
        load_network_file(path, today=TODAY)
    assert str(caught.value) == (f"{path}:26: meetings[1].host: unknown municipality 'roskilde'")


def test_relative_dates_count_days_and_weeks_from_today() -> None:
    text = VALID.replace("{start: 2024-01-01, end: 2024-12-31}", "{start: +0d, end: +52w}")
    # Meetings days after the start: the early steps would fall before it, so they are off.
    early = "host_prompt: , call_for_cases: , agenda: , material_pack: , "
    text = text.replace("steps: {agenda: -21, ", "steps: {" + early)
    text = text.replace("date: 2024-05-30", "date: +10d").replace("date: 2024-09-12", "date: +3w")
    declared = parse_network_file(text, name="net.yaml", today=date(2024, 3, 1))
    assert declared.network.starts_on == date(2024, 3, 1)
    assert declared.network.ends_on == date(2025, 2, 28)
    assert [m.day for m in declared.meetings[1:]] == [date(2024, 3, 11), date(2024, 3, 22)]
