"""Problem statements (cases), the host's proposals, summaries and evaluations. Pure rules."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from domain.errors import N_, InvalidInput
from domain.numbers import small_number

MAX_TITLE = 120
MAX_DESCRIPTION = 2000
MAX_DECISION_NOTE = 1000
MAX_SPARRING_NOTES = 2000
MAX_SUMMARY_FIELD = 3000
MAX_CASE_NOTE = 1000
MAX_COMMENT = 1000
MAX_PROPOSALS = 15
MAX_PROPOSAL = 200
MAX_ADDRESS = 300
MAX_WHAT_TO_SEE = 2000
SUMMARY_FIELDS = ("key_points", "good_advice", "experiences", "next_steps")
# The D+1 reminder for the summary: at most every 3 days, at most 3 times.
REMINDER_EVERY = timedelta(days=3)
MAX_REMINDERS = 3


class CaseStatus(enum.StrEnum):
    """Where a problem statement stands."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Decision(enum.StrEnum):
    """What the facilitator does with a case."""

    ACCEPT = "accept"
    DECLINE = "decline"
    EDIT = "edit"


@dataclass(frozen=True, slots=True)
class Case:
    """A problem statement someone brings to a meeting for sparring."""

    id: int
    network: str  # network slug
    meeting: int  # meeting number
    title: str
    description: str
    themes: tuple[str, ...]
    submitter: str  # person key
    submitter_name: str
    municipality: str | None
    municipality_name: str
    submitted_at: datetime
    status: CaseStatus = CaseStatus.SUBMITTED
    position: int | None = None  # order in the agenda, accepted cases only
    decision_note: str = ""
    sparring_notes: str = ""
    notes_by: str = ""
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class HostPlan:
    """The host municipality's proposals for its meeting: programme items and the field visit."""

    programme: tuple[str, ...] = ()
    address: str = ""
    what_to_see: str = ""
    updated_by: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """The facilitator's summary of a meeting: a draft until posted."""

    key_points: str = ""
    good_advice: str = ""
    experiences: str = ""
    next_steps: str = ""
    case_notes: tuple[tuple[int, str], ...] = ()  # (case id, note)
    posted: bool = False
    author: str = ""
    updated_at: datetime | None = None
    posted_at: datetime | None = None
    reminders: int = 0
    reminded_at: datetime | None = None

    def is_empty(self) -> bool:
        """Whether nothing has been written yet."""
        return not any(getattr(self, f) for f in SUMMARY_FIELDS) and not any(
            note for _, note in self.case_notes
        )

    def note_for(self, case_id: int) -> str:
        """The summary's note on one case."""
        return next((note for cid, note in self.case_notes if cid == case_id), "")


class Totals:
    """Usefulness totals (1 to 5) that are withheld while there are too few answers.

    Mixed into the meeting's and the network's final evaluation aggregates, which declare
    `answers`, `counts` (how many gave 1, 2, 3, 4 and 5) and `shown_from`."""

    __slots__ = ()
    answers: int
    counts: tuple[int, int, int, int, int]
    shown_from: int

    @property
    def withheld(self) -> bool:
        """Too few answers to show any total (one answer could be traced to a person)."""
        return self.answers < self.shown_from

    @property
    def mean(self) -> float | None:
        """The average usefulness, or None without (shown) answers."""
        if not self.answers or self.withheld:
            return None
        return sum(score * n for score, n in enumerate(self.counts, 1)) / self.answers


@dataclass(frozen=True, slots=True)
class EvaluationAggregate(Totals):
    """What the facilitator sees of an evaluation: counts, mean, comments; never who."""

    answers: int
    counts: tuple[int, int, int, int, int]  # how many gave 1, 2, 3, 4 and 5
    comments: tuple[str, ...]
    shown_from: int = 0  # totals are withheld while answers < shown_from


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded action: who did what to what, when."""

    network: str
    actor: str
    action: str
    subject: str
    at: datetime


def clean(value: object, limit: int, msgid: str) -> str:
    """Trimmed text within `limit` characters, or a refusal saying how long it was."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise InvalidInput(msgid, length=len(text), limit=limit)
    return text


def clean_case(
    title: object, description: object, themes: object, known: Sequence[str]
) -> tuple[str, str, tuple[str, ...]]:
    """A case's title, description and themes, checked; themes come as indexes '0,2'."""
    heading = clean(
        title, MAX_TITLE, N_("The title is too long: {length} characters, at most {limit}.")
    )
    if not heading:
        raise InvalidInput(N_("Give the problem statement a title."))
    text = clean(
        description,
        MAX_DESCRIPTION,
        N_("The description is too long: {length} characters, at most {limit}."),
    )
    if not text:
        raise InvalidInput(N_("Describe the question you want sparring on."))
    return heading, text, pick_themes(themes, known)


def pick_themes(value: object, known: Sequence[str]) -> tuple[str, ...]:
    """The network's themes chosen in a multi-select (its values are the themes' indexes)."""
    if not isinstance(value, str) or not value.strip():
        return ()
    chosen: list[str] = []
    for part in value.split(","):
        index = small_number(part, digits=3)
        if index is None or index >= len(known):
            raise InvalidInput(N_("That theme is not one of the network's themes."))
        if known[index] not in chosen:
            chosen.append(known[index])
    return tuple(chosen)


def decide(
    case: Case, decision: Decision, title: str, description: str, note: str, now: datetime
) -> Case:
    """The case after the facilitator accepts, declines or edits it."""
    status = {
        Decision.ACCEPT: CaseStatus.ACCEPTED,
        Decision.DECLINE: CaseStatus.DECLINED,
        Decision.EDIT: case.status,
    }[decision]
    return replace(
        case,
        title=title or case.title,
        description=description or case.description,
        status=status,
        position=case.position if status is CaseStatus.ACCEPTED else None,
        decision_note=note,
        decided_at=now,
    )


def reorder(cases: Sequence[Case], moved: Case, wanted: int | None) -> list[Case]:
    """Accepted cases numbered 1..n: `moved` at `wanted` (1-based), or kept/appended."""
    accepted = sorted(
        (c for c in cases if c.status is CaseStatus.ACCEPTED and c.id != moved.id),
        key=lambda c: (c.position or 10**6, c.submitted_at),
    )
    if moved.status is CaseStatus.ACCEPTED:
        target = wanted if wanted is not None else moved.position or len(accepted) + 1
        accepted.insert(min(max(target, 1), len(accepted) + 1) - 1, moved)
    return [replace(c, position=i) for i, c in enumerate(accepted, 1)]


def parse_position(value: object) -> int | None:
    """A position typed into a card ('2', 2 or ''), or a refusal."""
    if value in (None, ""):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an Input.Number may arrive as 2.0
    text = str(value).strip()
    size = small_number(text.removeprefix("-"), digits=3)
    if size is None:
        raise InvalidInput(N_("The position must be a whole number, e.g. 1 for first."))
    return -size if text.startswith("-") else size


def clean_host_plan(programme: object, address: object, what_to_see: object) -> HostPlan:
    """The host's proposals: one programme item per line, the field visit's address and sights."""
    lines = [line.strip() for line in programme.splitlines()] if isinstance(programme, str) else []
    items = tuple(line for line in lines if line)
    if len(items) > MAX_PROPOSALS:
        raise InvalidInput(
            N_("Propose at most {limit} programme items (one per line)."), limit=MAX_PROPOSALS
        )
    for item in items:
        clean(
            item,
            MAX_PROPOSAL,
            N_("A programme item is too long: {length} characters, at most {limit}."),
        )
    return HostPlan(
        programme=items,
        address=clean(
            address,
            MAX_ADDRESS,
            N_("The address is too long: {length} characters, at most {limit}."),
        ),
        what_to_see=clean(
            what_to_see,
            MAX_WHAT_TO_SEE,
            N_("The field visit description is too long: {length} characters, at most {limit}."),
        ),
    )


def clean_score(score: object, comment: object) -> tuple[int, str]:
    """An evaluation answer: usefulness 1 to 5 and an optional comment."""
    text = str(score).strip() if isinstance(score, str | int) else ""
    if text not in {"1", "2", "3", "4", "5"}:
        raise InvalidInput(N_("Choose how useful the meeting was, from 1 to 5."))
    note = clean(
        comment, MAX_COMMENT, N_("The comment is too long: {length} characters, at most {limit}.")
    )
    return int(text), note


def aggregate(answers: Sequence[tuple[int, str]]) -> EvaluationAggregate:
    """Counts per score and the comments, sorted so their order says nothing about who."""
    counts = [0, 0, 0, 0, 0]
    for score, _ in answers:
        counts[score - 1] += 1
    comments = tuple(sorted(c for _, c in answers if c))
    return EvaluationAggregate(
        len(answers), (counts[0], counts[1], counts[2], counts[3], counts[4]), comments
    )


def reminder_due(summary: Summary | None, meeting_day: date, now: datetime, today: date) -> bool:
    """Whether to remind the facilitator of the summary: from D+1, every 3 days, 3 times."""
    if summary is not None and summary.posted:
        return False
    if today < meeting_day + timedelta(days=1):
        return False
    if summary is None or summary.reminded_at is None:
        return True
    return summary.reminders < MAX_REMINDERS and now - summary.reminded_at >= REMINDER_EVERY
