"""Sparring pairs between meetings: who meets whom this round (pure, standard library only).

A round puts every participating municipality in exactly one group: pairs, plus one group of
three when the count is odd. Rounds come in *cycles*, derived from the history alone:

- While the participants stay the same, a cycle is a round-robin (the circle method). Its
  first round is searched for the most pairs that share an interest theme; that round fixes
  the circle's labelling (pairs in key order), so every later round of the cycle is read back
  from the history, not stored. Each next round is the unplayed round of that round-robin
  with the most shared-theme pairs (ties broken by a seeded shuffle).
  Even count n: n-1 rounds, every pair meets exactly once.
  Odd count n: the round-robin of n plus a "bye" runs n rounds; each round the one with the
  bye joins the pair it shares most themes with (then: the pair it has met least this
  cycle). So within a cycle every pair meets at least once, at most once in a group of two,
  and only the bye's two extra pairs per round (2n in all) are repeats.
- When the participants change mid-cycle (someone joins, leaves, or pauses), the cycle falls
  back to a best-effort search: the round of unmet pairs with the most shared themes
  (bounded branch and bound); when no such round is found a new cycle starts, repeating as
  few of the old cycle's pairs as it can.

The same participants, history and seed always give the same round.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

Pair = frozenset[str]
Group = tuple[str, ...]
SEARCH_BUDGET = 10_000  # search steps per best-effort round: exact when small, else bounded
FIRST_ROUND_BUDGET = 2_000  # search steps for a cycle's first round: it has nothing forbidden


@dataclass(frozen=True, slots=True)
class Participant:
    """A municipality taking part in a round, with the themes it is interested in."""

    key: str
    themes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Round:
    """The groups of one round; `new_cycle` when it starts a cycle after an earlier one."""

    groups: tuple[Group, ...]
    new_cycle: bool = False
    shared: int = 0  # pairs in this round that share an interest theme


def pairs_of(group: Iterable[str]) -> set[Pair]:
    """Every pair inside a group (one for a pair, three for a group of three)."""
    return {frozenset(p) for p in combinations(sorted(set(group)), 2)}


def _held(groups: Sequence[Group]) -> set[Pair]:
    return set().union(*(pairs_of(g) for g in groups)) if groups else set()


class _RoundRobin:
    """The circle-method round-robin that a cycle's first round fixes.

    Keys are numbered in sorted order; an odd count gets a bye, number n. The first round's
    pairs (a trio counts as its two larger keys, with the smallest on the bye) are sorted; the
    first pair sits on the fixed point and position 0, the j-th on positions j and k-j, where
    k = n-1 (even n) or n (odd n). Round r then pairs (fixed, r) and (r+i, r-i) mod k.
    """

    def __init__(self, keys: Sequence[str], first: Sequence[Group]) -> None:
        self.keys = sorted(keys)
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.bye = len(self.keys) if len(self.keys) % 2 else -1
        base = sorted(self._base(first, None))
        k = len(base) * 2 - 1
        label = [0] * (k + 1)
        label[k], label[0] = base[0]
        for j, (a, b) in enumerate(base[1:], start=1):
            label[j], label[k - j] = a, b
        self.factors: list[frozenset[tuple[int, int]]] = []
        for r in range(k):
            pairs = [(label[k], label[r])]
            pairs += [(label[(r + i) % k], label[(r - i) % k]) for i in range(1, (k - 1) // 2 + 1)]
            self.factors.append(frozenset((min(a, b), max(a, b)) for a, b in pairs))

    def _base(self, groups: Sequence[Group], bye: str | None) -> list[tuple[int, int]]:
        """A round's pairs as numbers, the trio read with `bye` (default: its smallest key)."""
        out: list[tuple[int, int]] = []
        for group in groups:
            ids = sorted(self.index[k] for k in group)
            if len(ids) == 3:
                b = ids[0] if bye is None else self.index[bye]
                rest = [i for i in ids if i != b]
                out += [(b, self.bye), (rest[0], rest[1])]
            else:
                out.append((ids[0], ids[1]))
        return [(min(a, b), max(a, b)) for a, b in out]

    def factor_of(self, groups: Sequence[Group], left: Iterable[int]) -> int | None:
        """Which unplayed round of the round-robin `groups` is, if any."""
        if not _shape_ok(groups):
            return None
        trio = next((g for g in groups if len(g) == 3), None)
        readings = [None] if trio is None else sorted(trio)
        lookup = {self.factors[i]: i for i in left}
        for bye in readings:
            found = lookup.get(frozenset(self._base(groups, bye)))
            if found is not None:
                return found
        return None

    def groups(self, factor: int) -> tuple[list[Group], str | None]:
        """A round's pairs as keys, and who has the bye (None for an even count)."""
        pairs: list[Group] = []
        bye = None
        for a, b in sorted(self.factors[factor]):
            if b == self.bye:
                bye = self.keys[a]
            else:
                pairs.append((self.keys[a], self.keys[b]))
        return pairs, bye


@dataclass(slots=True)
class _Cycle:
    """The current cycle as read from the history: a round-robin in progress, or best effort."""

    met: set[Pair] = field(default_factory=set)
    robin: _RoundRobin | None = None  # None: best effort (or no cycle yet when nothing met)
    left: list[int] = field(default_factory=list)  # unplayed rounds of the round-robin
    started: bool = False  # some cycle has begun (so the next fresh start is a new cycle)

    @property
    def complete(self) -> bool:
        return self.robin is not None and not self.left


def _shape_ok(groups: Sequence[Group]) -> bool:
    """Everyone once, in pairs, plus one trio exactly when the count is odd."""
    keys = [k for g in groups for k in g]
    sizes = [len(g) for g in groups]
    return (
        len(keys) >= 2
        and len(set(keys)) == len(keys)
        and set(sizes) <= {2, 3}
        and sizes.count(3) == len(keys) % 2
    )


def _read(history: Sequence[Sequence[Group]]) -> _Cycle:
    """Replay the history: where the current cycle began and how far it has got."""
    cycle = _Cycle()
    for raw in history:
        groups = [tuple(g) for g in raw if g]
        if not groups:
            continue
        held = _held(groups)
        keys = sorted(k for g in groups for k in g)
        robin = cycle.robin
        if robin is not None and cycle.left and keys == robin.keys:
            found = robin.factor_of(groups, cycle.left)
            if found is not None:
                cycle.left.remove(found)
                cycle.met |= held
                continue
        if cycle.started and not cycle.complete and not held & cycle.met:
            cycle.robin, cycle.left = None, []  # participants changed: best effort from here
            cycle.met |= held
            continue
        # a new cycle begins with this round
        cycle = _Cycle(met=set(held), started=True)
        if _shape_ok(groups):
            cycle.robin = _RoundRobin(keys, groups)
            cycle.left = list(range(1, len(cycle.robin.factors)))
    return cycle


def cycle_pairs(history: Sequence[Sequence[Group]]) -> set[Pair]:
    """The pairs met in the current cycle (empty when the last cycle has just completed)."""
    cycle = _read(history)
    return set() if cycle.complete else cycle.met


def pair_round(
    participants: Sequence[Participant],
    history: Sequence[Sequence[Group]],
    seed: str,
    budget: int = SEARCH_BUDGET,
) -> Round:
    """The next round: the cycle's round-robin while it runs, else the best unmet round."""
    people = _distinct(participants)
    if len(people) < 2:
        return Round(())
    cycle = _read(history)
    keys = [p.key for p in people]
    if cycle.robin is not None and cycle.left and keys == cycle.robin.keys:
        return _next_of_robin(people, cycle, seed)
    if cycle.started and not cycle.complete:
        # best effort: the participants changed mid-cycle (or the history is not a round-robin)
        found = _Search(people, cycle.met, seed, budget).best()
        if found is not None:
            return found
        # A new cycle: repeats are allowed now, but as few of the last cycle's pairs as possible.
        fresh = _Search(people, set(), seed, budget, penalised=cycle.met).best()
    else:
        # the first cycle, or the last one is complete: its first round has nothing forbidden
        fresh = _Search(people, set(), seed, min(budget, FIRST_ROUND_BUDGET)).best()
    assert fresh is not None  # with nothing forbidden, any grouping will do
    shared = sum(_Search.shares_in(g, people) for g in fresh.groups)
    return Round(fresh.groups, new_cycle=cycle.started, shared=shared)


def _next_of_robin(people: list[Participant], cycle: _Cycle, seed: str) -> Round:
    """The unplayed round-robin round with the most shared themes (then fewest repeats)."""
    robin = cycle.robin
    assert robin is not None
    rng = random.Random(seed)
    themes = {p.key: {t.casefold() for t in p.themes} for p in people}
    order = list(cycle.left)
    rng.shuffle(order)
    best: tuple[tuple[int, int], list[Group]] | None = None
    for factor in order:
        pairs, bye = robin.groups(factor)
        groups = list(pairs)
        if bye is not None:
            # the bye joins the pair it shares most themes with, then the one it met least
            def fit(pair: Group, bye: str = bye) -> tuple[int, int]:
                return (
                    sum(1 for k in pair if themes[k] & themes[bye]),
                    -sum(1 for k in pair if frozenset((k, bye)) in cycle.met),
                )

            host = max(pairs, key=fit)  # max keeps the first of equals: pairs are sorted
            groups = [(*g, bye) if g == host else g for g in pairs]
        shared = sum(1 for g in groups for a, b in combinations(g, 2) if themes[a] & themes[b])
        repeats = len(_held(groups) & cycle.met)
        score = (shared, -repeats)
        if best is None or score > best[0]:
            best = (score, groups)
    assert best is not None
    ordered = sorted((tuple(sorted(g)) for g in best[1]), key=lambda g: g[0])
    return Round(tuple(ordered), shared=best[0][0])


def round_dates(start: date, end: date, every_weeks: int) -> list[date]:
    """The days a network pairs on: every N weeks from its start, until its end."""
    if every_weeks <= 0:
        return []
    days: list[date] = []
    day = start
    while day <= end:
        days.append(day)
        day += timedelta(weeks=every_weeks)
    return days


def latest_due(start: date, end: date, every_weeks: int, today: date) -> date | None:
    """The latest pairing day on or before `today` (None before the first or when off)."""
    due = [d for d in round_dates(start, end, every_weeks) if d <= today]
    return due[-1] if due else None


def _distinct(participants: Sequence[Participant]) -> list[Participant]:
    seen: dict[str, Participant] = {}
    for p in participants:
        seen.setdefault(p.key, p)
    return sorted(seen.values(), key=lambda p: p.key)


class _Search:
    """Branch and bound over groupings of unmet pairs (a trio when the count is odd)."""

    def __init__(
        self,
        people: list[Participant],
        met: set[Pair],
        seed: str,
        budget: int,
        penalised: set[Pair] | None = None,
    ) -> None:
        rng = random.Random(seed)
        self._penalised = penalised or set()
        self._weight = len(people) + 3  # one repeat outweighs every shared theme of a round
        order = [p.key for p in people]
        rng.shuffle(order)
        self._rank = {key: i for i, key in enumerate(order)}
        self._themes = {p.key: {t.casefold() for t in p.themes} for p in people}
        self._keys = [p.key for p in people]
        self._free: dict[str, set[str]] = {
            k: {o for o in self._keys if o != k and frozenset((k, o)) not in met}
            for k in self._keys
        }
        self._budget = budget
        self._best: tuple[int, list[Group]] | None = None

    def best(self) -> Round | None:
        """The best round found, or None when there is none (or the budget ran out first)."""
        self._walk(set(self._keys), [], 0, trio_due=len(self._keys) % 2 == 1)
        if self._best is None:
            return None
        score, groups = self._best
        ordered = sorted((tuple(sorted(g)) for g in groups), key=lambda g: g[0])
        return Round(tuple(ordered), shared=score)

    def _shares(self, a: str, b: str) -> bool:
        return bool(self._themes[a] & self._themes[b])

    def _score(self, group: Group) -> int:
        shared = sum(1 for a, b in combinations(group, 2) if self._shares(a, b))
        if not self._penalised:
            return shared
        return shared - self._weight * len(pairs_of(group) & self._penalised)

    @staticmethod
    def shares_in(group: Group, people: Sequence[Participant]) -> int:
        """Pairs in a group that share a theme."""
        themes = {p.key: {t.casefold() for t in p.themes} for p in people}
        return sum(1 for a, b in combinations(group, 2) if themes[a] & themes[b])

    def _walk(self, left: set[str], groups: list[Group], score: int, trio_due: bool) -> None:
        if self._budget <= 0:
            return
        self._budget -= 1
        if not left:
            if self._best is None or score > self._best[0]:
                self._best = (score, list(groups))
            return
        if self._best is not None and score + self._bound(len(left), trio_due) <= self._best[0]:
            return
        # the municipality with the fewest unmet partners left goes first: fail early
        v = min(left, key=lambda k: (len(self._free[k] & left), self._rank[k]))
        rest = left - {v}
        options: list[Group] = [(v, u) for u in self._free[v] & rest]
        if trio_due:
            options += [
                (v, u, w)
                for u, w in combinations(sorted(self._free[v] & rest), 2)
                if w in self._free[u]
            ]
        options.sort(key=lambda g: (-self._score(g), [self._rank[k] for k in g[1:]]))
        for group in options:
            trio = len(group) == 3
            if not trio and trio_due and len(left) == 3:
                continue  # the last one would be left alone
            groups.append(group)
            self._walk(rest - set(group), groups, score + self._score(group), trio_due and not trio)
            groups.pop()

    @staticmethod
    def _bound(left: int, trio_due: bool) -> int:
        """At most one shared pair per pair left, three for the trio."""
        return (left - 3) // 2 + 3 if trio_due else left // 2


def shared_themes(a: Participant, b: Participant) -> tuple[str, ...]:
    """The themes two municipalities share (as the first one spells them), sorted."""
    other = {t.casefold() for t in b.themes}
    return tuple(sorted(t for t in a.themes if t.casefold() in other))


def prompt_themes(group: Group, themes: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """Themes at least two members of a group share: what the prompt suggests they talk about."""
    counts: dict[str, tuple[int, str]] = {}
    for key in group:
        for theme in themes.get(key, frozenset()):
            n, spelled = counts.get(theme.casefold(), (0, theme))
            counts[theme.casefold()] = (n + 1, spelled)
    return tuple(sorted(spelled for n, spelled in counts.values() if n >= 2))
