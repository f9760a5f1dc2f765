"""The network's final evaluation, and when evaluation totals may be shown at all. Pure rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import N_, InvalidInput
from domain.sparring import MAX_COMMENT, EvaluationAggregate, Totals, clean

MAX_TAKE_HOME = 2000
# Totals are shown from this many answers: with fewer, one answer could be traced to a person.
DEFAULT_MIN_ANSWERS = 3


@dataclass(frozen=True, slots=True)
class FinalAnswer:
    """One member's final evaluation: stored without anything that points at the member."""

    usefulness: int  # 1 to 5: how useful the network was, overall
    take_home: str  # what the municipality takes home, or has changed in practice
    recommend: bool  # would recommend the network to other municipalities
    comment: str = ""


@dataclass(frozen=True, slots=True)
class FinalAggregate(Totals):
    """What the organisers see of the final evaluation: totals and texts, never who."""

    answers: int
    counts: tuple[int, int, int, int, int]
    recommend_yes: int
    recommend_no: int
    take_home: tuple[str, ...]
    comments: tuple[str, ...]
    shown_from: int = 0  # totals are withheld while answers < shown_from


def clean_final(
    usefulness: object, take_home: object, recommend: object, comment: object
) -> FinalAnswer:
    """A final evaluation as typed into the card, every part checked."""
    score = str(usefulness).strip() if isinstance(usefulness, str | int) else ""
    if score not in {"1", "2", "3", "4", "5"}:
        raise InvalidInput(N_("Choose how useful the network was, from 1 to 5."))
    answer = str(recommend).strip().lower() if isinstance(recommend, str | bool) else ""
    if answer not in {"yes", "no", "true", "false"}:
        raise InvalidInput(N_("Say whether you would recommend the network to others."))
    too_long = N_("The answer is too long: {length} characters, at most {limit}.")
    return FinalAnswer(
        usefulness=int(score),
        take_home=clean(take_home, MAX_TAKE_HOME, too_long),
        recommend=answer in {"yes", "true"},
        comment=clean(comment, MAX_COMMENT, too_long),
    )


def final_aggregate(answers: Sequence[FinalAnswer], min_answers: int) -> FinalAggregate:
    """The totals, texts sorted so their order says nothing; withheld below `min_answers`."""
    if len(answers) < min_answers:
        return FinalAggregate(len(answers), (0, 0, 0, 0, 0), 0, 0, (), (), min_answers)
    counts = [0, 0, 0, 0, 0]
    for a in answers:
        counts[a.usefulness - 1] += 1
    yes = sum(1 for a in answers if a.recommend)
    return FinalAggregate(
        answers=len(answers),
        counts=(counts[0], counts[1], counts[2], counts[3], counts[4]),
        recommend_yes=yes,
        recommend_no=len(answers) - yes,
        take_home=tuple(sorted(a.take_home for a in answers if a.take_home)),
        comments=tuple(sorted(a.comment for a in answers if a.comment)),
        shown_from=min_answers,
    )


def disclosed(results: EvaluationAggregate, min_answers: int) -> EvaluationAggregate:
    """A meeting's totals, or only how many answered while fewer than `min_answers` did."""
    if results.answers >= min_answers:
        return results
    return EvaluationAggregate(results.answers, (0, 0, 0, 0, 0), (), shown_from=min_answers)
