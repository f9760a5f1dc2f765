"""The days off of a network's country: its public holidays (the holidays package, which
computes its calendars; nothing is fetched)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache

import holidays

from domain.model import Cadence

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


def with_days_off(cadence: Cadence, starts_on: date, ends_on: date) -> Cadence:
    """The cadence with its country's days off over the network's life, a year either side."""
    first, last = date(starts_on.year - 1, 1, 1), date(ends_on.year + 1, 12, 31)
    return replace(cadence, days_off=days_off(cadence.country, first, last))


@cache
def days_off(country: str | None, first: date, last: date) -> frozenset[date]:
    """Every public holiday (and customary day off) of the country from `first` to `last`."""
    if country is None:
        return frozenset()
    return frozenset(
        day
        for year in range(first.year, last.year + 1)
        for day in _calendar(country, year, "en")
        if first <= day <= last
    )
