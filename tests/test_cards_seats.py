"""The welcome and seat cards: calendar button, themes, commands by their local names, seats."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.features import default_registry
from bot.features.membership.seats import parse_seat
from bot.features.membership.welcome import command_lines, welcome_view
from bot.routing.links import Links
from cards.render_membership import _seat, _welcome
from cards.seats import seat_card
from cards.welcome import welcome_card
from domain.errors import InvalidInput
from domain.model import Municipality
from netpuls.i18n import translator
from services.seats import SeatAction
from services.welcome import Welcome
from tests.support import applications as ex
from tests.test_cards import nodes

T = translator("en")


def test_the_welcome_card_offers_one_calendar_file_for_every_meeting() -> None:
    card = welcome_card(_welcome("en"), T)
    (button,) = card["actions"]
    assert (
        button["type"] == "Action.OpenUrl"
        and "/calendar/kompakte-groenne-byer.ics" in button["url"]
    )
    (meetings,) = [n for n in card["body"] if n["type"] == "FactSet"]
    assert [f["title"] for f in meetings["facts"]][-1] == "Study trip, 20 May 2025"


def test_themes_and_commands_are_plain_text_never_markdown() -> None:
    card = welcome_card(_welcome("en"), T)
    runs = [n["text"] for n in nodes(card) if n.get("type") == "TextRun"]
    assert "1. " in runs and runs[runs.index("1. ") + 1].startswith("How do we plan a compact")
    assert "seat" in runs


def test_a_welcome_without_meetings_has_no_calendar_button() -> None:
    from dataclasses import replace

    card = welcome_card(replace(_welcome("en"), meetings=()), T)
    assert "actions" not in card and "The meetings" not in str(card)


def test_commands_are_named_the_way_the_reader_writes_them() -> None:
    danish = dict(command_lines(translator("da"), default_registry()))
    swedish = dict(command_lines(translator("sv"), default_registry()))
    english = dict(command_lines(T, default_registry()))
    assert {"næste", "plads", "hjælp"} <= set(danish)
    assert {"nästa", "plats", "hjälp"} <= set(swedish)
    assert english["seat"] == "your municipality's seat: colleagues and who usually attends"


def test_the_welcome_view_signs_a_link_that_lasts_a_month_past_the_networks_end() -> None:
    declared = ex.plan22()
    network = declared.network
    town = Municipality("koebenhavn", "Københavns Kommune", "Region Hovedstaden")
    found = Welcome(network, declared.meetings[:1], (town,), "Københavns Kommune", "da")
    links = Links("http://127.0.0.1:3978", b"k" * 32)
    view = welcome_view(found, links, translator("da"), default_registry())
    path, _, query = view.calendar_url.removeprefix("http://127.0.0.1:3978").partition("?")
    params = dict(p.split("=") for p in query.split("&"))
    ends = datetime.combine(network.ends_on, time(23, 59), network.zone) + timedelta(days=30)
    assert path == "/calendar/kompakte-groenne-byer.ics"
    assert int(params["exp"]) == int(ends.timestamp())
    assert links.valid(path, params["exp"], params["sig"], ends - timedelta(minutes=1))
    assert view.municipality == "Københavns Kommune" and len(view.meetings) == 1


def test_the_seat_card_names_holder_colleagues_and_the_usual_attendee() -> None:
    card = seat_card(_seat("en"), T)
    text = str(card)
    assert card["body"][0]["text"] == "Planlægger, Esbjerg usually attends for Esbjerg Kommune."
    assert "Holds the seat" in text and "Colleagues" in text and "usually attends" in text
    hints = [n.get("text", "") for n in nodes(card)]  # Markdown: \<e-mail\> shows as <e-mail>
    assert any("seat add \\<e-mail\\> [name]" in hint for hint in hints)


def test_those_who_may_not_change_the_seat_see_no_instructions() -> None:
    from dataclasses import replace

    card = seat_card(replace(_seat("en"), may_change=False, notice=""), T)
    assert "seat add" not in str(card)


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("", ("", None, "", "")),
        ("Køge Kommune", ("Køge Kommune", None, "", "")),
        ("add kim@example.org Kim Kollega", ("", SeatAction.ADD, "kim@example.org", "Kim Kollega")),
        ("Køge tilføj kim@example.org", ("Køge", SeatAction.ADD, "kim@example.org", "")),
        ("Malmö stad lägg till a@example.org", ("Malmö stad", SeatAction.ADD, "a@example.org", "")),
        ("ta bort a@example.org", ("", SeatAction.REMOVE, "a@example.org", "")),
        ("fast a@example.org", ("", SeatAction.USUAL, "a@example.org", "")),
        ("innehavare a@example.org", ("", SeatAction.HOLDER, "a@example.org", "")),
    ],
)
def test_seat_commands_read_the_same_in_three_languages(
    typed: str, parsed: tuple[str, SeatAction | None, str, str]
) -> None:
    assert parse_seat(typed) == parsed


def test_a_seat_change_without_an_address_is_refused() -> None:
    with pytest.raises(InvalidInput, match="e-mail address too"):
        parse_seat("Køge remove")


def test_the_welcome_and_the_help_name_privacy_the_way_the_reader_writes_it() -> None:
    registry = default_registry()
    names = {"da": "privatliv", "sv": "integritet", "en": "privacy"}
    for language, name in names.items():
        t = translator(language)
        assert name in dict(command_lines(t, registry))
        assert f"- **{name}**: " in registry.help_text(t)
    for name in names.values():
        found = registry.find(name)
        assert found is not None and found[0].name == "privacy"
