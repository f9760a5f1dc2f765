"""The `netpuls` command: serve, db upgrade, network import/list, manifest build."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from netpuls.settings import Settings

if TYPE_CHECKING:
    from domain.model import Network, NetworkFile
    from services.ports import ImportCounts

log = logging.getLogger("netpuls")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run one subcommand; the exit code says how it went."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
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
    manifest = sub.add_parser("manifest", help="the Teams app package").add_subparsers(
        title="manifest commands"
    )
    build = manifest.add_parser("build", help="build and validate the app package zip")
    build.add_argument("--out", type=Path, default=Path("build/netpuls-app.zip"))
    build.add_argument(
        "--schemas",
        type=Path,
        default=Path("node_modules/@microsoft/app-manifest/build/json-schemas/teams"),
    )
    build.set_defaults(run=_manifest_build)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from bot.app import InsecureConfiguration, create_app

    if args.host:
        settings = settings.model_copy(update={"host": args.host})
    if args.port:
        settings = settings.model_copy(update={"port": args.port})
    try:
        app = create_app(settings)
    except InsecureConfiguration as exc:
        print(f"netpuls: {exc}", file=sys.stderr)
        return 2
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


def _manifest_build(args: argparse.Namespace, settings: Settings) -> int:
    from bot.features import default_registry
    from netpuls.manifest import CommandInfo, ManifestError, build_manifest

    commands = [CommandInfo(c.name, c.name, c.help) for c in default_registry()]
    try:
        path = build_manifest(settings.app_id, commands, args.out, args.schemas)
    except (ManifestError, ValueError) as exc:
        print(f"netpuls: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0
