"""A network that runs in phases (the SKL case): which phase is current, when each begins. Pure."""

from __future__ import annotations

from datetime import date, datetime

from domain.cadence import PlannedStep, StepKind, step_day
from domain.model import Network, Phase

PHASE_ANCHOR = "p"


def phases_on(phases: tuple[Phase, ...] | list[Phase], day: date) -> tuple[Phase, ...]:
    """The phases in progress on a day, in order; two may overlap (SKL's third and fourth)."""
    return tuple(
        p for p in sorted(phases, key=lambda p: p.number) if p.starts_on <= day <= p.ends_on
    )


def phase_step_key(network: str, number: int) -> str:
    """The identity of a phase's start step: by number, so a moved phase moves its step."""
    return f"{network}:{StepKind.PHASE_START.value}:{PHASE_ANCHOR}{number}"


def phase_of_step(key: str) -> int | None:
    """The phase number a phase-start step's key names, else None."""
    anchor = key.rsplit(":", 1)[-1]
    digits = anchor.removeprefix(PHASE_ANCHOR)
    if anchor.startswith(PHASE_ANCHOR) and digits.isdigit() and len(digits) <= 4:
        return int(digits)
    return None


def phase_steps(network: Network, phases: tuple[Phase, ...] | list[Phase]) -> list[PlannedStep]:
    """One step per phase, at the network's step time on its first day (with working days only,
    the working day before, but not before the network starts): it announces the phase."""
    if StepKind.PHASE_START.value in network.cadence.disabled:
        return []
    return [
        PlannedStep(
            phase_step_key(network.slug, p.number),
            StepKind.PHASE_START,
            datetime.combine(
                step_day(network.cadence, p.starts_on, floor=network.starts_on),
                network.cadence.step_time,
                network.zone,
            ),
            theme=p.title,
        )
        for p in phases
        if network.starts_on <= p.starts_on <= network.ends_on
    ]
