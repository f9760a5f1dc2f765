"""Network files: a valid file loads; a broken file is refused with one error naming file,
line and field."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from domain.model import NetworkFile, SeatStatus
from services.network_file import NetworkFileError, load_network_file, parse_network_file

TODAY = date(2024, 3, 1)


def members(declared: NetworkFile) -> list[str]:
    return [m.key for m in declared.municipalities if m.seat_status is SeatStatus.MEMBER]


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


def test_names_and_titles_lose_control_and_direction_characters() -> None:
    text = (
        VALID.replace("name: Test network", 'name: "Test\\u202e krowten"')
        .replace("name: Odense Kommune", 'name: "Odense\\a Kommune\\u2066"')
        .replace("title: Velkomst", 'title: "Vel\\u200fkomst\\u0085"')
        .replace("region: Fyn", 'region: Fyn\n    field_visit: "Byvandring\\r\\nKl. 13\\u202d"')
    )
    declared = parse(text)
    assert declared.network.name == "Test krowten"
    assert declared.municipalities[0].name == "Odense Kommune"
    assert declared.meetings[2].programme[0].title == "Velkomst"
    assert declared.meetings[0].field_visit == "Byvandring\nKl. 13"


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
        "past-relative-date-before-the-period",  # -3d is allowed, but must lie in the period
        "date: 2024-05-30",
        "date: -30w",
        "date: -30w",
        "meetings[1].date",
        "outside the network's period",
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


def test_a_relative_date_may_lie_in_the_past() -> None:
    declared = parse(VALID.replace("date: 2024-05-30", "date: -3d"))
    assert date(2024, 2, 27) in [m.day for m in declared.meetings]


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
