"""`netpuls tab url --network SLUG --email E [--personal]`: a signed loopback link that opens
the tab as that reader, valid one hour (for local use beside the Agents Playground)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import Any

from netpuls.settings import Settings


def add_parser(sub: Any) -> None:
    """Add `tab` to the `netpuls` command's subcommands."""
    tab = sub.add_parser("tab", help="the network's tab").add_subparsers(title="tab commands")
    url = tab.add_parser("url", help="a signed loopback link to the tab, valid one hour")
    url.add_argument("--network", help="the network's short name (slug); else the personal tab")
    url.add_argument("--email", required=True, help="the reader: a member or organiser")
    url.add_argument(
        "--personal", action="store_true", help="open the personal tab (the reader's networks)"
    )
    url.set_defaults(run=run_url)


def run_url(args: argparse.Namespace, settings: Settings) -> int:
    """Print the link, or refuse an unknown network or an e-mail that is not a member's."""
    from tab.signin import signed_tab_url

    if not settings.signing_key:
        # A random key of this process would sign a link no server could check.
        print(
            "netpuls: tab url needs NETPULS_SIGNING_KEY, the same as the server's",
            file=sys.stderr,
        )
        return 2
    slug = args.network.strip().lower() if args.network else None
    email = args.email.strip().lower()
    problem = asyncio.run(_refusal(settings, slug, email))
    if problem:
        print(f"netpuls: {problem}", file=sys.stderr)
        return 1
    shown = None if args.personal else slug
    print(signed_tab_url(settings, shown, email, datetime.now(UTC)))
    return 0


async def _refusal(settings: Settings, slug: str | None, email: str) -> str | None:
    """Why no link is made for this reader (the bot's membership rules), or None."""
    from services.tab_readers import member_by_email
    from storage.engine import create_engine, session_factory
    from storage.uow import SqlUnitOfWork

    engine = create_engine(settings.database_url)
    try:
        sessions = session_factory(engine)
        if slug is not None:
            async with SqlUnitOfWork(sessions) as uow:
                if await uow.networks.get(slug) is None:
                    return f"there is no network called {slug!r}"
        if await member_by_email(SqlUnitOfWork(sessions), email, slug) is None:
            where = f"network {slug!r}" if slug else "any network"
            return f"{email!r} is not a member or organiser of {where}"
        return None
    finally:
        await engine.dispose()
