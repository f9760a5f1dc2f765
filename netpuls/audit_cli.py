"""`netpuls audit --network SLUG [--limit N]`: the newest entries of a network's audit log."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from netpuls.settings import Settings

if TYPE_CHECKING:
    from domain.sparring import AuditEntry


def add_parser(sub: Any) -> None:
    """Add `audit` to the `netpuls` command's subcommands."""
    audit = sub.add_parser("audit", help="the newest entries of a network's audit log")
    audit.add_argument("--network", required=True, help="the network's short name (slug)")
    audit.add_argument("--limit", type=int, default=20, help="how many entries (default 20)")
    audit.set_defaults(run=run_audit)


def run_audit(args: argparse.Namespace, settings: Settings) -> int:
    """Print the entries newest first, one a line: when, network, who, action, detail."""
    if not 0 < args.limit <= 10_000:
        print("netpuls: --limit must be between 1 and 10000", file=sys.stderr)
        return 2
    found = asyncio.run(_entries(settings, args.network.strip().lower(), args.limit))
    if found is None:
        print(f"netpuls: there is no network called {args.network!r}", file=sys.stderr)
        return 1
    for e in found:
        print(f"{e.at.isoformat()}\t{e.network}\t{e.actor}\t{e.action}\t{e.subject}")
    return 0


async def _entries(settings: Settings, slug: str, limit: int) -> list[AuditEntry] | None:
    from storage.engine import create_engine, session_factory
    from storage.uow import SqlUnitOfWork

    engine = create_engine(settings.database_url)
    try:
        async with SqlUnitOfWork(session_factory(engine)) as uow:
            if await uow.networks.get(slug) is None:
                return None
            entries = await uow.audit.entries(slug)
            return list(reversed(entries[-limit:]))
    finally:
        await engine.dispose()
