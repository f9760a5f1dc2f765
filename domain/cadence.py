"""The cadence: every step the year brings, derived from meetings and network settings. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.model import Meeting, MeetingStatus, Network


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
        day = meeting.day + timedelta(days=offset)
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
            due = datetime.combine(day, network.cadence.step_time, network.zone)
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
    due = datetime.combine(day, network.cadence.step_time, network.zone)
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
