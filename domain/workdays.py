"""Working days: weekends and the public holidays of a network's country (the holidays package).

Pure: the holidays package computes its calendars, nothing is fetched."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

# Days off in practice besides the public holidays: Christmas Eve, New Year's Eve, Constitution
# Day in Denmark (category "optional"), Midsummer Eve and the like in Sweden ("de_facto").
_ALSO_OFF = {"DK": ("optional",), "SE": ("de_facto",)}
# The country a network's language implies when its file names none.
_COUNTRY_OF_LANGUAGE = {"da": "DK", "sv": "SE"}
# The holidays package's spelling of our languages.
_HOLIDAY_LANGUAGE = {"da": "da", "sv": "sv", "en": "en_US"}


def country_for(language: str) -> str | None:
    """The country whose holidays a network in `language` keeps, when its file names none."""
    return _COUNTRY_OF_LANGUAGE.get(language)


def supported(country: str) -> bool:
    """Whether the holidays package knows the country (ISO 3166-1 alpha-2)."""
    return country in holidays.list_supported_countries()


@cache
def _calendar(country: str, year: int, language: str) -> holidays.HolidayBase:
    cls = holidays.country_holidays(country).__class__
    wanted = ("public", *_ALSO_OFF.get(country, ()))
    categories = tuple(c for c in wanted if c in cls.supported_categories)
    spoken = _HOLIDAY_LANGUAGE.get(language)
    if spoken not in (cls.supported_languages or ()):
        spoken = None
    return holidays.country_holidays(country, years=year, categories=categories, language=spoken)


def holiday(day: date, country: str | None, language: str = "en") -> str | None:
    """The holiday's name on `day` in the country (in `language` where the package has it)."""
    if country is None:
        return None
    return _calendar(country, day.year, language).get(day)


def is_working_day(day: date, country: str | None) -> bool:
    """Monday to Friday and no public holiday of the country."""
    return day.weekday() < 5 and holiday(day, country) is None


def working_day_before(day: date, country: str | None) -> date:
    """`day` itself when it is a working day, else the working day before it."""
    while not is_working_day(day, country):
        day -= timedelta(days=1)
    return day


def working_day_after(day: date, country: str | None) -> date:
    """`day` itself when it is a working day, else the working day after it."""
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day
