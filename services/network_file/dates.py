"""The dates a planner can trust: warnings for meetings on a weekend, on a public holiday, or
on another weekday than the file writes. The import goes on; the warnings are printed."""

from __future__ import annotations

from babel.dates import get_day_names

from domain.model import Meeting, Network
from services.network_file.errors import Locator, dotted
from services.network_file.schema import FileModel
from services.workdays import holiday


def _weekdays(language: str) -> dict[int, str]:
    """Monday (0) to Sunday (6), written out in the language."""
    return {int(k): str(v) for k, v in get_day_names("wide", locale=language).items()}


def written_weekday(value: str, language: str) -> int | None:
    """The weekday (Monday 0) that `value` names in the language or in English, else None."""
    wanted = value.strip().casefold()
    for names in (_weekdays(language), _weekdays("en")):
        for number, name in names.items():
            if name.casefold() == wanted:
                return number
    return None


def weekday_error(f: FileModel, where: Locator) -> None:
    """A `weekday:` that names no weekday is a mistake in the file: it raises at its line."""
    names = ", ".join(_weekdays(f.network.language).values())
    for i, m in enumerate(f.meetings):
        if m.weekday is not None and written_weekday(m.weekday, f.network.language) is None:
            raise where.fail(
                ("meetings", i, "weekday"), f"{m.weekday!r} is not a weekday; write one of {names}"
            )


def date_warnings(
    f: FileModel, network: Network, meetings: tuple[Meeting, ...], where: Locator
) -> tuple[str, ...]:
    """One line per doubtful meeting date, naming the file, line, date and weekday."""
    language = network.language
    names = _weekdays(language)
    country = network.cadence.country
    out: list[str] = []
    for i, (declared, meeting) in enumerate(zip(f.meetings, meetings, strict=True)):
        day = meeting.day
        actual = f"{day.isoformat()} is a {day:%A} ({names[day.weekday()]})"
        loc = ("meetings", i, "date")
        problems: list[str] = []
        if declared.weekday is not None:
            written = written_weekday(declared.weekday, language)
            if written is not None and written != day.weekday():
                problems.append(f"but the file says {declared.weekday!r}")
        if day.weekday() >= 5:
            problems.append("a weekend day")
        name = holiday(day, country, language)
        if name is not None:
            problems.append(f"a public holiday in {country}: {name}")
        if problems:
            line = where.line_for(loc)
            place = f"{where.name}:{line}" if line else where.name
            out.append(
                f"{place}: {dotted(loc)}: meeting {meeting.number}: {actual}, "
                + "; ".join(problems)
            )
    return tuple(out)
