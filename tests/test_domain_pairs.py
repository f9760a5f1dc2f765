"""Sparring pairs, pure: every round's properties under Hypothesis, and hand-checked examples."""

from __future__ import annotations

from datetime import date
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.pairs import (
    Group,
    Pair,
    Participant,
    cycle_pairs,
    latest_due,
    pair_round,
    pairs_of,
    prompt_themes,
    round_dates,
)

THEMES = ("mobility", "green", "housing", "density")


@st.composite
def networks(draw: st.DrawFn, low: int = 2, high: int = 9) -> list[Participant]:
    """Participants with random interest themes."""
    n = draw(st.integers(low, high))
    return [
        Participant(f"m{i:02d}", frozenset(draw(st.sets(st.sampled_from(THEMES), max_size=3))))
        for i in range(n)
    ]


def members(groups: tuple[Group, ...]) -> list[str]:
    return [k for g in groups for k in g]


def exists_round_without(keys: list[str], forbidden: set[frozenset[str]]) -> bool:
    """Brute force: can everyone be grouped (pairs, one trio when odd) in unmet pairs only?"""
    if not keys:
        return True
    first, rest = keys[0], keys[1:]
    for u in rest:
        if frozenset((first, u)) in forbidden:
            continue
        left = [k for k in rest if k != u]
        if len(keys) % 2 == 0 and exists_round_without(left, forbidden):
            return True
        if len(keys) % 2 == 1:
            for w in left:
                trio = pairs_of((first, u, w))
                if not trio & forbidden and exists_round_without(
                    [k for k in left if k != w], forbidden
                ):
                    return True
    return False


@settings(max_examples=150, deadline=None)
@given(networks(), st.text(max_size=8))
def test_everyone_is_in_exactly_one_group_and_nobody_with_themselves(
    people: list[Participant], seed: str
) -> None:
    groups = pair_round(people, [], seed).groups
    keys = members(groups)
    assert sorted(keys) == sorted(p.key for p in people)
    assert all(len(set(g)) == len(g) for g in groups)


@settings(max_examples=150, deadline=None)
@given(networks(), st.text(max_size=8))
def test_a_group_of_three_only_when_the_count_is_odd(people: list[Participant], seed: str) -> None:
    sizes = [len(g) for g in pair_round(people, [], seed).groups]
    assert sizes.count(3) == len(people) % 2
    assert set(sizes) <= {2, 3}


def play(people: list[Participant], rounds: int, seed: str) -> list[tuple[Group, ...]]:
    """`rounds` consecutive rounds of a fixed set of participants, each from the history."""
    history: list[tuple[Group, ...]] = []
    for i in range(rounds):
        history.append(pair_round(people, history, f"{seed}:{i}").groups)
    return history


def meetings(rounds: list[tuple[Group, ...]]) -> dict[Pair, list[int]]:
    """Each pair that met, with the size of the group it met in, round by round."""
    met: dict[Pair, list[int]] = {}
    for groups in rounds:
        for g in groups:
            for pair in pairs_of(g):
                met.setdefault(pair, []).append(len(g))
    return met


def every_pair(people: list[Participant]) -> set[Pair]:
    return {frozenset(p) for p in combinations(sorted(p.key for p in people), 2)}


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 15).map(lambda half: 2 * half), st.text(max_size=8))
def test_an_even_count_meets_every_pair_exactly_once_in_n_minus_one_rounds(
    n: int, seed: str
) -> None:
    people = [Participant(f"m{i:02d}", frozenset({THEMES[i % 3]})) for i in range(n)]
    history = play(people, 2 * (n - 1), seed)  # two whole cycles, the second after a repeat
    for cycle in (history[: n - 1], history[n - 1 :]):
        met = meetings(cycle)
        assert set(met) == every_pair(people)
        assert all(len(sizes) == 1 for sizes in met.values())


@settings(max_examples=40, deadline=None)
@given(networks(2, 12).filter(lambda p: len(p) % 2 == 0), st.text(max_size=8))
def test_an_even_cycle_never_repeats_a_pair_before_it_is_complete(
    people: list[Participant], seed: str
) -> None:
    n = len(people)
    history: list[tuple[Group, ...]] = []
    for i in range(n):
        met = cycle_pairs(history)
        result = pair_round(people, history, f"{seed}:{i}")
        assert result.new_cycle == (i == n - 1)
        if i < n - 1:
            assert not set().union(*(pairs_of(g) for g in result.groups)) & met
        history.append(result.groups)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 14).map(lambda half: 2 * half + 1), st.text(max_size=8))
def test_an_odd_count_meets_every_pair_in_n_rounds_and_repeats_only_trio_pairs(
    n: int, seed: str
) -> None:
    people = [Participant(f"m{i:02d}", frozenset({THEMES[i % 4]})) for i in range(n)]
    history = play(people, 2 * n, seed)
    for cycle in (history[:n], history[n:]):
        met = meetings(cycle)
        assert set(met) == every_pair(people)  # everyone meets everyone within n rounds
        # at most one of a pair's meetings is in a group of two: a pair never repeats there
        assert all(sizes.count(2) <= 1 for sizes in met.values())
        # the round-robin holds every pair once; the bye's two extra pairs a round are the rest
        assert sum(len(sizes) - 1 for sizes in met.values()) == 2 * n
        assert all(sum(len(g) == 3 for g in groups) == 1 for groups in cycle)
        assert {k for groups in cycle for g in groups if len(g) == 3 for k in g} == {
            p.key for p in people
        }  # everyone has the bye once, so everyone is in some trio


@settings(max_examples=40, deadline=None)
@given(networks(2, 11), st.text(max_size=8), st.integers(0, 12))
def test_every_round_of_a_cycle_has_everyone_once_and_nobody_with_themselves(
    people: list[Participant], seed: str, before: int
) -> None:
    history = play(people, before, seed)
    groups = pair_round(people, history, seed).groups
    assert sorted(members(groups)) == sorted(p.key for p in people)
    assert all(len(set(g)) == len(g) for g in groups)
    assert [len(g) for g in groups].count(3) == len(people) % 2


@settings(max_examples=60, deadline=None)
@given(networks(), st.text(max_size=8), st.integers(0, 10))
def test_the_same_seed_gives_the_same_round(
    people: list[Participant], seed: str, before: int
) -> None:
    history = play(people, before, "first")
    again = pair_round(list(reversed(people)), history, seed)
    assert pair_round(people, history, seed) == again


def test_a_full_cycle_of_twenty_five_covers_all_three_hundred_pairs() -> None:
    people = [
        Participant(f"m{i:02d}", frozenset({THEMES[i % 4], THEMES[i % 3]})) for i in range(25)
    ]
    met = meetings(play(people, 25, "size"))
    assert len(met) == 300
    assert sum(len(sizes) - 1 for sizes in met.values()) == 50  # two bye pairs per round


def test_a_full_cycle_of_twenty_four_meets_each_of_276_pairs_once() -> None:
    people = [Participant(f"m{i:02d}", frozenset({THEMES[i % 4]})) for i in range(24)]
    met = meetings(play(people, 23, "size"))
    assert len(met) == 276 and all(len(sizes) == 1 for sizes in met.values())


@settings(max_examples=60, deadline=None)
@given(networks(4, 8), st.text(max_size=8), st.integers(1, 6), st.data())
def test_a_change_mid_cycle_falls_back_to_unmet_pairs_while_a_round_of_them_exists(
    people: list[Participant], seed: str, played: int, data: st.DataObject
) -> None:
    history = play(people, min(played, len(people) - 2), seed)
    gone = data.draw(st.sampled_from(people))
    left = [p for p in people if p != gone]
    met = cycle_pairs(history)
    result = pair_round(left, history, seed)
    held = set().union(*(pairs_of(g) for g in result.groups))
    assert sorted(members(result.groups)) == sorted(p.key for p in left)
    if result.new_cycle:
        assert not exists_round_without(sorted(p.key for p in left), met)
    else:
        assert not held & met


def test_the_cycle_is_read_from_the_history_however_its_groups_are_written() -> None:
    people = [Participant(f"m{i}", frozenset({THEMES[i % 2]})) for i in range(8)]
    history = play(people, 3, "s")
    shuffled = [tuple(tuple(reversed(g)) for g in reversed(groups)) for groups in history]
    assert pair_round(people, shuffled, "t") == pair_round(people, history, "t")
    assert not pair_round(people, shuffled, "t").new_cycle


def test_a_history_that_is_no_round_robin_is_continued_on_unmet_pairs() -> None:
    people = [Participant(k) for k in "abcdef"]
    # rounds made another way: a-b c-d e-f, then a-c b-f d-e (no round of that circle schedule)
    history: list[tuple[Group, ...]] = [
        (("a", "b"), ("c", "d"), ("e", "f")),
        (("a", "c"), ("b", "f"), ("d", "e")),
    ]
    result = pair_round(people, history, "s")
    assert not result.new_cycle
    assert not set().union(*(pairs_of(g) for g in result.groups)) & cycle_pairs(history)


def test_a_misshapen_round_in_the_history_is_a_change_of_cycle_not_an_error() -> None:
    people = [Participant(k) for k in "abcd"]
    first = pair_round(people, [], "s").groups
    odd: tuple[Group, ...] = (("a",), ("b", "c", "d"))
    result = pair_round(people, [first, odd], "s")
    assert sorted(members(result.groups)) == ["a", "b", "c", "d"]
    assert [len(g) for g in result.groups] == [2, 2]


def test_pairs_by_shared_theme_when_that_is_possible() -> None:
    people = [
        Participant("aarhus", frozenset({"mobility"})),
        Participant("billund", frozenset({"housing"})),
        Participant("faxe", frozenset({"mobility"})),
        Participant("gentofte", frozenset({"housing"})),
    ]
    for seed in ("a", "b", "c", "d"):
        result = pair_round(people, [], seed)
        assert result.groups == (("aarhus", "faxe"), ("billund", "gentofte"))
        assert result.shared == 2


def test_themes_match_regardless_of_case() -> None:
    people = [
        Participant("a", frozenset({"Green"})),
        Participant("b", frozenset({"housing"})),
        Participant("c", frozenset({"green"})),
        Participant("d", frozenset({"other"})),
    ]
    assert ("a", "c") in pair_round(people, [], "x").groups


def test_a_pair_that_met_gives_way_to_the_next_best() -> None:
    people = [
        Participant("a", frozenset({"mobility"})),
        Participant("b", frozenset({"housing"})),
        Participant("c", frozenset({"mobility"})),
        Participant("d", frozenset({"housing", "mobility"})),
    ]
    first = pair_round(people, [], "s")
    assert first.shared == 2 and ("a", "c") in first.groups
    second = pair_round(people, [first.groups], "s")
    # a-c and b-d met; of a-b/c-d and a-d/b-c the latter shares two themes
    assert not set(second.groups) & set(first.groups)
    assert second.shared == 1 and not second.new_cycle
    third = pair_round(people, [first.groups, second.groups], "s")
    assert not third.new_cycle
    fourth = pair_round(people, [first.groups, second.groups, third.groups], "s")
    assert fourth.new_cycle and fourth.shared == 2


def test_the_trio_is_the_three_that_share_a_theme() -> None:
    people = [
        Participant("a", frozenset({"green"})),
        Participant("b", frozenset({"green"})),
        Participant("c", frozenset({"green"})),
        Participant("d", frozenset({"housing"})),
        Participant("e", frozenset({"housing"})),
    ]
    result = pair_round(people, [], "z")
    assert result.groups == (("a", "b", "c"), ("d", "e"))
    assert result.shared == 4


def test_the_odd_one_out_joins_the_pair_it_has_met_least_when_no_theme_decides() -> None:
    people = [Participant(k) for k in "abcde"]
    first = pair_round(people, [], "s")
    second = pair_round(people, [first.groups], "s")
    # after a trio and a pair no trio of unmet pairs is left: one repeat is unavoidable, and
    # the round-robin goes on (the trio's extra pairs are not a new cycle)
    assert not second.new_cycle
    repeated = set().union(*(pairs_of(g) for g in first.groups)) & set().union(
        *(pairs_of(g) for g in second.groups)
    )
    assert len(repeated) == 1


def test_one_participant_or_none_makes_no_round() -> None:
    assert pair_round([Participant("a")], [], "s").groups == ()
    assert pair_round([], [], "s").groups == ()


def test_the_cycle_restarts_at_the_round_that_repeated_a_pair() -> None:
    r1: tuple[Group, ...] = (("a", "b"), ("c", "d"))
    r2: tuple[Group, ...] = (("a", "c"), ("b", "d"))
    r3: tuple[Group, ...] = (("a", "b"), ("c", "d"))
    assert cycle_pairs([r1, r2]) == pairs_of("ab") | pairs_of("cd") | pairs_of("ac") | pairs_of(
        "bd"
    )
    assert cycle_pairs([r1, r2, r3]) == pairs_of("ab") | pairs_of("cd")


def test_pairing_days_every_n_weeks_from_the_start_and_off_at_zero() -> None:
    start, end = date(2025, 1, 6), date(2025, 3, 31)
    assert round_dates(start, end, 4) == [
        date(2025, 1, 6),
        date(2025, 2, 3),
        date(2025, 3, 3),
        date(2025, 3, 31),
    ]
    assert round_dates(start, end, 0) == []
    assert latest_due(start, end, 4, date(2025, 2, 20)) == date(2025, 2, 3)
    assert latest_due(start, end, 4, date(2025, 1, 5)) is None


def test_prompt_names_the_themes_the_group_shares() -> None:
    themes = {
        "a": frozenset({"Green", "housing"}),
        "b": frozenset({"green"}),
        "c": frozenset({"housing"}),
    }
    assert prompt_themes(("a", "b", "c"), themes) in (("Green", "housing"), ("green", "housing"))
