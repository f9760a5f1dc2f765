"""The selection solver: a hand-checked optimum, fixes honoured, never worse than random draws."""

from __future__ import annotations

import itertools
import random

import pytest

from domain.errors import InvalidInput
from services.selection import (
    Candidate,
    coverage,
    instance,
    propose,
    random_draws,
    solve,
)

F = frozenset


def test_the_solver_finds_the_only_selection_covering_every_theme_and_region() -> None:
    # Two seats, themes A B C, regions N S. Only {a4, a5} covers all three themes (a5 brings A
    # and B, a4 brings C) and both regions: 5 covered things, every other pair covers at most 4.
    problem = instance(
        [
            Candidate("a1", "N", F("A")),
            Candidate("a2", "N", F("A")),
            Candidate("a3", "S", F("B")),
            Candidate("a4", "N", F("C")),
            Candidate("a5", "S", F("AB")),
        ],
        seats=2,
        themes=("A", "B", "C"),
    )
    assert solve(problem) == ("a4", "a5")


def test_between_equal_coverage_the_solver_takes_the_most_even_spread() -> None:
    # Themes A B, regions N S, two seats. {p, s}, {q, r} and {q, s} all cover both themes and
    # both regions; only {p, s} names each theme once (counts 1/1, imbalance 0), the other two
    # name one theme twice (2/1: imbalance |2-1.5| + |1-1.5| = 1). So {p, s} is the optimum.
    problem = instance(
        [
            Candidate("p", "N", F("A")),
            Candidate("q", "N", F("AB")),
            Candidate("r", "S", F("A")),
            Candidate("s", "S", F("B")),
        ],
        seats=2,
        themes=("A", "B"),
    )
    assert solve(problem) == ("p", "s")
    assert coverage(problem, ("p", "s")).theme_imbalance == 0
    assert coverage(problem, ("q", "r")).theme_imbalance == 1


def brute_force_best(problem: object) -> float:
    """The best score over every selection of the right size (small instances only)."""
    assert hasattr(problem, "candidates")
    keys = [c.key for c in problem.candidates]
    return max(
        coverage(problem, group).score  # type: ignore[arg-type]
        for group in itertools.combinations(keys, problem.seats)  # type: ignore[attr-defined]
        if problem.fixed_in <= set(group)  # type: ignore[attr-defined]
    )


def random_problem(seed: int, size: int = 12, seats: int = 5, fixes: bool = False) -> object:
    rng = random.Random(seed)
    themes = tuple(f"T{i}" for i in range(6))
    regions = ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland")
    candidates = [
        Candidate(f"m{i}", rng.choice(regions), F(rng.sample(themes, rng.randint(1, 3))))
        for i in range(size)
    ]
    fixed_in = ("m0",) if fixes else ()
    fixed_out = ("m1", "m2") if fixes else ()
    return instance(candidates, seats, themes, fixed_in, fixed_out)


@pytest.mark.parametrize("seed", range(6))
def test_the_solver_matches_brute_force_on_small_random_instances(seed: int) -> None:
    problem = random_problem(seed, fixes=seed % 2 == 1)
    chosen = solve(problem)  # type: ignore[arg-type]
    assert len(chosen) == 5
    assert coverage(problem, chosen).score == pytest.approx(brute_force_best(problem))  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(5))
def test_the_proposal_covers_at_least_as_much_as_the_best_of_1000_random_draws(seed: int) -> None:
    problem = random_problem(100 + seed, size=40, seats=25)
    proposal = propose(problem)  # type: ignore[arg-type]
    best = proposal.best_draw
    assert proposal.draws == 1000
    assert proposal.coverage.score >= best.score
    assert (proposal.coverage.themes_covered + proposal.coverage.regions_covered) >= (
        best.themes_covered + best.regions_covered
    )
    assert proposal.worst_draw.score <= best.score


def test_fixed_in_and_fixed_out_are_honoured_even_against_the_spread() -> None:
    problem = instance(
        [
            Candidate("a1", "N", F("A")),
            Candidate("a2", "N", F("A")),
            Candidate("a3", "S", F("B")),
            Candidate("a4", "N", F("C")),
            Candidate("a5", "S", F("AB")),
        ],
        seats=2,
        themes=("A", "B", "C"),
        fixed_in=("a1",),
        fixed_out=("a4",),
    )
    # Without a4 nobody names C; with a1 in, a3 (S, B) gives both themes once and both regions.
    chosen = solve(problem)
    assert chosen == ("a1", "a3")


def test_random_draws_honour_the_fixes_too() -> None:
    # z alone names Z and lies in Q (fixed in); y alone names Y (fixed out): every draw has z
    # and none has y, so every draw covers Z and Q and none covers Y.
    candidates = [Candidate("z", "Q", F("Z")), Candidate("y", "N", F("Y"))]
    candidates += [Candidate(f"a{i}", "N", F("A")) for i in range(8)]
    problem = instance(candidates, 3, ("A", "Y", "Z"), fixed_in=("z",), fixed_out=("y",))
    draws = random_draws(problem, 200)
    assert {(d.themes_covered, d.themes_total, d.regions_covered) for d in draws} == {(2, 3, 2)}


def test_random_draws_are_reproducible() -> None:
    problem = random_problem(7, size=20, seats=8)
    assert random_draws(problem, 50) == random_draws(problem, 50)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seats", "fixed_in", "fixed_out", "message"),
    [
        (0, (), (), "Cannot fill 0 seats from 3 eligible applications with 0 fixed in."),
        (3, (), ("a",), "Cannot fill 3 seats from 2 eligible applications with 0 fixed in."),
        (1, ("a", "b"), (), "Cannot fill 1 seats from 3 eligible applications with 2 fixed in."),
        (2, ("zz",), (), "No application from: zz."),
        (2, ("a",), ("a",), "Fixed both in and out: a."),
    ],
)
def test_impossible_requests_are_refused_before_solving(
    seats: int, fixed_in: tuple[str, ...], fixed_out: tuple[str, ...], message: str
) -> None:
    candidates = [Candidate(k, "N", F("A")) for k in "abc"]
    with pytest.raises(InvalidInput) as refused:
        instance(candidates, seats, ("A",), fixed_in, fixed_out)
    assert refused.value.msgid.format(**refused.value.params) == message
