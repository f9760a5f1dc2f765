"""`netpuls tab url [--network SLUG] --email E`: a signed loopback link that opens the tab."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from netpuls.settings import Settings


def add_parser(sub: Any) -> None:
    """Add `tab url` to the `netpuls` command's subcommands."""
    tab = sub.add_parser("tab", help="the network's tab").add_subparsers(title="tab commands")
    url = tab.add_parser("url", help="print a signed link to the tab, valid one hour")
    url.add_argument("--network", help="the network's short name (slug); else the personal tab")
    url.add_argument("--email", required=True, help="whose tab: a member's e-mail")
    url.set_defaults(run=run_url)


def run_url(args: argparse.Namespace, settings: Settings) -> int:
    """Print the link; the server must sign with the same NETPULS_SIGNING_KEY."""
    if not settings.signing_key:
        print(
            "netpuls: set NETPULS_SIGNING_KEY, the same for this command and the server",
            file=sys.stderr,
        )
        return 2
    from tab.signin import signed_tab_url

    network = (args.network or "").strip().lower() or None
    print(signed_tab_url(settings, network, args.email.strip(), datetime.now(UTC)))
    return 0
