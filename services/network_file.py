"""Network files: YAML in, a validated NetworkFile out, or one error naming file, line and field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from domain.cadence import steps_before_start
from domain.model import (
    Cadence,
    Fee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Municipality,
    Network,
    NetworkFile,
    Person,
    Phase,
    ProgrammeItem,
    ProgrammeKind,
    RoleKind,
    SeatStatus,
)

Path_ = tuple[str | int, ...]
_RELATIVE = re.compile(r"^\+(\d+)([dw])$")
_SPAN = re.compile(r"^(\d{1,2}[:.]\d{2})\s*-\s*(\d{1,2}[:.]\d{2})$")
_SLUG = r"^[a-z0-9][a-z0-9-]{1,79}$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


@dataclass  # neither frozen nor slotted: Python sets an exception's __traceback__
class NetworkFileError(Exception):
    """A network file that cannot be imported: where, and why."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _relative_day(value: Any, info: ValidationInfo) -> Any:
    """Resolve "+21d" / "+3w" against the import day; other values pass through."""
    match = _RELATIVE.match(value) if isinstance(value, str) else None
    if not match:
        return value
    today: dt.date = (info.context or {})["today"]
    try:
        return today + dt.timedelta(days=int(match[1]) * (7 if match[2] == "w" else 1))
    except (ValueError, OverflowError):
        raise ValueError("this relative date is too far in the future") from None


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


class _NetworkPart(_Model):
    slug: Annotated[str, Field(pattern=_SLUG)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    language: Literal["da", "sv", "en"]
    timezone: str
    period: _Period
    seats: Annotated[int, Field(ge=1, le=500)]
    description: str = ""
    themes: list[Annotated[str, Field(min_length=1, max_length=300)]] = []
    registration_deadline: Day | None = None
    call: _Call | None = None  # the call for applications opens by itself on `opens`
    evaluation: str = ""
    final_evaluation: Day | None = None
    fees: list[_Fee] = []
    cadence: _Cadence = _Cadence()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use e.g. Europe/Copenhagen)") from None
        return value


class _Municipality(_Model):
    key: Annotated[str, Field(pattern=_SLUG)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    region: Annotated[str, Field(min_length=1, max_length=120)]
    seat: SeatStatus = SeatStatus.MEMBER


class _Person(_Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(pattern=_EMAIL, max_length=254)]
    municipality: str | None = None
    roles: list[RoleKind] = [RoleKind.PARTICIPANT]
    locale: Literal["da", "sv", "en"] | None = None


class _Item(_Model):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    time: Annotated[_Span | None, Field(default=None)] = None
    kind: ProgrammeKind = ProgrammeKind.OTHER
    speaker: str = ""

    @field_validator("time", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        return _span(value)


class _Meeting(_Model):
    number: Annotated[int, Field(ge=1)]
    date: Day
    end_date: Day | None = None
    time: _Span
    kind: MeetingKind = MeetingKind.MEETING
    region: Annotated[str, Field(min_length=1, max_length=120)]
    place: str = ""
    host: str | None = None
    title: str = ""
    field_visit: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    capacity: Annotated[int, Field(ge=1, le=10_000)] | None = None
    seats_per_municipality: Annotated[int, Field(ge=1, le=50)] = 1
    skip: list[str] = []
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
    title: Annotated[str, Field(min_length=1, max_length=300)]
    start: Day
    end: Day
    description: str = ""


class _File(_Model):
    network: _NetworkPart
    municipalities: list[_Municipality] = []
    people: list[_Person] = []
    meetings: list[_Meeting] = []
    phases: list[_Phase] = []


def load_network_file(path: Path, *, today: dt.date) -> NetworkFile:
    """Read and validate a network file; `today` anchors relative dates such as +21d."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NetworkFileError(name, None, "-", f"cannot read the file: {exc}") from None
    return parse_network_file(text, name=name, today=today)


def parse_network_file(text: str, *, name: str, today: dt.date) -> NetworkFile:
    """Validate a network file's text; any problem raises one NetworkFileError."""
    try:
        node = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise NetworkFileError(
            name,
            mark.line + 1 if mark else None,
            "-",
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
        ) from None
    if node is None:
        raise NetworkFileError(name, 1, "-", "the file is empty")
    lines: dict[Path_, int] = {}
    data = _construct(node, (), lines, name)
    if data is None:  # a lone "---" or "~": a document with nothing in it
        raise NetworkFileError(name, 1, "-", "the file is empty")
    try:
        parsed = _File.model_validate(data, context={"today": today})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        raise NetworkFileError(name, _line_for(loc, lines), _dotted(loc), first["msg"]) from None
    return _to_domain(parsed, name, lines)


def _construct(node: yaml.Node, path: Path_, lines: dict[Path_, int], name: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in out:
                raise NetworkFileError(
                    name,
                    key_node.start_mark.line + 1,
                    _dotted((*path, key)),
                    "this key appears twice",
                )
            out[key] = _construct(value_node, (*path, key), lines, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*path, i), lines, name) for i, v in enumerate(node.value)]
    value = str(node.value)
    if isinstance(node, yaml.ScalarNode) and node.style is None and value in ("", "~", "null"):
        return None
    return value


def _line_for(loc: Path_, lines: dict[Path_, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _dotted(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"


def _to_domain(f: _File, name: str, lines: dict[Path_, int]) -> NetworkFile:
    def fail(loc: Path_, message: str) -> NetworkFileError:
        return NetworkFileError(name, _line_for(loc, lines), _dotted(loc), message)

    n = f.network
    if n.period.end <= n.period.start:
        raise fail(("network", "period", "end"), "the period must end after it starts")
    keys = [m.key for m in f.municipalities]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise fail(("municipalities", i, "key"), f"municipality {key!r} is listed twice")
    seated = sum(1 for m in f.municipalities if m.seat is SeatStatus.MEMBER)
    if seated > n.seats:
        raise fail(("municipalities",), f"{seated} members but only {n.seats} seats")
    deadline, opens = _call(n, fail)
    people = _people(f, keys, fail)
    meetings = _meetings(f, keys, fail)
    defaults = Cadence()
    offsets = dict(defaults.offsets)
    offsets.update({k: v for k, v in n.cadence.steps.items() if v is not None})
    cadence = Cadence(
        step_time=n.cadence.time,
        rsvp_deadline_days=n.cadence.rsvp_deadline_days,
        offsets=tuple(offsets.items()),
        disabled=frozenset(k for k, v in n.cadence.steps.items() if v is None),
        pulse_every_weeks=n.cadence.pulse_every_weeks,
        final_evaluation=n.final_evaluation,
    )
    if n.final_evaluation and not n.period.start <= n.final_evaluation <= n.period.end:
        raise fail(
            ("network", "final_evaluation"),
            "the final evaluation must lie within the network's period",
        )
    network = Network(
        slug=n.slug,
        name=n.name,
        language=n.language,
        timezone=n.timezone,
        starts_on=n.period.start,
        ends_on=n.period.end,
        seat_limit=n.seats,
        themes=tuple(n.themes),
        description=n.description.strip(),
        registration_deadline=deadline,
        call_opens=opens,
        evaluation=n.evaluation.strip(),
        cadence=cadence,
        fees=tuple(Fee(x.year, x.amount, x.currency) for x in n.fees),
    )
    phases = tuple(
        Phase(
            number=p.number,
            title=p.title,
            starts_on=p.start,
            ends_on=p.end,
            description=p.description.strip(),
        )
        for p in f.phases
    )
    for i, ph in enumerate(phases):
        if ph.ends_on < ph.starts_on:
            raise fail(("phases", i, "end"), "a phase must end after it starts")
    for i, meeting in enumerate(meetings):
        early = steps_before_start(network, meeting)
        if early:
            first = early[0]
            raise fail(
                ("meetings", i, "date"),
                f"the {first.kind.value} step falls on {first.due:%Y-%m-%d}, before the "
                f"network starts on {network.starts_on}; switch it off for this meeting "
                f"with skip: [{', '.join(s.kind.value for s in early)}]",
            )
    return NetworkFile(
        network=network,
        municipalities=tuple(
            Municipality(m.key, m.name, m.region, m.seat) for m in f.municipalities
        ),
        people=people,
        meetings=meetings,
        phases=phases,
    )


def _call(n: _NetworkPart, fail: Any) -> tuple[dt.date | None, dt.date | None]:
    """The registration deadline and the day the call opens by itself, checked."""
    if n.call is None:
        return n.registration_deadline, None
    if n.call.deadline < n.call.opens:
        raise fail(("network", "call", "deadline"), "the call's deadline is before it opens")
    if n.registration_deadline not in (None, n.call.deadline):
        raise fail(
            ("network", "call", "deadline"),
            "call.deadline and registration_deadline differ; keep one of them",
        )
    return n.call.deadline, n.call.opens


def _people(f: _File, keys: list[str], fail: Any) -> tuple[Person, ...]:
    out: list[Person] = []
    for i, p in enumerate(f.people):
        if p.municipality is not None and p.municipality not in keys:
            raise fail(("people", i, "municipality"), f"unknown municipality {p.municipality!r}")
        key = p.email.strip().lower()
        if any(o.key == key for o in out):
            raise fail(("people", i, "email"), f"{p.email} is listed twice")
        out.append(
            Person(
                key=key,
                name=p.name,
                email=p.email.strip(),
                municipality=p.municipality,
                locale=p.locale,
                roles=frozenset(p.roles),
            )
        )
    return tuple(out)


def _meetings(f: _File, keys: list[str], fail: Any) -> tuple[Meeting, ...]:
    out: list[Meeting] = []
    numbers: set[int] = set()
    for i, m in enumerate(f.meetings):
        if m.number in numbers:
            raise fail(("meetings", i, "number"), f"meeting number {m.number} is used twice")
        numbers.add(m.number)
        if m.host is not None and m.host not in keys:
            raise fail(("meetings", i, "host"), f"unknown municipality {m.host!r}")
        if m.end_date is not None and m.end_date < m.date:
            raise fail(("meetings", i, "end_date"), "the end date is before the date")
        if not f.network.period.start <= m.date <= f.network.period.end:
            raise fail(("meetings", i, "date"), "the date lies outside the network's period")
        programme = tuple(
            ProgrammeItem(
                position=j + 1,
                title=item.title,
                kind=item.kind,
                starts=item.time.start if item.time else None,
                ends=item.time.end if item.time else None,
                speaker=item.speaker,
            )
            for j, item in enumerate(m.programme)
        )
        out.append(
            Meeting(
                number=m.number,
                kind=m.kind,
                day=m.date,
                end_day=m.end_date,
                starts=m.time.start,
                ends=m.time.end,
                region=m.region,
                place=m.place,
                host=m.host,
                title=m.title,
                field_visit=m.field_visit.strip(),
                status=m.status,
                programme=programme,
                capacity=m.capacity,
                seats_per_municipality=m.seats_per_municipality,
                skip_steps=frozenset(m.skip),
            )
        )
    return tuple(out)
