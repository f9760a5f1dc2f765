"""A realistic day: every network's D-21 agenda through the outbox, then the clicks.

    .venv/bin/python -m bench.day [--quick] [--database URL] [--replicas N] [--seed 1]

200 networks of 25 municipalities (3 people each), one tenant. The networks' meeting is
three weeks away, so their D-21 agenda (due at 09:00 local) is due when the replicas start:
each replica's scheduler (scheduler.runner) puts the agendas in the outbox and delivers them
(services.outbox.deliver_due, bot.delivery.TeamsSender, bot.notifier.BotNotifier) to a fake
Bot Connector process on 127.0.0.1 that enforces Teams' per-conversation windows and the
tenant limit and injects 429s and 5xx. Then 30 % of the members click RSVP on the agenda
card and some write `help` or `next`, at Poisson arrival times over ten minutes (`--quick`:
50 networks, one minute), as HTTP requests to the replicas' /api/messages.

SQLite (default, a fresh file) runs one replica; `--database postgresql+asyncpg://...` makes
a throw-away database on that server, runs two replicas sharing it, and drops it after.
The replicas run anonymously on loopback: no token or Graph traffic anywhere. Not a test:
the last line is `RESULT p99_ms=<n> fanout_pct=<n> lost=<n> duplicated=<n>`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench import day_traffic, day_world
from bench.day_report import exactly_once, fan_out, lines
from bench.servers import PYTHON, ROOT, Server, base_env, free_port
from storage.cadence import DeliveryRow
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

UNREACHABLE = "http://127.0.0.1:9"  # token, OpenID and Graph URLs: loopback, never Microsoft
POLL_SECONDS = 0.5


@contextlib.asynccontextmanager
async def _database(args: argparse.Namespace, folder: Path) -> AsyncIterator[str]:
    """A fresh database: a SQLite file, or a throw-away PostgreSQL database dropped after."""
    if not args.database or args.database.startswith("sqlite"):
        yield args.database or f"sqlite+aiosqlite:///{folder / 'day.db'}"
        return
    import asyncpg  # type: ignore[import-untyped]  # only the PostgreSQL run needs it

    base = make_url(args.database)
    name = f"netpuls_day_{int(time.time())}"
    admin = await asyncpg.connect(base.set(drivername="postgresql").render_as_string(False))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _connector(args: argparse.Namespace, http: aiohttp.ClientSession) -> tuple[Any, str]:
    port = free_port()
    argv = [PYTHON, "-m", "bench.fanout_connector", "--port", str(port), "--rate", str(args.rate)]
    argv += ["--p429", str(args.p429), "--p5xx", str(args.p5xx), "--seed", str(args.seed)]
    argv += ["--roster-networks", str(args.networks)]
    process = await asyncio.create_subprocess_exec(*argv, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        with contextlib.suppress(aiohttp.ClientError):
            async with http.get(f"{url}/healthz") as response:
                if response.status == 200:
                    return process, url
        await asyncio.sleep(0.05)
    process.kill()
    raise RuntimeError("the fake Connector did not start within 30 s")


def _replica(number: int, database: str, args: argparse.Namespace, folder: Path) -> Server:
    env = base_env(
        DATABASE_URL=database,
        DELIVERY_TENANT_RATE=str(args.rate),
        BOT_OPENID_METADATA_URL=f"{UNREACHABLE}/openid",
        BOT_TOKEN_ENDPOINT=f"{UNREACHABLE}/token",
        GRAPH_BASE_URL=f"{UNREACHABLE}/graph",
        GRAPH_AUTHORITY=UNREACHABLE,
    )
    env["LOG_LEVEL"] = args.log_level
    name = f"replica {number + 1}"
    return Server(name, [PYTHON, "-m", "netpuls", "serve"], env, folder / f"replica-{number}.log")


async def _settled(
    sessions: async_sessionmaker[AsyncSession], expected: int, deadline: float
) -> list[tuple[str, str, str]]:
    """Wait until the outbox holds `expected` deliveries and none is waiting or in flight."""
    while True:
        async with sessions() as session:
            rows = [
                (str(c), str(s), str(a or ""))
                for c, s, a in await session.execute(
                    select(DeliveryRow.conversation_id, DeliveryRow.status, DeliveryRow.activity_id)
                )
            ]
        busy = [r for r in rows if r[1] in ("pending", "claimed", "sending")]
        if (len(rows) >= expected and not busy) or time.perf_counter() > deadline:
            return rows
        await asyncio.sleep(POLL_SECONDS)


@dataclass
class Measured:
    """What the phases of the day left to count."""

    outbox: list[tuple[str, str, str]]  # (conversation, status, activity id) per delivery
    stats: dict[str, Any]  # the fake Connector's
    tally: day_traffic.Tally
    fan_out_seconds: float
    traffic_seconds: float
    processes: list[dict[str, Any]]


async def _phases(
    args: argparse.Namespace,
    http: aiohttp.ClientSession,
    sessions: async_sessionmaker[AsyncSession],
    service_url: str,
    replicas: list[Server],
    deadline: float,
) -> Measured:
    """Start the replicas (the agendas go out), then the clicks; collect what happened."""
    began = time.perf_counter()
    await asyncio.gather(*(r.start(http) for r in replicas))
    outbox = await _settled(sessions, args.networks, deadline)
    fan_out_seconds = time.perf_counter() - began
    cards = {c: a for c, s, a in outbox if s == "sent"}
    people = day_world.members(args.networks)
    shares = (args.click_share, args.message_share)
    events = day_traffic.plan(people, *shares, args.minutes * 60, args.seed)
    began = time.perf_counter()
    urls = [r.url for r in replicas]
    tally = await day_traffic.run(http, urls, events, f"{service_url}/", cards, deadline)
    traffic_seconds = time.perf_counter() - began
    outbox = await _settled(sessions, args.networks, min(deadline, time.perf_counter() + 60))
    async with http.get(f"{service_url}/stats") as response:
        stats = await response.json()
    processes = [
        {"name": r.name, "healthz_s": r.startup_seconds, "peak_rss_mb": r.peak_rss_mb()}
        for r in replicas
    ]
    return Measured(outbox, stats, tally, fan_out_seconds, traffic_seconds, processes)


async def _day(args: argparse.Namespace, folder: Path, deadline: float) -> list[str]:
    async with _database(args, folder) as database, aiohttp.ClientSession() as http:
        await upgrade(database)
        engine = create_engine(database)
        sessions = session_factory(engine)
        replicas = [_replica(n, database, args, folder) for n in range(args.replicas)]
        connector, service_url = await _connector(args, http)
        try:
            began = time.perf_counter()
            now = dt.datetime.now(dt.UTC)
            await day_world.build(
                lambda: SqlUnitOfWork(sessions), args.networks, f"{service_url}/", now
            )
            print(f"world built in {time.perf_counter() - began:.0f} s", flush=True)
            measured = await _phases(args, http, sessions, service_url, replicas, deadline)
        finally:
            for replica in replicas:
                await replica.stop()
            connector.terminate()
            await connector.wait()
            await engine.dispose()
    return lines(_numbers(args, database, measured), measured.tally)


def _numbers(args: argparse.Namespace, database: str, measured: Measured) -> dict[str, Any]:
    posts, outbox = measured.stats["posts"], measured.outbox
    statuses = Counter(s for _, s, _ in outbox)
    return {
        "networks": args.networks,
        "people_per_network": day_world.MUNICIPALITIES * day_world.PEOPLE_PER_MUNICIPALITY,
        "database": make_url(database).get_backend_name(),
        "replicas": args.replicas,
        "rate": args.rate,
        "p429": args.p429,
        "p5xx": args.p5xx,
        "deliveries": len(outbox),
        "outbox": ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())),
        "fan_out_seconds": measured.fan_out_seconds,
        "fan_out": fan_out(posts, args.networks, args.rate),
        "injected": measured.stats["injected"],
        "throttled": measured.stats["throttled"],
        "traffic_seconds": measured.traffic_seconds,
        "processes": measured.processes,
        **exactly_once(posts, [(c, s) for c, s, _ in outbox]),
    }


def main() -> None:
    """Parse the options, run the day within its time limit, print the report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="50 networks, one minute of clicks")
    parser.add_argument("--networks", type=int, help="networks (200; --quick 50)")
    parser.add_argument("--minutes", type=float, help="minutes of clicks (10; --quick 1)")
    parser.add_argument("--database", default="", help="a database server URL (default SQLite)")
    parser.add_argument("--replicas", type=int, help="processes (SQLite 1, PostgreSQL 2)")
    parser.add_argument("--rate", type=float, default=30.0, help="tenant limit, requests/s")
    parser.add_argument("--p429", type=float, default=0.05)
    parser.add_argument("--p5xx", type=float, default=0.02)
    parser.add_argument("--click-share", type=float, default=0.30)
    parser.add_argument("--message-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-level", default="WARNING", help="the replicas' (INFO: each send)")
    parser.add_argument("--time-limit", type=float, help="seconds, then stop (1500; --quick 400)")
    args = parser.parse_args()
    args.networks = args.networks or (50 if args.quick else 200)
    args.minutes = args.minutes or (1.0 if args.quick else 10.0)
    args.time_limit = args.time_limit or (400.0 if args.quick else 1500.0)
    postgres = args.database.startswith("postgresql")
    args.replicas = args.replicas or (2 if postgres else 1)
    deadline = time.perf_counter() + args.time_limit
    folder = Path(tempfile.mkdtemp(prefix="netpuls-day-"))  # kept: the replicas' logs
    report = asyncio.run(asyncio.wait_for(_day(args, folder, deadline), args.time_limit + 60))
    print(f"logs and the SQLite database: {folder}")
    print("\n".join(report))
    sys.exit(0)


if __name__ == "__main__":
    main()
