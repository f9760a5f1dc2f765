"""The edge benchmark: netpuls against the stock botbuilder echo bot and a raw aiohttp echo.

    .venv/bin/python -m bench.edge [--duration 10] [--warmup 2] [--concurrency 20]

netpuls's turns per second as a multiple of the stock botbuilder echo bot's: a floor of 3x,
not a target (the goals users feel are bench.day's). Every server is a separate process on
127.0.0.1, replying through the same local connector sink; the load generator and a local
token issuer run in this process. With TEST_DATABASE_URL set, netpuls also runs on
PostgreSQL (a throw-away database beside that one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.load import Tally, run_load
from bench.report import Row, best_rounds, print_report
from bench.scenarios import HELP, SCENARIOS, Scenario
from bench.servers import PYTHON, Server, base_env, run_command
from tests.support.tls import LoopbackCertificate, loopback_certificate
from tests.support.token_issuer import TokenIssuer

APP_ID = "00000000-0000-0000-0000-00000000bench"


@dataclass
class Case:
    """One server under one scenario, with the headers its requests carry."""

    label: str
    kind: str
    server: Server
    scenario: Scenario
    database: str = ""
    auth: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@asynccontextmanager
async def _database(
    kind: str, folder: Path, number: int, scenario: Scenario, workers: int
) -> AsyncIterator[str]:
    """A fresh, migrated database with the demo network (and the scenario's): SQLite or PG."""
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / f'netpuls-{number}.db'}"
        drop = None
    else:
        import asyncpg  # type: ignore[import-untyped]
        from sqlalchemy.engine import make_url

        base = make_url(os.environ["TEST_DATABASE_URL"])
        name = f"netpuls_bench_{os.getpid()}_{number}"
        admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(admin)
        await connection.execute(f'CREATE DATABASE "{name}"')
        url = base.set(database=name).render_as_string(hide_password=False)
        drop = (connection, name)
    env = base_env(DATABASE_URL=url)
    await run_command([PYTHON, "-m", "netpuls", "db", "upgrade"], env)
    await run_command([PYTHON, "-m", "netpuls", "network", "import", "examples/demo.yaml"], env)
    if scenario.network is not None:
        seed = folder / f"{scenario.name}-network-{number}.yaml"
        seed.write_text(scenario.network(workers), encoding="utf-8")
        await run_command([PYTHON, "-m", "netpuls", "network", "import", str(seed)], env)
    try:
        yield url
    finally:
        if drop is not None:
            await drop[0].execute(f'DROP DATABASE IF EXISTS "{drop[1]}" WITH (FORCE)')
            await drop[0].close()


def _server(label: str, module: list[str], folder: Path, **env: str) -> Server:
    slug = label.replace(" ", "-").replace("/", "-")
    return Server(label, [PYTHON, "-m", *module], base_env(**env), folder / f"{slug}.log")


async def _sink_replies(http: aiohttp.ClientSession, sink: Server) -> int:
    async with http.get(f"{sink.url}/stats") as response:
        replies: int = (await response.json())["replies"]
        return replies


async def _measure(
    case: Case, http: aiohttp.ClientSession, sink: Server, args: argparse.Namespace
) -> Row:
    """Start the server, warm it up, measure one bounded phase, stop it."""
    server = case.server
    await server.start(http)
    try:

        async def load(seconds: float) -> Tally:
            return await run_load(
                http,
                f"{server.url}/api/messages",
                case.scenario.activity,
                f"{sink.url}/",
                expected_status=case.scenario.expected_status,
                concurrency=args.concurrency,
                seconds=seconds,
                headers=case.headers,
            )

        await load(args.warmup)
        replies_before = await _sink_replies(http, sink)
        cpu_before, sink_cpu_before = server.cpu_seconds(), sink.cpu_seconds()
        own_cpu_before = time.process_time()
        tally = await load(args.duration)
        cpu = server.cpu_seconds() - cpu_before
        sink_cpu = sink.cpu_seconds() - sink_cpu_before
        own_cpu = time.process_time() - own_cpu_before
        replies = await _sink_replies(http, sink) - replies_before
        return Row.of(
            case.label,
            case.kind,
            case.scenario.name,
            tally,
            server,
            cpu,
            replies,
            load_cpu=own_cpu,
            sink_cpu=sink_cpu,
        )
    finally:
        await server.stop()


def _references(folder: Path) -> list[Case]:
    return [
        Case("raw aiohttp echo", "raw", _server("raw", ["bench.raw_echo"], folder), HELP),
        Case(
            "stock botbuilder echo", "stock", _server("stock", ["bench.stock_echo"], folder), HELP
        ),
    ]


def _netpuls(
    scenario: Scenario,
    db: str,
    auth: bool,
    folder: Path,
    issuer: TokenIssuer,
    tls: LoopbackCertificate,
    sink: Server,
) -> Case:
    env: dict[str, str] = {}
    headers: dict[str, str] = {}
    if auth:
        env = {
            "MicrosoftAppId": APP_ID,
            "MicrosoftAppPassword": "bench-secret",
            "NETPULS_SIGNING_KEY": "bench-only-signing-key-of-32-bytes",
            "PUBLIC_BASE_URL": "https://netpuls.example.org",
            "BOT_OPENID_METADATA_URL": issuer.metadata_url,
            "BOT_LOGIN_AUTHORITY": issuer.base_url,
            # botbuilder and msal fetch keys and tokens with `requests`: trust the issuer's TLS.
            "REQUESTS_CA_BUNDLE": str(tls.cert_path),
        }
        token = issuer.sign(app_id=APP_ID, service_url=f"{sink.url}/", lifetime=3600)
        headers = {"Authorization": f"Bearer {token}"}
    label = f"netpuls {scenario.name} {db}{' +auth' if auth else ''}"
    server = _server(label, ["netpuls", "serve"], folder, **env)
    return Case(label, "netpuls", server, scenario, db, auth, headers)


def _plan(databases: list[str], args: argparse.Namespace) -> list[tuple[Scenario, str, bool]]:
    """(scenario, database, auth) for every netpuls case to run."""
    return [
        (SCENARIOS[name], db, auth)
        for name in args.scenario
        for db in databases
        for auth in (False, True)
    ]


async def _run(args: argparse.Namespace) -> list[Row]:
    folder = Path(tempfile.mkdtemp(prefix="netpuls-bench-"))
    issuer = TokenIssuer()
    tls = loopback_certificate(folder / "tls")
    issuer_runner = web.AppRunner(issuer.app(), access_log=None)
    await issuer_runner.setup()
    await web.TCPSite(issuer_runner, "127.0.0.1", 0, ssl_context=tls.server_context()).start()
    issuer.base_url = f"https://127.0.0.1:{issuer_runner.addresses[0][1]}"
    rows: list[Row] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        sink = _server("connector sink", ["bench.sink"], folder)
        await sink.start(http)
        try:
            databases = ["sqlite"] + (["postgres"] if os.environ.get("TEST_DATABASE_URL") else [])
            for _ in range(args.repeat):
                # Interleaved rounds: a burst of other work on the machine hits one round only.
                cases = [] if args.no_references else _references(folder)
                for case in cases:
                    rows.append(await _measure(case, http, sink, args))
                    print(rows[-1].line(), flush=True)
                for number, (scenario, db, auth) in enumerate(_plan(databases, args)):
                    async with _database(db, folder, number, scenario, args.concurrency) as url:
                        case = _netpuls(scenario, db, auth, folder, issuer, tls, sink)
                        case.server.env["DATABASE_URL"] = url
                        rows.append(await _measure(case, http, sink, args))
                        print(rows[-1].line(), flush=True)
        finally:
            await sink.stop()
            await issuer_runner.cleanup()
    print(f"logs and databases: {folder}")
    return rows


def main() -> None:
    """Run every case and print the table and the ratios to stock."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per case")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per case")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--scenario", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--no-references", action="store_true", help="skip stock and raw echo")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds; the report keeps each case's best round"
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    rows = best_rounds(asyncio.run(_run(args)))
    print_report(rows, args.concurrency, args.repeat)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2))


if __name__ == "__main__":
    main()
