"""A meeting page: programme, host, place, cases, material, the answers, the summary."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import N_, NotFound
from domain.model import Municipality
from domain.rsvp import Answer, Rsvp, Standing
from domain.sparring import HostPlan, Summary
from services.meeting_state import MeetingState, load_state
from services.ports import Clock, UnitOfWork
from tab.access import Access

COLUMNS = ("attending", "waitlisted", "maybe", "not_attending")


@dataclass(frozen=True, slots=True)
class Row:
    """One municipality's answers: how many people per column, and who (when shown)."""

    municipality: Municipality
    counts: dict[str, int]
    answers: tuple[Rsvp, ...]

    @property
    def unanswered(self) -> bool:
        """Nobody from the municipality has answered."""
        return not self.answers


@dataclass(frozen=True, slots=True)
class MeetingPage:
    """Everything the meeting page shows to this reader."""

    access: Access
    state: MeetingState
    rows: tuple[Row, ...]
    plan: HostPlan | None
    summary: Summary | None  # only once posted
    diets: bool  # the reader may see dietary needs

    @property
    def host_name(self) -> str:
        """The hosting municipality's name, or ''."""
        host = self.state.meeting.host
        return next((m.name for m in self.state.municipalities if m.key == host), host or "")

    @property
    def confirmed(self) -> int:
        """Places taken."""
        return sum(r.counts["attending"] for r in self.rows)

    @property
    def waitlist(self) -> tuple[Rsvp, ...]:
        """Waiting for a place, first come first."""
        waiting = [r for r in self.state.rsvps if r.standing is Standing.WAITLISTED]
        return tuple(sorted(waiting, key=lambda r: r.answered_at))

    @property
    def unanswered(self) -> tuple[Municipality, ...]:
        """Member municipalities nobody has answered for."""
        return tuple(r.municipality for r in self.rows if r.unanswered)


def column_of(rsvp: Rsvp) -> str:
    """The matrix column an answer counts in."""
    if rsvp.answer is Answer.ATTENDING:
        return "waitlisted" if rsvp.standing is Standing.WAITLISTED else "attending"
    return rsvp.answer.value


def _rows(state: MeetingState) -> tuple[Row, ...]:
    rows = []
    for town in state.members():
        answers = tuple(r for r in state.rsvps if r.municipality == town.key)
        counts = dict.fromkeys(COLUMNS, 0)
        for answer in answers:
            counts[column_of(answer)] += 1
        rows.append(Row(town, counts, answers))
    return tuple(sorted(rows, key=lambda r: r.municipality.name))


async def meeting_page(uow: UnitOfWork, clock: Clock, access: Access, number: int) -> MeetingPage:
    """The meeting of the reader's network (inside the caller's unit of work)."""
    slug = access.network.slug
    if await uow.networks.meeting(slug, number) is None:
        raise NotFound(
            N_("{network} has no meeting number {number}."),
            network=access.network.name,
            number=number,
        )
    state = await load_state(uow, clock, slug, number)
    summary = await uow.summaries.get(slug, number)
    return MeetingPage(
        access,
        state,
        _rows(state),
        await uow.host_plans.get(slug, number),
        summary if summary is not None and summary.posted else None,
        access.sees_diets(state.meeting),
    )
