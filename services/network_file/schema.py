"""The network file's schema: pydantic models of what a YAML network file may say."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from domain.model import Cadence, MeetingKind, MeetingStatus, ProgrammeKind, RoleKind, SeatStatus
from domain.text import clean
from services.workdays import supported

_RELATIVE = re.compile(r"^([+-])(\d+)([dw])$")
_SPAN = re.compile(r"^(\d{1,2}[:.]\d{2})\s*-\s*(\d{1,2}[:.]\d{2})$")
_SLUG = r"^[a-z0-9][a-z0-9-]{1,79}$"
_TENANT = r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$"  # a Microsoft Entra tenant id
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _line(value: Any) -> Any:
    """A name or title on one line, without control or direction characters."""
    return clean(value) if isinstance(value, str) else value


def _lines(value: Any) -> Any:
    """A description: its line breaks kept, control and direction characters dropped."""
    return clean(value, multiline=True) if isinstance(value, str) else value


# Every name, title and description in the file: these are shown on cards and in messages.
Line = BeforeValidator(_line)
Lines = BeforeValidator(_lines)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _relative_day(value: Any, info: ValidationInfo) -> Any:
    """Resolve "+21d" / "+3w" (or "-1d", in the past) against the import day; other values
    pass through."""
    match = _RELATIVE.match(value) if isinstance(value, str) else None
    if not match:
        return value
    today: dt.date = (info.context or {})["today"]
    try:
        days = int(match[2]) * (7 if match[3] == "w" else 1)
        return today + dt.timedelta(days=days if match[1] == "+" else -days)
    except (ValueError, OverflowError):
        raise ValueError("this relative date is too far from today") from None


Day = Annotated[dt.date, BeforeValidator(_relative_day)]


def _clock(value: str) -> dt.time:
    return dt.time.fromisoformat(value.replace(".", ":").zfill(5))


class _Span(_Model):
    start: dt.time
    end: dt.time

    @model_validator(mode="after")
    def _ordered(self) -> _Span:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


def _span(value: Any) -> Any:
    if isinstance(value, str):
        match = _SPAN.match(value.strip())
        if not match:
            raise ValueError("write a time span as HH:MM-HH:MM, e.g. 10:00-15:00")
        return {"start": _clock(match[1]), "end": _clock(match[2])}
    return value


class _Cadence(_Model):
    time: dt.time = Cadence().step_time
    rsvp_deadline_days: Annotated[int, Field(ge=0, le=60)] = Cadence().rsvp_deadline_days
    pulse_every_weeks: Annotated[int, Field(ge=0, le=52)] = Cadence().pulse_every_weeks
    steps: dict[str, Annotated[int, Field(ge=-365, le=365)] | None] = {}
    working_days_only: bool = Cadence().working_days_only

    @field_validator("steps")
    @classmethod
    def _known(cls, steps: dict[str, int | None]) -> dict[str, int | None]:
        known = dict(Cadence().offsets)
        unknown = sorted(set(steps) - set(known))
        if unknown:
            raise ValueError(f"unknown step {unknown[0]!r}; known steps: {', '.join(known)}")
        return steps


class _Fee(_Model):
    year: Annotated[int, Field(ge=2000, le=2100)]
    amount: Annotated[int, Field(ge=0)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class _Period(_Model):
    start: Day
    end: Day


class _Call(_Model):
    opens: Day
    deadline: Day


class _Application(_Model):
    # What the form asks for besides the basics (the SKL invitation's prerequisites).
    requires: list[Literal["area_idea", "working_group"]] = []


class NetworkPart(_Model):
    """The file's `network:` section."""

    slug: Annotated[str, Field(pattern=_SLUG)]
    name: Annotated[str, Line, Field(min_length=1, max_length=200)]
    language: Literal["da", "sv", "en"]
    timezone: str
    # Whose public holidays count (ISO 3166-1 alpha-2); by default Denmark for da, Sweden for sv.
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    period: _Period
    seats: Annotated[int, Field(ge=1, le=500)]
    description: Annotated[str, Lines] = ""
    themes: list[Annotated[str, Line, Field(min_length=1, max_length=300)]] = []
    registration_deadline: Day | None = None
    call: _Call | None = None  # the call for applications opens by itself on `opens`
    evaluation: Annotated[str, Lines] = ""
    final_evaluation: Day | None = None
    fees: list[_Fee] = []
    cadence: _Cadence = _Cadence()
    # Microsoft Entra tenant ids allowed besides the tenants the network's channels are in.
    tenants: list[Annotated[str, Field(pattern=_TENANT)]] = []
    application: _Application = _Application()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use e.g. Europe/Copenhagen)") from None
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None and not supported(value):
            raise ValueError(f"no public holidays are known for the country {value!r}")
        return value


class _Municipality(_Model):
    key: Annotated[str, Field(pattern=_SLUG)]
    name: Annotated[str, Line, Field(min_length=1, max_length=200)]
    region: Annotated[str, Line, Field(min_length=1, max_length=120)]
    seat: SeatStatus = SeatStatus.MEMBER


class _Person(_Model):
    name: Annotated[str, Line, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(pattern=_EMAIL, max_length=254)]
    municipality: str | None = None
    roles: list[RoleKind] = [RoleKind.PARTICIPANT]
    locale: Literal["da", "sv", "en"] | None = None


class _Item(_Model):
    title: Annotated[str, Line, Field(min_length=1, max_length=300)]
    time: Annotated[_Span | None, Field(default=None)] = None
    kind: ProgrammeKind = ProgrammeKind.OTHER
    speaker: Annotated[str, Line] = ""

    @field_validator("time", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        return _span(value)


class _Meeting(_Model):
    number: Annotated[int, Field(ge=1)]
    date: Day
    weekday: Annotated[str, Line, Field(min_length=1, max_length=20)] | None = None  # "torsdag"
    end_date: Day | None = None
    time: _Span
    kind: MeetingKind = MeetingKind.MEETING
    region: Annotated[str, Line, Field(min_length=1, max_length=120)]
    place: Annotated[str, Line] = ""
    host: str | None = None
    title: Annotated[str, Line] = ""
    field_visit: Annotated[str, Lines] = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    capacity: Annotated[int, Field(ge=1, le=10_000)] | None = None
    seats_per_municipality: Annotated[int, Field(ge=1, le=50)] = 1
    skip: list[str] = []
    # A study trip has neither unless asked for; a hosted meeting has both unless switched off.
    host_prompt: bool | None = None
    call_for_cases: bool | None = None
    online: bool = False  # may be attended online in the Teams meeting, apart from the seats
    programme: list[_Item] = []

    @field_validator("skip")
    @classmethod
    def _known_steps(cls, skip: list[str]) -> list[str]:
        known = dict(Cadence().offsets)
        unknown = sorted(set(skip) - set(known))
        if unknown:
            raise ValueError(f"unknown step {unknown[0]!r}; known steps: {', '.join(known)}")
        return skip

    @field_validator("time", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        return _span(value)


class _Phase(_Model):
    number: Annotated[int, Field(ge=1)]
    title: Annotated[str, Line, Field(min_length=1, max_length=300)]
    start: Day
    end: Day
    description: Annotated[str, Lines] = ""


class FileModel(_Model):
    """A whole network file: the network, its municipalities, people, meetings, phases."""

    network: NetworkPart
    municipalities: list[_Municipality] = []
    people: list[_Person] = []
    meetings: list[_Meeting] = []
    phases: list[_Phase] = []
