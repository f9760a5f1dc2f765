"""Validated schema models to the domain's NetworkFile, checking what spans several fields."""

from __future__ import annotations

import datetime as dt

from domain.cadence import steps_before_start
from domain.model import (
    Cadence,
    Fee,
    Meeting,
    Municipality,
    Network,
    NetworkFile,
    Person,
    Phase,
    ProgrammeItem,
    SeatStatus,
)
from domain.trips import trip_skips
from services.network_file.dates import date_warnings, weekday_error
from services.network_file.errors import Locator
from services.network_file.schema import FileModel, NetworkPart
from services.workdays import country_for, with_days_off


def to_domain(f: FileModel, where: Locator) -> NetworkFile:
    """The domain's NetworkFile; a cross-field problem raises NetworkFileError at its line."""
    n = f.network
    if n.period.end <= n.period.start:
        raise where.fail(("network", "period", "end"), "the period must end after it starts")
    keys = [m.key for m in f.municipalities]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise where.fail(("municipalities", i, "key"), f"municipality {key!r} is listed twice")
    seated = sum(1 for m in f.municipalities if m.seat is SeatStatus.MEMBER)
    if seated > n.seats:
        raise where.fail(("municipalities",), f"{seated} members but only {n.seats} seats")
    call = _call(n, where)
    people = _people(f, keys, where)
    meetings = _meetings(f, keys, where)
    network = _network(n, call, where)
    phases = _phases(f, where)
    weekday_error(f, where)
    _check_steps_within_period(network, meetings, where)
    return NetworkFile(
        network=network,
        municipalities=tuple(
            Municipality(m.key, m.name, m.region, m.seat) for m in f.municipalities
        ),
        people=people,
        meetings=meetings,
        phases=phases,
        warnings=date_warnings(f, network, meetings, where),
    )


def _network(
    n: NetworkPart, call: tuple[dt.date | None, dt.date | None], where: Locator
) -> Network:
    deadline, opens = call
    offsets = dict(Cadence().offsets)
    offsets.update({k: v for k, v in n.cadence.steps.items() if v is not None})
    cadence = Cadence(
        step_time=n.cadence.time,
        rsvp_deadline_days=n.cadence.rsvp_deadline_days,
        offsets=tuple(offsets.items()),
        disabled=frozenset(k for k, v in n.cadence.steps.items() if v is None),
        pulse_every_weeks=n.cadence.pulse_every_weeks,
        final_evaluation=n.final_evaluation,
        working_days_only=n.cadence.working_days_only,
        country=n.country or country_for(n.language),
    )
    cadence = with_days_off(cadence, n.period.start, n.period.end)
    if n.final_evaluation and not n.period.start <= n.final_evaluation <= n.period.end:
        raise where.fail(
            ("network", "final_evaluation"),
            "the final evaluation must lie within the network's period",
        )
    return Network(
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
        tenants=tuple(t.lower() for t in n.tenants),
        application_requires=tuple(dict.fromkeys(n.application.requires)),
    )


def _call(n: NetworkPart, where: Locator) -> tuple[dt.date | None, dt.date | None]:
    """The registration deadline and the day the call opens by itself, checked."""
    if n.call is None:
        return n.registration_deadline, None
    if n.call.deadline < n.call.opens:
        raise where.fail(("network", "call", "deadline"), "the call's deadline is before it opens")
    if n.registration_deadline not in (None, n.call.deadline):
        raise where.fail(
            ("network", "call", "deadline"),
            "call.deadline and registration_deadline differ; keep one of them",
        )
    return n.call.deadline, n.call.opens


def _phases(f: FileModel, where: Locator) -> tuple[Phase, ...]:
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
            raise where.fail(("phases", i, "end"), "a phase must end after it starts")
    return phases


def _check_steps_within_period(
    network: Network, meetings: tuple[Meeting, ...], where: Locator
) -> None:
    """A step due before the network starts must be switched off for its meeting."""
    for i, meeting in enumerate(meetings):
        early = steps_before_start(network, meeting)
        if early:
            first = early[0]
            raise where.fail(
                ("meetings", i, "date"),
                f"the {first.kind.value} step falls on {first.due:%Y-%m-%d}, before the "
                f"network starts on {network.starts_on}; switch it off for this meeting "
                f"with skip: [{', '.join(s.kind.value for s in early)}]",
            )


def _people(f: FileModel, keys: list[str], where: Locator) -> tuple[Person, ...]:
    out: list[Person] = []
    for i, p in enumerate(f.people):
        if p.municipality is not None and p.municipality not in keys:
            raise where.fail(
                ("people", i, "municipality"), f"unknown municipality {p.municipality!r}"
            )
        key = p.email.strip().lower()
        if any(o.key == key for o in out):
            raise where.fail(("people", i, "email"), f"{p.email} is listed twice")
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


def _meetings(f: FileModel, keys: list[str], where: Locator) -> tuple[Meeting, ...]:
    out: list[Meeting] = []
    numbers: set[int] = set()
    for i, m in enumerate(f.meetings):
        if m.number in numbers:
            raise where.fail(("meetings", i, "number"), f"meeting number {m.number} is used twice")
        numbers.add(m.number)
        if m.host is not None and m.host not in keys:
            raise where.fail(("meetings", i, "host"), f"unknown municipality {m.host!r}")
        if m.end_date is not None and m.end_date < m.date:
            raise where.fail(("meetings", i, "end_date"), "the end date is before the date")
        if not f.network.period.start <= m.date <= f.network.period.end:
            raise where.fail(("meetings", i, "date"), "the date lies outside the network's period")
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
                online=m.online,
                skip_steps=frozenset(m.skip)
                | trip_skips(
                    m.kind, {"host_prompt": m.host_prompt, "call_for_cases": m.call_for_cases}
                ),
            )
        )
    return tuple(out)
