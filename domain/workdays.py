"""Working days: Monday to Friday, less the days off a network's country keeps. Pure.

The days off themselves (public holidays) are computed by services/workdays.py."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta


def is_working_day(day: date, days_off: Collection[date]) -> bool:
    """Monday to Friday and not a day off."""
    return day.weekday() < 5 and day not in days_off


def working_day_before(day: date, days_off: Collection[date]) -> date:
    """`day` itself when it is a working day, else the working day before it."""
    while not is_working_day(day, days_off):
        day -= timedelta(days=1)
    return day


def working_day_after(day: date, days_off: Collection[date]) -> date:
    """`day` itself when it is a working day, else the working day after it."""
    while not is_working_day(day, days_off):
        day += timedelta(days=1)
    return day
