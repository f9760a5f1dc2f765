"""Selecting applicants for thematic and geographic spread: an integer program solved by CBC.

The objective, for a selection of exactly `seats` applicants (fixed-in ones included, fixed-out
ones excluded), is

    maximise  W * (themes covered + regions covered) - (theme imbalance + region imbalance)

- a theme is covered when at least one chosen applicant named it; a region when at least one
  chosen applicant lies in it. A theme and a region weigh the same.
- theme imbalance: the sum over the themes anyone named of |chosen applicants naming the theme -
  the average of those counts|; region imbalance: the sum over the applicants' regions of
  |chosen applicants from the region - seats / number of regions|. One point per seat away from
  an even spread.
- W = 2 * seats * (themes anyone named + 1) + 1 exceeds the largest possible imbalance, so
  coverage always wins and balance decides between selections that cover equally much.

The same score rates random draws of the same size, so a proposal can be shown against the best
and the worst of many draws (seeded: the comparison is reproducible).
"""

from __future__ import annotations

import asyncio
import random
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pulp  # type: ignore[import-untyped]

from domain.application_form import municipality_key
from domain.errors import N_, InvalidInput, NotFound
from domain.membership import Application, ApplicationStatus
from domain.model import Network
from services.membership import require_secretariat
from services.networks import Actor, Directory
from services.ports import Clock, UnitOfWork

DRAWS = 1000
SEED = 2024
SOLVER_SECONDS = 30


@dataclass(frozen=True, slots=True)
class Candidate:
    """An applicant as the selection sees it: a key, a region and the themes it named."""

    key: str
    region: str
    themes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Coverage:
    """How well a selection spreads: what it covers, how evenly, and the resulting score."""

    themes_covered: int
    themes_total: int
    regions_covered: int
    regions_total: int
    theme_imbalance: float
    region_imbalance: float
    score: float


@dataclass(frozen=True, slots=True)
class Proposal:
    """The solver's choice, its coverage, and the best and worst of the random draws."""

    chosen: tuple[str, ...]
    seats: int
    coverage: Coverage
    best_draw: Coverage
    worst_draw: Coverage
    draws: int


@dataclass(frozen=True, slots=True)
class Instance:
    """What is selected from: eligible candidates, seats, fixes, and the network's themes."""

    candidates: tuple[Candidate, ...]
    seats: int
    fixed_in: frozenset[str]
    themes: tuple[str, ...]

    @property
    def named_themes(self) -> tuple[str, ...]:
        """The themes at least one eligible candidate named (only they can be balanced)."""
        named = set().union(*(c.themes for c in self.candidates))
        return tuple(t for t in self.themes if t in named)

    @property
    def regions(self) -> tuple[str, ...]:
        """The eligible candidates' regions, in order of first appearance."""
        return tuple(dict.fromkeys(c.region for c in self.candidates))

    @property
    def weight(self) -> int:
        """W: one covered theme or region is worth more than any possible imbalance."""
        return 2 * self.seats * (len(self.named_themes) + 1) + 1


def instance(
    candidates: Sequence[Candidate],
    seats: int,
    themes: Sequence[str],
    fixed_in: Iterable[str] = (),
    fixed_out: Iterable[str] = (),
) -> Instance:
    """A selection problem, checked: the fixes name candidates and the seats can be filled."""
    keys = {c.key for c in candidates}
    fin, fout = frozenset(fixed_in), frozenset(fixed_out)
    unknown = sorted((fin | fout) - keys)
    if unknown:
        raise InvalidInput(N_("No application from: {names}."), names=", ".join(unknown))
    if fin & fout:
        raise InvalidInput(
            N_("Fixed both in and out: {names}."), names=", ".join(sorted(fin & fout))
        )
    eligible = tuple(c for c in candidates if c.key not in fout)
    if seats < 1 or seats > len(eligible) or len(fin) > seats:
        raise InvalidInput(
            N_(
                "Cannot fill {seats} seats from {eligible} eligible applications "
                "with {fixed} fixed in."
            ),
            seats=seats,
            eligible=len(eligible),
            fixed=len(fin),
        )
    return Instance(eligible, seats, fin, tuple(themes))


def coverage(problem: Instance, chosen: Iterable[str]) -> Coverage:
    """The score of a selection, computed exactly as the integer program's objective."""
    picked = set(chosen)
    group = [c for c in problem.candidates if c.key in picked]
    named = problem.named_themes
    counts = [sum(1 for c in group if t in c.themes) for t in named]
    average = sum(counts) / len(named) if named else 0.0
    theme_imbalance = sum(abs(n - average) for n in counts)
    regions = problem.regions
    share = problem.seats / len(regions) if regions else 0.0
    region_imbalance = sum(abs(sum(1 for c in group if c.region == r) - share) for r in regions)
    themes_covered = sum(1 for n in counts if n)
    regions_covered = len({c.region for c in group})
    score = problem.weight * (themes_covered + regions_covered) - theme_imbalance - region_imbalance
    return Coverage(
        themes_covered=themes_covered,
        themes_total=len(problem.themes),
        regions_covered=regions_covered,
        regions_total=len(regions),
        theme_imbalance=round(theme_imbalance, 6),
        region_imbalance=round(region_imbalance, 6),
        score=round(score, 6),
    )


def solve(problem: Instance) -> tuple[str, ...]:
    """The selection maximising the objective, found by CBC; keys in the candidates' order."""
    model = pulp.LpProblem("selection", pulp.LpMaximize)
    cands = problem.candidates
    x = [_variable(model, f"x{i}", cat="Binary") for i in range(len(cands))]
    named, regions = problem.named_themes, problem.regions
    model += pulp.lpSum(x) == problem.seats
    for i, c in enumerate(cands):
        if c.key in problem.fixed_in:
            model += x[i] == 1
    counts = [pulp.lpSum(x[i] for i, c in enumerate(cands) if t in c.themes) for t in named]
    sizes = [pulp.lpSum(x[i] for i, c in enumerate(cands) if c.region == r) for r in regions]
    covered = []
    for kind, amounts in (("t", counts), ("r", sizes)):
        for j, amount in enumerate(amounts):
            y = _variable(model, f"cover_{kind}{j}", cat="Binary")
            model += y <= amount
            covered.append(y)
    average = pulp.lpSum(counts) * (1.0 / len(named)) if named else 0
    share = problem.seats / len(regions)
    imbalance = []
    for kind, amounts, target in (("t", counts, average), ("r", sizes, share)):
        for j, amount in enumerate(amounts):
            d = _variable(model, f"dev_{kind}{j}", low=0)
            model += d >= amount - target
            model += d >= target - amount
            imbalance.append(d)
    model += problem.weight * pulp.lpSum(covered) - pulp.lpSum(imbalance)
    status = model.solve(_cbc())
    if pulp.LpStatus[status] != "Optimal":
        raise InvalidInput(N_("The solver found no selection: {status}."), status=status)
    return tuple(c.key for i, c in enumerate(cands) if (x[i].value() or 0) > 0.5)


def _variable(model: Any, name: str, *, low: float | None = None, cat: str = "Continuous") -> Any:
    """A variable owned by the model (PuLP 3.3+), or a free one on older PuLP."""
    add = getattr(model, "add_variable", None)
    return add(name, low, None, cat) if add else pulp.LpVariable(name, low, None, cat)


def _cbc() -> Any:
    """CBC as PuLP ships it. PuLP 3.3 warns that PULP_CBC_CMD goes away in 4.0, where the same
    solver is COIN_CMD with CBC from `pulp[cbc]`; use whichever this PuLP has."""
    bundled = getattr(pulp, "PULP_CBC_CMD", None)
    if bundled is None:
        return pulp.COIN_CMD(msg=False, timeLimit=SOLVER_SECONDS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return bundled(msg=False, timeLimit=SOLVER_SECONDS)


def random_draws(problem: Instance, draws: int = DRAWS, seed: int = SEED) -> list[Coverage]:
    """The coverage of `draws` random selections of the same size, honouring the fixes."""
    rng = random.Random(seed)
    free = [c.key for c in problem.candidates if c.key not in problem.fixed_in]
    wanted = problem.seats - len(problem.fixed_in)
    return [coverage(problem, [*problem.fixed_in, *rng.sample(free, wanted)]) for _ in range(draws)]


def propose(problem: Instance, draws: int = DRAWS, seed: int = SEED) -> Proposal:
    """Solve, then rate the solution against random draws (blocking: CBC runs as a process)."""
    chosen = solve(problem)
    rated = random_draws(problem, draws, seed)
    return Proposal(
        chosen=chosen,
        seats=problem.seats,
        coverage=coverage(problem, chosen),
        best_draw=max(rated, key=lambda c: c.score),
        worst_draw=min(rated, key=lambda c: c.score),
        draws=draws,
    )


@dataclass(frozen=True, slots=True)
class Selection:
    """A proposal for a network, with the applications it chose from and the fixes honoured."""

    network: Network
    open_until: datetime | None  # the call still takes applications until then
    applications: tuple[Application, ...]
    proposal: Proposal
    fixed_in: frozenset[str]
    fixed_out: frozenset[str]

    def chosen(self) -> tuple[Application, ...]:
        """The proposed applications."""
        keys = set(self.proposal.chosen)
        return tuple(a for a in self.applications if a.municipality_key in keys)

    def others(self) -> tuple[Application, ...]:
        """The applications the proposal leaves out."""
        keys = set(self.proposal.chosen)
        return tuple(a for a in self.applications if a.municipality_key not in keys)


def candidate(application: Application) -> Candidate:
    """The selection's view of an application."""
    return Candidate(
        application.municipality_key, application.region, frozenset(application.themes)
    )


def _keys(names: Iterable[str], applications: Sequence[Application]) -> frozenset[str]:
    """Municipality keys from keys or names (`--fix-in Odense` works as well as `odense`)."""
    known = {a.municipality_key for a in applications}
    by_name = {municipality_key(a.municipality_name): a.municipality_key for a in applications}
    out = set()
    for name in names:
        key = name if name in known else by_name.get(municipality_key(name), name)
        out.add(key)
    return frozenset(out)


async def waiting_applications(
    uow: UnitOfWork,
    clock: Clock,
    slug: str,
    actor: Actor | None = None,
    directory: Directory | None = None,
) -> tuple[Network, datetime | None, tuple[Application, ...]]:
    """The network, until when its call is open (if it is), and the applications waiting."""
    async with uow:
        network = await uow.networks.get(slug)
        if network is None:
            raise NotFound(
                N_("There is no network called '{name}'. Known networks: {known}"),
                name=slug[:80],
                known=", ".join(n.slug for n in await uow.networks.all()) or "-",
            )
        if actor is not None:
            await require_secretariat(uow, network, actor, directory, clock)
        call = await uow.membership.call(slug)
        found = await uow.membership.applications(slug)
        await uow.commit()
    waiting = tuple(a for a in found if a.status is ApplicationStatus.SUBMITTED)
    if not waiting:
        raise NotFound(
            N_("No applications to {network} are waiting for a decision."), network=network.name
        )
    is_open = call is not None and call.is_open(clock.now(), network.zone)
    return network, call.closes_at(network.zone) if call and is_open else None, waiting


async def propose_selection(
    uow: UnitOfWork,
    clock: Clock,
    slug: str,
    *,
    seats: int | None = None,
    fixed_in: Iterable[str] = (),
    fixed_out: Iterable[str] = (),
    actor: Actor | None = None,
    directory: Directory | None = None,
) -> Selection:
    """Propose a selection; with an actor, only the network's secretariat may ask."""
    network, open_until, waiting = await waiting_applications(uow, clock, slug, actor, directory)
    fin, fout = _keys(fixed_in, waiting), _keys(fixed_out, waiting)
    eligible = len(waiting) - len(fout & {a.municipality_key for a in waiting})
    wanted = seats if seats is not None else min(network.seat_limit, eligible)
    problem = instance([candidate(a) for a in waiting], wanted, network.themes, fin, fout)
    proposal = await asyncio.to_thread(propose, problem)
    return Selection(network, open_until, waiting, proposal, fin, fout)
