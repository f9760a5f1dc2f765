"""`netpuls selection propose`: the solver's proposal and how it compares with random draws."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from netpuls.settings import Settings

if TYPE_CHECKING:
    from services.selection import Coverage, Selection


def add_parser(sub: Any) -> None:
    """Add `selection propose` to the `netpuls` command's subcommands."""
    group = sub.add_parser("selection", help="selecting applicants").add_subparsers(
        title="selection commands"
    )
    propose = group.add_parser(
        "propose", help="propose a selection for thematic and geographic spread"
    )
    propose.add_argument("--network", required=True, help="the network's short name (slug)")
    propose.add_argument("--seats", type=int, help="seats to fill (default: the network's seats)")
    propose.add_argument("--fix-in", action="append", default=[], help="always include (key)")
    propose.add_argument("--fix-out", action="append", default=[], help="never include (key)")
    propose.set_defaults(run=run_propose)


def run_propose(args: argparse.Namespace, settings: Settings) -> int:
    """Print the proposal, its coverage, and the best and worst of 1,000 random draws."""
    from domain.errors import DomainError
    from netpuls.i18n import translator

    try:
        found = asyncio.run(_propose(settings, args))
    except DomainError as exc:
        print(f"netpuls: {translator('en')(exc.msgid, **exc.params)}", file=sys.stderr)
        return 1
    print(report(found))
    return 0


async def _propose(settings: Settings, args: argparse.Namespace) -> Selection:
    from services.selection import propose_selection
    from storage.engine import create_engine, session_factory
    from storage.uow import SqlUnitOfWork

    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    try:
        return await propose_selection(
            SqlUnitOfWork(sessions),
            _Clock(),
            args.network,
            seats=args.seats,
            fixed_in=args.fix_in,
            fixed_out=args.fix_out,
        )
    finally:
        await engine.dispose()


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _line(c: Coverage) -> str:
    return (
        f"themes {c.themes_covered}/{c.themes_total}, regions {c.regions_covered}/"
        f"{c.regions_total}, imbalance {c.theme_imbalance:g} (themes) "
        f"{c.region_imbalance:g} (regions), score {c.score:g}"
    )


def report(found: Selection) -> str:
    """The proposal as plain text: chosen, left out, coverage against the random draws."""
    p, themes = found.proposal, found.network.themes
    out = [f"{found.network.name}: {p.seats} seats, {len(found.applications)} applications"]
    if found.open_until is not None:
        out.append(f"note: the call is open until {found.open_until:%Y-%m-%d %H:%M}")
    out.append("themes: " + "; ".join(f"{i}. {th}" for i, th in enumerate(themes, 1)))
    for title, group in (("proposed", found.chosen()), ("not proposed", found.others())):
        out.append(f"{title} ({len(group)}):")
        for a in group:
            numbers = ",".join(str(i) for i, th in enumerate(themes, 1) if th in a.themes)
            fixed = a.municipality_key in found.fixed_in | found.fixed_out
            mark = " [fixed]" if fixed else ""
            out.append(
                f"  {a.municipality_key}\t{a.municipality_name}\t{a.region}\tthemes {numbers}{mark}"
            )
    out.append(f"proposal:    {_line(p.coverage)}")
    out.append(f"best of {p.draws} random draws:  {_line(p.best_draw)}")
    out.append(f"worst of {p.draws} random draws: {_line(p.worst_draw)}")
    return "\n".join(out)
