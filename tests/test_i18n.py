"""The gettext catalogs: every message in the code is translated into Danish and Swedish."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time

from domain.model import LANGUAGES
from netpuls.i18n import pick_language, read_catalog, translator
from scripts.i18n import extracted

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalog(language: str) -> dict[str, str]:
    return {m.id: m.string for m in read_catalog(language) if m.id}


@pytest.mark.parametrize("language", ["da", "sv"])
def test_every_message_in_the_code_is_translated(language: str) -> None:
    translations = catalog(language)
    missing = sorted(m for m in extracted() if not translations.get(m))
    assert missing == [], f"untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", ["da", "sv"])
def test_translations_keep_every_placeholder(language: str) -> None:
    for msgid, text in catalog(language).items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(text)), msgid


def test_danish_and_swedish_translators_translate() -> None:
    assert translator("da")("Network meeting {number}", number=3) == "Netværksmøde 3"
    assert translator("sv")("Network meeting {number}", number=3) == "Nätverksmöte 3"
    assert translator("en")("Network meeting {number}", number=3) == "Network meeting 3"


def test_dates_are_written_the_local_way() -> None:
    from datetime import date

    assert translator("da").date(date(2024, 3, 14)) == "torsdag den 14. marts 2024"
    assert translator("sv").date(date(2024, 3, 14)).startswith("torsdag 14 mars 2024")


def test_teams_locales_map_onto_the_three_languages() -> None:
    assert pick_language("da-DK") == "da"
    assert pick_language("sv-se") == "sv"
    assert pick_language("de-DE", "sv") == "sv"
    assert pick_language(None, "nb-NO", default="en") == "en"


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError):
        translator("de")


@pytest.mark.parametrize("language", LANGUAGES)
def test_kept_dates_and_clock_times_read_as_babel_writes_them(language: str) -> None:
    t = translator(language)
    zones = [ZoneInfo("Europe/Copenhagen"), ZoneInfo("America/Nuuk"), UTC, None]
    moment = datetime(2024, 3, 31, 0, 59, tzinfo=UTC)  # the night the clocks go forward
    for step in range(0, 26 * 60, 7):
        for zone in zones:
            value = (moment + timedelta(minutes=step)).astimezone(zone) if zone else moment
            wall = value if zone else value.replace(tzinfo=None)
            for shown in (wall, wall.timetz(), wall.time()):
                assert t.time(shown) == format_time(shown, "HH:mm", locale=t.locale), shown
            # The same instant in another zone is another wall time, and another day.
            assert t.date(wall.date(), "medium") == format_date(
                wall.date(), "medium", locale=t.locale
            )
            assert t.date(wall) == format_date(wall, "full", locale=t.locale)
