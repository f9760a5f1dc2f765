"""`netpuls privacy`: a person's export and erasure, a municipality leaving, retention by hand."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from netpuls.settings import Settings

CLI_ACTOR = "cli"
T = TypeVar("T")


def add_parser(sub: Any) -> None:
    """Add `privacy` and its commands to the `netpuls` command."""
    privacy = sub.add_parser("privacy", help="personal data: export, erase, retention")
    commands = privacy.add_subparsers(title="privacy commands")
    export = commands.add_parser("export", help="everything netpuls holds about a person, as JSON")
    export.add_argument("--email", required=True)
    export.add_argument("--out", type=Path, help="the file to write (default: standard output)")
    export.set_defaults(run=run_export)
    erase = commands.add_parser("erase", help="erase a person (contributions kept, anonymised)")
    erase.add_argument("--email", required=True)
    erase.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    erase.set_defaults(run=run_erase)
    leave = commands.add_parser(
        "erase-municipality", help="a municipality leaves a network: erase its people there"
    )
    leave.add_argument("--network", required=True, help="the network's short name (slug)")
    leave.add_argument("--municipality", required=True, help="the municipality's key")
    leave.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    leave.set_defaults(run=run_erase_municipality)
    retention = commands.add_parser("retention", help="delete what has been kept long enough")
    retention.add_argument("--dry-run", action="store_true", help="say what would be done only")
    retention.set_defaults(run=run_retention)


def _run(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run `work` with a unit-of-work factory on the configured database."""
    from storage.engine import create_engine, session_factory
    from storage.uow import SqlUnitOfWork

    async def go() -> T:
        engine = create_engine(settings.database_url)
        try:
            sessions = session_factory(engine)
            return await work(lambda: SqlUnitOfWork(sessions))
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _refused(exc: Any) -> int:
    from netpuls.i18n import translator

    print(f"netpuls: {translator('en')(exc.msgid, **exc.params)}", file=sys.stderr)
    return 1


def _unconfirmed(args: argparse.Namespace) -> bool:
    if not args.yes:
        print("netpuls: add --yes to confirm; erasure cannot be undone", file=sys.stderr)
    return not args.yes


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the person's export."""
    from domain.errors import DomainError
    from services import privacy
    from services.ports import SystemClock

    try:
        document = _run(
            settings,
            lambda uows: privacy.export(uows, SystemClock(), email=args.email, actor=CLI_ACTOR),
        )
    except DomainError as exc:
        return _refused(exc)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if args.out is None:
        print(text)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(document['tables'])} tables)")
    return 0


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())) or "nothing"


def run_erase(args: argparse.Namespace, settings: Settings) -> int:
    """Erase one person."""
    from domain.errors import DomainError
    from services import privacy
    from services.ports import SystemClock

    if _unconfirmed(args):
        return 2
    try:
        erasure = _run(
            settings,
            lambda uows: privacy.erase(uows, SystemClock(), email=args.email, actor=CLI_ACTOR),
        )
    except DomainError as exc:
        return _refused(exc)
    print(f"erased ({_counts(erasure.counts)})")
    return 0


def run_erase_municipality(args: argparse.Namespace, settings: Settings) -> int:
    """Erase a municipality's people in one network."""
    from domain.errors import DomainError
    from services import privacy
    from services.ports import SystemClock

    if _unconfirmed(args):
        return 2
    try:
        erasure = _run(
            settings,
            lambda uows: privacy.erase_municipality(
                uows,
                SystemClock(),
                slug=args.network,
                municipality=args.municipality,
                actor=CLI_ACTOR,
            ),
        )
    except DomainError as exc:
        return _refused(exc)
    print(f"erased {args.municipality} in {args.network} ({_counts(erasure.counts)})")
    return 0


def run_retention(args: argparse.Namespace, settings: Settings) -> int:
    """Run the retention now (the daily job does the same); reports go through the outbox."""
    from bot.features.privacy.messages import retention_message
    from services.ports import SystemClock
    from services.retention import run_retention as retain

    report = _run(
        settings,
        lambda uows: retain(
            uows,
            SystemClock(),
            months=settings.retention_months,
            diet_days=settings.diet_retention_days,
            wording=retention_message,
            dry_run=args.dry_run,
        ),
    )
    verb = "would change" if args.dry_run else "changed"
    for slug, counts in sorted(report.networks.items()):
        print(f"{slug}: {verb} {_counts(counts)}")
    if not report.networks:
        print("nothing to do")
    return 0
