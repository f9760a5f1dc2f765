"""The rules of applying: words, e-mail, themes, links, the SKL extras, deadline, duplicates."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain import application_form as form
from domain.errors import InvalidInput
from domain.membership import (
    Application,
    ApplicationsClosed,
    ApplicationStatus,
    Call,
    DuplicateApplication,
    FeeRecord,
    FeeState,
    NoOpenCall,
    accept,
    word_count,
)
from domain.model import Fee, Network

NETWORK = Network(
    slug="kompakte-groenne-byer",
    name="Kompakte, grønne byer",
    language="da",
    timezone="Europe/Copenhagen",
    starts_on=date(2024, 3, 1),
    ends_on=date(2026, 3, 31),
    seat_limit=25,
    themes=("Klima og kvalitet", "Det grønne", "Dialog med borgere"),
)
SKL = dataclasses.replace(
    NETWORK, timezone="Europe/Stockholm", fees=(Fee(2016, 5000, "SEK"), Fee(2017, 5000, "SEK"))
)
RULES = form.rules_for(NETWORK)
NOW = datetime(2024, 2, 20, 12, tzinfo=UTC)
CALL = Call(deadline=date(2024, 2, 24), opened_at=NOW - timedelta(days=7))


def raw(**changes: str) -> dict[str, Any]:
    """A valid application as the card sends it."""
    return {
        "municipality": "Odense Kommune",
        "region": "Region Syddanmark",
        "head_of_planning": "Planchef Odense",
        "email": "Planchef.Odense@example.org",
        "interest": "Vi vil gerne lære af andre kommuner om fortætning.",
        "themes": "1,3",
        "links": "https://example.org/odense/planstrategi",
        **changes,
    }


def refusal(data: dict[str, Any], rules: form.ApplicationRules = RULES) -> str:
    with pytest.raises(InvalidInput) as caught:
        form.read_application(data, rules)
    return caught.value.msgid.format(**caught.value.params)


def test_words_are_counted_as_words_not_characters() -> None:
    assert word_count("  Vi   vil\ngerne\tlære  ") == 4
    assert word_count("") == 0
    assert word_count("grøn-blå by, 2024!") == 3


def test_an_interest_of_exactly_400_words_is_accepted_and_401_is_refused_with_the_count() -> None:
    assert form.read_application(raw(interest=" ".join(["ord"] * 400)), RULES).words == 400
    message = refusal(raw(interest=" ".join(["ord"] * 401)))
    assert message == "The interest text has 401 words; at most 400 are allowed."


@pytest.mark.parametrize(
    "address",
    ["planchef@odense.dk", "a.b+net@sub.example.org", "byplan@ærø.dk", "x_y@example.co.uk"],
)
def test_real_addresses_are_e_mail(address: str) -> None:
    assert form.is_email(address)


@pytest.mark.parametrize(
    "address",
    ["", "planchef", "planchef@", "@odense.dk", "plan chef@odense.dk", "a@b", "a@@b.dk",
     "Planchef <planchef@odense.dk>", "a@-odense.dk", "a@odense..dk", "a@" + "x" * 250 + ".dk"],
)  # fmt: skip
def test_what_is_not_an_e_mail_is_refused(address: str) -> None:
    assert not form.is_email(address)


def test_a_missing_or_malformed_e_mail_is_refused_clearly() -> None:
    assert refusal(raw(email="")) == "Write an e-mail address."
    assert refusal(raw(email="planchef at odense")) == (
        "'planchef at odense' is not an e-mail address. Write it as name@example.org."
    )


def test_the_e_mail_is_stored_in_lower_case_and_the_themes_as_the_networks_words() -> None:
    application = form.read_application(raw(), RULES)
    assert application.email == "planchef.odense@example.org"
    assert application.themes == ("Klima og kvalitet", "Dialog med borgere")
    assert application.municipality_key == "odense"


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ("", "Choose at least one of the network's themes."),
        ("4", "Choose themes from the network's list."),
        ("1,x", "Choose themes from the network's list."),
        ("0", "Choose themes from the network's list."),
    ],
)
def test_themes_must_come_from_the_networks_list(themes: str, message: str) -> None:
    assert refusal(raw(themes=themes)) == message


def test_links_must_be_web_addresses_and_few() -> None:
    assert refusal(raw(links="javascript:alert(1)")).startswith(
        "'javascript:alert(1)' is not a web"
    )
    many = "\n".join(f"https://example.org/{i}" for i in range(11))
    assert refusal(raw(links=many)) == "At most 10 links, please."
    two = form.read_application(raw(links="https://a.example.org\n\nhttps://b.example.org"), RULES)
    assert two.links == ("https://a.example.org", "https://b.example.org")


def test_required_fields_and_the_region_are_checked() -> None:
    assert refusal(raw(municipality="  ")) == "Write the municipality's name."
    assert refusal(raw(head_of_planning="")) == "Write the name of the head of planning."
    assert refusal(raw(region="Atlantis")) == "Choose the municipality's region."
    assert refusal(raw(interest="")) == (
        "Describe the municipality's interest in the network's themes."
    )
    assert refusal(raw(head_of_planning="x" * 201)) == (
        "A field is too long: 201 characters, at most 200."
    )


def test_regions_are_the_countrys_plus_those_the_network_uses() -> None:
    assert form.regions_for(NETWORK)[:2] == ("Region Hovedstaden", "Region Sjælland")
    assert len(form.regions_for(SKL)) == 21 and "Skåne län" in form.regions_for(SKL)
    assert form.regions_for(NETWORK, ("Fyn",))[-1] == "Fyn"


def test_a_network_with_a_fee_asks_for_the_boards_decision_and_the_project_team() -> None:
    rules = form.rules_for(SKL)
    assert rules.needs_commitment and not RULES.needs_commitment
    data = raw(region="Skåne län")
    assert refusal(data, rules) == "Give the date of the municipal board's decision."
    data |= {"board_date": "2015-10-28", "board_reference": "KS 2015/123"}
    assert refusal(data, rules) == "Name the municipality's project leader."
    data |= {"project_leader": "Projektledare, Malmö", "steering_group": "Stadsbyggnadsdirektör"}
    application = form.read_application(data, rules)
    assert application.commitment is not None
    assert application.commitment.board_date == date(2015, 10, 28)


@pytest.mark.parametrize(
    ("name", "key"),
    [("Malmö stad", "malmo"), ("Køge Kommune", "koege"), ("Høje-Taastrup", "hoeje-taastrup"),
     ("  Borås   Stad ", "boraas"), ("Norrköpings kommun", "norrkopings"), ("Kommune", "kommune")],
)  # fmt: skip
def test_municipality_keys_are_stable_ascii(name: str, key: str) -> None:
    assert form.municipality_key(name) == key


def test_the_call_closes_itself_after_the_deadline_day_in_the_networks_time_zone() -> None:
    zone = NETWORK.zone
    last = datetime(2024, 2, 24, 23, 59, tzinfo=zone)
    assert CALL.is_open(last, zone)
    assert not CALL.is_open(last + timedelta(minutes=1), zone)
    closed = dataclasses.replace(CALL, closed_at=NOW)
    assert not closed.is_open(NOW, zone) and closed.closed_since(zone) == NOW


def wanted() -> Application:
    return form.read_application(raw(), RULES)


def take(
    existing: Application | None = None,
    *,
    call: Call | None = CALL,
    now: datetime = NOW,
    base: tuple[str, int] | None = None,
    replace: bool = False,
) -> Application:
    return accept(
        NETWORK, call, existing, wanted(), base=base, replace_existing=replace, now=now, by="29:a"
    )


def test_a_first_application_is_version_1() -> None:
    first = take()
    assert (first.version, first.status, first.submitted_by) == (
        1,
        ApplicationStatus.SUBMITTED,
        "29:a",
    )
    assert first.submitted_at == NOW


def test_without_a_call_or_after_the_deadline_applications_are_refused_naming_it() -> None:
    with pytest.raises(NoOpenCall):
        take(call=None)
    with pytest.raises(ApplicationsClosed) as late:
        take(now=datetime(2024, 2, 25, 8, tzinfo=UTC))
    assert late.value.params["deadline"] == datetime(2024, 2, 24, 23, 59, tzinfo=NETWORK.zone)


def test_an_edit_of_the_current_version_needs_no_confirmation() -> None:
    first = take()
    assert take(first, base=("odense", 1)).version == 2


def test_a_second_application_from_the_same_municipality_asks_to_confirm_then_replaces() -> None:
    first = take()
    for base in (None, ("odense", 0), ("koege", 1)):
        with pytest.raises(DuplicateApplication) as duplicate:
            take(first, base=base)
        assert duplicate.value.params == {"municipality": "Odense Kommune", "version": 1}
    assert take(first, replace=True).version == 2


def test_fees_move_from_open_to_invoiced_to_paid() -> None:
    record = FeeRecord("malmo", 2016)
    assert record.state is FeeState.OPEN
    invoiced = record.marked(FeeState.INVOICED, date(2016, 1, 15))
    paid = invoiced.marked(FeeState.PAID, date(2016, 2, 1))
    assert (paid.state, paid.invoiced_on, paid.paid_on) == (
        FeeState.PAID,
        date(2016, 1, 15),
        date(2016, 2, 1),
    )
    assert record.marked(FeeState.PAID, date(2016, 3, 1)).invoiced_on == date(2016, 3, 1)
    assert paid.marked(FeeState.OPEN, date(2016, 3, 1)) == record


def test_the_genitive_of_an_official_name_is_the_same_municipality() -> None:
    lund, lunds = form.municipality_key("Lund"), form.municipality_key("Lunds kommun")
    assert form.same_municipality(lund, lunds) and form.same_municipality(lunds, lund)
    assert not form.same_municipality("lund", "lunda")
