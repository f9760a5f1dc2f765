"""The cadence: every step the year brings, derived from meetings and network settings. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.errors import N_, InvalidInput
from domain.model import Cadence, Meeting, MeetingStatus, Network
from domain.text import literal
from domain.workdays import working_day_after, working_day_before


class StepKind(enum.StrEnum):
    """What a cadence step does."""

    HOST_PROMPT = "host_prompt"
    CALL_FOR_CASES = "call_for_cases"
    AGENDA = "agenda"
    MATERIAL_PACK = "material_pack"
    RSVP_REMINDER = "rsvp_reminder"
    RSVP_CLOSE = "rsvp_close"
    PRACTICAL_INFO = "practical_info"
    FOLLOW_UP = "follow_up"
    PULSE = "pulse"
    FINAL_EVALUATION = "final_evaluation"
    PHASE_START = "phase_start"


# Without a declared date, the network's final evaluation goes out a week after its last meeting.
FINAL_EVALUATION_AFTER = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One step at its local due time: its key is its identity for exactly-once."""

    key: str
    kind: StepKind
    due: datetime  # aware, in the network's zone
    meeting: int | None = None
    theme: str = ""

    @property
    def offset_label(self) -> str:
        """'D-21' style, for people reading a preview."""
        return self.key.rsplit(":", 1)[-1] if self.kind is StepKind.PULSE else self.kind.value


def step_key(network: str, kind: StepKind, meeting: int | None, day: date | None = None) -> str:
    """The stable identity of a step: network, kind, and meeting (or day, for pulses)."""
    anchor = f"m{meeting}" if meeting is not None else f"{day:%Y-%m-%d}"
    return f"{network}:{kind.value}:{anchor}"


def step_day(
    cadence: Cadence, day: date, after: date | None = None, floor: date | None = None
) -> date:
    """The day a step runs: with `working_days_only`, a weekend or holiday moves it to the
    working day before, unless that is no longer after `after` (a follow-up stays after its
    meeting: it moves to the working day after) or falls before `floor` (the network's start,
    before which nothing runs: it stays on its day)."""
    if not cadence.working_days_only:
        return day
    earlier = working_day_before(day, cadence.days_off)
    if after is not None and earlier <= after < day:
        return working_day_after(day, cadence.days_off)
    if floor is not None and earlier < floor <= day:
        return day
    return earlier


def meeting_steps(network: Network, meeting: Meeting) -> list[PlannedStep]:
    """The enabled steps for one meeting, at the network's local step time (DST-correct)."""
    if meeting.status is MeetingStatus.CANCELLED:
        return []
    cadence = network.cadence
    steps = []
    for name, offset in cadence.offsets:
        if name in cadence.disabled or name in meeting.skip_steps:
            continue
        kind = StepKind(name)
        day = step_day(
            cadence,
            meeting.day + timedelta(days=offset),
            meeting.end_day or meeting.day,
            network.starts_on,
        )
        due = datetime.combine(day, cadence.step_time, network.zone)
        steps.append(
            PlannedStep(
                step_key(network.slug, kind, meeting.number), kind, due, meeting=meeting.number
            )
        )
    return steps


def pulse_steps(network: Network, meetings: list[Meeting]) -> list[PlannedStep]:
    """Theme questions every N weeks between meetings, themes in turn, none in meeting weeks."""
    weeks = network.cadence.pulse_every_weeks
    if weeks <= 0 or not network.themes or "pulse" in network.cadence.disabled:
        return []
    meeting_weeks = {
        m.day.isocalendar()[:2] for m in meetings if m.status is not MeetingStatus.CANCELLED
    }
    steps: list[PlannedStep] = []
    day = network.starts_on + timedelta(days=(7 - network.starts_on.weekday()) % 7 + 1)
    while day <= network.ends_on:  # Tuesdays: not the first thing on a Monday morning
        if day.isocalendar()[:2] not in meeting_weeks:
            theme = network.themes[len(steps) % len(network.themes)]
            runs = step_day(network.cadence, day, floor=network.starts_on)
            due = datetime.combine(runs, network.cadence.step_time, network.zone)
            steps.append(
                PlannedStep(
                    step_key(network.slug, StepKind.PULSE, None, day),
                    StepKind.PULSE,
                    due,
                    theme=theme,
                )
            )
        day += timedelta(weeks=weeks)
    return steps


def final_step(network: Network, meetings: list[Meeting]) -> PlannedStep | None:
    """The final evaluation: on the declared day, else a week after the last meeting."""
    if StepKind.FINAL_EVALUATION.value in network.cadence.disabled:
        return None
    held = [m.end_day or m.day for m in meetings if m.status is not MeetingStatus.CANCELLED]
    day = network.cadence.final_evaluation or (max(held) + FINAL_EVALUATION_AFTER if held else None)
    if day is None:
        return None
    runs = step_day(network.cadence, day, max(held, default=None))
    due = datetime.combine(runs, network.cadence.step_time, network.zone)
    key = step_key(network.slug, StepKind.FINAL_EVALUATION, None, day)
    return PlannedStep(key, StepKind.FINAL_EVALUATION, due)


def plan(network: Network, meetings: list[Meeting]) -> list[PlannedStep]:
    """Every step of the network's life, in due order."""
    steps = [s for m in meetings for s in meeting_steps(network, m)]
    steps += pulse_steps(network, meetings)
    final = final_step(network, meetings)
    steps += [final] if final else []
    return sorted(steps, key=lambda s: (s.due, s.key))


def steps_before_start(network: Network, meeting: Meeting) -> list[PlannedStep]:
    """Steps of a meeting that would fall before the network starts (an import error)."""
    start = datetime.combine(network.starts_on, datetime.min.time(), network.zone)
    return [s for s in meeting_steps(network, meeting) if s.due < start]


def check_move(
    network: Network, meeting: Meeting | None, kind: StepKind, when: datetime, now: datetime
) -> None:
    """Refuse a move that cannot work: into the past, a pre-meeting step to after its meeting's
    start, any step after the network's end (InvalidInput, saying why)."""
    local = when.astimezone(network.zone)
    if when <= now:
        raise InvalidInput(
            N_("{when} has passed: a step can only be moved to a time still to come."),
            when=local,
        )
    ends = datetime.combine(network.ends_on, time.max, network.zone)
    if when > ends:
        raise InvalidInput(
            N_("{when} is after {network} ends on {end}: move the step to within the network."),
            when=local,
            network=literal(network.name),
            end=network.ends_on,
        )
    offsets = dict(network.cadence.offsets)
    if meeting is not None and offsets.get(kind.value, 0) < 0:
        starts = meeting.starts_at(network.zone)
        if when >= starts:
            raise InvalidInput(
                N_(
                    "This step prepares meeting {number}, which starts {start}: move it to "
                    "a time before the meeting."
                ),
                number=meeting.number,
                start=starts,
            )
