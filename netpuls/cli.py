"""The `netpuls` command: serve, db upgrade, network import/list, manifest build."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from netpuls.settings import Settings, is_public_https

if TYPE_CHECKING:
    from domain.model import Network, NetworkFile
    from services.cadence_preview import TimelineRow
    from services.ports import ImportCounts

log = logging.getLogger("netpuls")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run one subcommand; the exit code says how it went."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:  # e.g. PORT=abc: say which setting, without a traceback
        print(f"netpuls: the configuration is not valid: {exc}", file=sys.stderr)
        return 2
    from netpuls.logs import redact  # lazy, like every import of this module

    # No names, e-mail addresses, free text or file names in the log (standard error).
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[redact(logging.StreamHandler())],
    )
    # APScheduler logs two INFO lines for every run of every job (the outbox runs every few
    # seconds); what our jobs do is logged by the jobs themselves.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    result: int = args.run(args, settings)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="netpuls", description=__doc__)
    sub = parser.add_subparsers(title="commands")
    serve = sub.add_parser("serve", help="run the bot's web server")
    serve.add_argument("--host", help="override HOST")
    serve.add_argument("--port", type=int, help="override PORT")
    serve.set_defaults(run=_serve)
    db = sub.add_parser("db", help="database maintenance").add_subparsers(title="db commands")
    db.add_parser("upgrade", help="apply the migrations").set_defaults(run=_db_upgrade)
    network = sub.add_parser("network", help="network files").add_subparsers(
        title="network commands"
    )
    imp = network.add_parser("import", help="import or update a network file")
    imp.add_argument("file", type=Path)
    imp.set_defaults(run=_network_import)
    network.add_parser("list", help="list the networks").set_defaults(run=_network_list)
    cad = sub.add_parser("cadence", help="the cadence").add_subparsers(title="cadence commands")
    preview = cad.add_parser("preview", help="every step the scheduler will run")
    preview.add_argument("--network", help="one network (default: all)")
    preview.add_argument("--from", dest="start", type=date.fromisoformat, help="YYYY-MM-DD")
    preview.add_argument("--to", dest="end", type=date.fromisoformat, help="YYYY-MM-DD")
    preview.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    preview.set_defaults(run=_cadence_preview)
    manifest = sub.add_parser("manifest", help="the Teams app package").add_subparsers(
        title="manifest commands"
    )
    build = manifest.add_parser("build", help="build and validate the app package zip")
    build.add_argument("--out", type=Path, default=Path("build/netpuls-app.zip"))
    build.set_defaults(run=_manifest_build)
    cards = sub.add_parser("cards", help="Adaptive Cards").add_subparsers(title="cards commands")
    render = cards.add_parser("render", help="write every card, with example data, as JSON")
    render.add_argument("--out", type=Path, default=Path("build/cards"))
    render.set_defaults(run=_cards_render)
    from netpuls import selection_cli  # its own module: imports stay lazy

    selection_cli.add_parser(sub)
    from netpuls import report_cli

    report_cli.add_parser(sub)
    from netpuls import privacy_cli

    privacy_cli.add_parser(sub)
    from netpuls import audit_cli

    audit_cli.add_parser(sub)
    from netpuls import tab_cli

    tab_cli.add_parser(sub)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from netpuls.app import InsecureConfiguration, create_app

    if args.host:
        settings = settings.model_copy(update={"host": args.host})
    if args.port:
        settings = settings.model_copy(update={"port": args.port})
    try:
        app = create_app(settings)
    except InsecureConfiguration as exc:
        print(f"netpuls: {exc}", file=sys.stderr)
        return 2
    # Everything imported so far lives as long as the process: keep it out of the garbage
    # collector's full passes, which otherwise walk it all and stall the turns in flight.
    gc.collect()
    gc.freeze()
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=lambda m: log.info("%s", m),
        access_log=None,
    )
    return 0


def _db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    from storage.migrate import upgrade_sync

    upgrade_sync(settings.database_url)
    print("database is up to date")
    return 0


def _network_import(args: argparse.Namespace, settings: Settings) -> int:
    from services.network_file import NetworkFileError, load_network_file

    today = datetime.now(UTC).date()
    try:
        declared = load_network_file(args.file, today=today)
    except NetworkFileError as exc:
        print(f"netpuls: {exc}", file=sys.stderr)
        return 1
    counts = asyncio.run(_import(settings, declared))
    for warning in declared.warnings:
        print(f"netpuls: warning: {warning}", file=sys.stderr)
    print(
        f"imported {declared.network.slug}: {counts.created} created, "
        f"{counts.updated} updated, {counts.cancelled_meetings} meetings cancelled"
    )
    return 0


async def _import(settings: Settings, declared: NetworkFile) -> ImportCounts:
    from services.networks import import_network
    from storage.engine import create_engine, session_factory
    from storage.uow import SqlUnitOfWork

    engine = create_engine(settings.database_url)
    try:
        return await import_network(SqlUnitOfWork(session_factory(engine)), declared)
    finally:
        await engine.dispose()


def _network_list(_args: argparse.Namespace, settings: Settings) -> int:
    for network in asyncio.run(_list(settings)):
        print(
            f"{network.slug}\t{network.name}\t{network.language}\t"
            f"{network.starts_on}..{network.ends_on}"
        )
    return 0


async def _list(settings: Settings) -> list[Network]:
    from storage.engine import create_engine, session_factory
    from storage.uow import SqlUnitOfWork

    engine = create_engine(settings.database_url)
    try:
        async with SqlUnitOfWork(session_factory(engine)) as uow:
            return list(await uow.networks.all())
    finally:
        await engine.dispose()


def _localized(aliases: tuple[str, ...], help_msgid: str) -> tuple[tuple[str, str, str], ...]:
    """Danish and Swedish menu entries: the command's own alias (first Danish, then Swedish)."""
    from netpuls.i18n import translator

    words = [a for a in aliases if a.isalpha()]
    if not words:
        return ()
    danish, swedish = words[0], (words[1] if len(words) > 1 else words[0])
    return (
        ("da", danish, translator("da")(help_msgid)),
        ("sv", swedish, translator("sv")(help_msgid)),
    )


def _manifest_build(args: argparse.Namespace, settings: Settings) -> int:
    from bot.features import default_registry, menu_scopes
    from netpuls.i18n import translator
    from netpuls.manifest import (
        CommandInfo,
        ManifestError,
        Publisher,
        ValidatorUnavailableError,
        build_manifest,
    )

    needed = {
        "MicrosoftAppId": settings.app_id,
        "NETPULS_DEVELOPER_NAME": settings.developer_name,
        "NETPULS_WEBSITE_URL": settings.website_url,
        "NETPULS_PRIVACY_URL": settings.privacy_page(),
        "NETPULS_TERMS_URL": settings.terms_url,
    }
    missing = [name for name, value in needed.items() if not value.strip()]
    if missing:  # the package is the bot's and names its publisher: nothing made up
        print(f"netpuls: the app package needs {', '.join(missing)}", file=sys.stderr)
        return 2
    publisher = Publisher(
        settings.developer_name, settings.website_url, settings.privacy_page(), settings.terms_url
    )
    commands = [
        CommandInfo(
            c.name,
            c.name,
            translator("en")(c.help),
            menu_scopes(c.name),
            localized=_localized(c.aliases, c.help),
        )
        for c in default_registry()
        if menu_scopes(c.name)
    ]
    try:
        # The tabs need the bot's public https address; a package without one has the bot only.
        tabs = settings.public_base_url if is_public_https(settings.public_base_url) else ""
        path = build_manifest(
            settings.app_id,
            commands,
            args.out,
            publisher=publisher,
            sso=(settings.tab_client_id(), settings.tab_sso_resource()),
            tab_base_url=tabs,
        )
    except (ManifestError, ValidatorUnavailableError, ValueError) as exc:
        print(f"netpuls: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


def _cards_render(args: argparse.Namespace, _settings: Settings) -> int:
    from cards.render import render_all

    written = render_all(args.out)
    print(f"wrote {len(written)} cards to {args.out}")
    return 0


def _cadence_preview(args: argparse.Namespace, settings: Settings) -> int:
    """Print the plan as the database holds it (synced first), network by network."""
    import json

    rows = asyncio.run(_preview(settings, args.network, args.start, args.end))
    for network, step in rows:
        local = step.due.astimezone(network.zone)
        if args.json:
            print(
                json.dumps(
                    {
                        "network": network.slug,
                        "key": step.key,
                        "kind": step.kind,
                        "meeting": step.meeting,
                        "due": local.isoformat(),
                        "status": step.status,
                        "theme": step.theme,
                        "reason": step.reason,
                        "is_meeting": step.is_meeting,
                    }
                )
            )
        else:
            what = f"meeting {step.meeting}" if step.meeting is not None else step.theme[:60]
            print(
                f"{local:%Y-%m-%d %a %H:%M %Z}  {network.slug:<24} {step.kind:<15} "
                f"{step.status:<9} {what}"
            )
    return 0


async def _preview(
    settings: Settings, slug: str | None, start: date | None, end: date | None
) -> list[tuple[Network, TimelineRow]]:
    from services.cadence import sync_all
    from services.cadence_preview import timeline
    from storage.engine import create_engine, session_factory
    from storage.uow import SqlUnitOfWork

    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    try:
        await sync_all(lambda: SqlUnitOfWork(sessions))
        async with SqlUnitOfWork(sessions) as uow:
            slugs = [slug] if slug else [n.slug for n in await uow.networks.all()]
        low = datetime.combine(start or date(1970, 1, 1), time(), UTC)
        high = datetime.combine(end or date(2999, 1, 1), time(), UTC)
        out: list[tuple[Network, TimelineRow]] = []
        now = datetime.now(UTC)
        for one in slugs:
            network, steps = await timeline(SqlUnitOfWork(sessions), one, low, high, now)
            out += [(network, s) for s in steps]
        return out
    finally:
        await engine.dispose()
