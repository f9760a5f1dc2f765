"""The proactive fan-out benchmark: 1,000 recipients, Teams' limits enforced, failures injected.

    .venv/bin/python -m bench.fanout [--recipients 1000] [--rate 30] [--p429 0.05]
        [--p5xx 0.02] [--worker outbox|loop] [--database URL] [--seed 1] [--time-limit 110]
        [--json]

The fake Bot Connector runs as its own process on 127.0.0.1 (bench.fanout_connector): it
enforces the per-conversation windows and the tenant rate, injects 429s (half of them with
Retry-After) and 5xx from a seeded RNG, and counts what each conversation received. This
process starts the real app's resources (create_app: the kept Connector connections,
CloudAdapter; no listening socket) and sends through the real BotNotifier and TeamsSender,
driven by the outbox worker (services.outbox.deliver_due; on a fresh SQLite file unless
--database names a throw-away database) or, with `--worker loop`, by a minimal in-memory
retry loop. Not a test: it prints what it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import heapq
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.fanout_report import numbers, report
from bench.servers import ROOT, free_port
from bot.teams.delivery import build_sender
from bot.teams.endpoint import ADAPTER
from bot.teams.notifier import BotNotifier
from domain.model import ConversationKind, ConversationRef
from netpuls.app import create_app
from netpuls.settings import Settings
from services.outbox import deliver_due
from services.ports import (
    DeliveryResult,
    DeliveryStatus,
    Handover,
    NewDelivery,
    Outbound,
    Sender,
    SystemClock,
)
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

TENANT = "00000000-0000-0000-0000-0000000bench"
MESSAGE = Outbound(text="**Påmindelse**: svar på invitationen til netværksmødet inden fredag.")
LOOP_CONCURRENCY = 50  # the plain loop's deliveries in flight; most wait for the bucket


@dataclass
class Counting:
    """The sender under test, with a tally of what each call came to."""

    sender: Sender
    outcomes: Counter[str] = field(default_factory=Counter)
    first: float = 0.0
    last: float = 0.0
    seen: set[str] = field(default_factory=set)
    last_fresh: float = 0.0  # when the last first attempt ended
    calls_by_last_fresh: int = 0
    finished: int = 0  # recipients done (sent, or given up on)

    async def deliver(
        self,
        ref: ConversationRef,
        message: Outbound,
        *,
        attempt: int = 1,
        handover: Handover | None = None,
    ) -> DeliveryResult:
        """Deliver and count."""
        self.first = self.first or time.perf_counter()
        fresh = ref.conversation_id not in self.seen
        self.seen.add(ref.conversation_id)
        result = await self.sender.deliver(ref, message, attempt=attempt, handover=handover)
        self.outcomes[str(result.status) if result.attempted else "deferred"] += 1
        self.last = time.perf_counter()
        if fresh:
            self.last_fresh = self.last
            self.calls_by_last_fresh = self.outcomes.total()
        return result


def _refs(url: str, run: str, count: int) -> list[ConversationRef]:
    return [
        ConversationRef(
            conversation_id=f"a:fanout-{run}-{n:05d}",
            kind=ConversationKind.PERSONAL,
            service_url=url,
            channel_id="msteams",
            tenant_id=TENANT,
            bot_id="28:netpuls",
            user_id=f"29:member-{n:05d}",
        )
        for n in range(count)
    ]


async def _by_outbox(
    database: str,
    sender: Counting,
    refs: list[ConversationRef],
    attempts: int,
    deadline: float,
    args: argparse.Namespace,
) -> int:
    """Enqueue every message, then run deliver_due pass after pass until all are finished."""
    engine = create_engine(database)
    sessions = session_factory(engine)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    clock = SystemClock()
    async with uow() as work:
        for ref in refs:
            await work.conversations.save(ref)
        items = [NewDelivery(f"fanout:{r.conversation_id}", r, MESSAGE) for r in refs]
        await work.outbox.enqueue(items, clock.now())
        await work.commit()
    finished = 0
    batch, concurrency = args.batch, args.concurrency

    async def worker() -> None:
        nonlocal finished
        while finished < len(refs) and time.perf_counter() < deadline:
            done = await deliver_due(
                uow, clock, sender, max_attempts=attempts, batch=batch, concurrency=concurrency
            )
            finished += done.sent + done.failed
            if not (done.sent or done.retried or done.failed):
                await asyncio.sleep(0.01)  # nothing due yet: retries are waiting out a delay

    try:
        # --workers > 1: passes overlap, as they would with replicas sharing the database.
        await asyncio.gather(*(worker() for _ in range(args.workers)))
    finally:
        await engine.dispose()
    return finished


async def _by_loop(
    sender: Counting, refs: list[ConversationRef], attempts: int, deadline: float
) -> int:
    """Deliver with a heap of due times: the least a worker can do, for comparison."""
    due: list[tuple[float, int, int]] = [(0.0, n, 1) for n in range(len(refs))]
    finished = 0

    async def work() -> None:
        nonlocal finished
        while finished < len(refs) and time.perf_counter() < deadline:
            now = time.perf_counter()
            if not due or due[0][0] > now:
                await asyncio.sleep(0.005)
                continue
            _, n, attempt = heapq.heappop(due)
            result = await sender.deliver(refs[n], MESSAGE, attempt=attempt)
            retry = result.status is DeliveryStatus.RETRY
            if retry and (attempt < attempts or not result.attempted):
                later = time.perf_counter() + (result.retry_after or 0.0)
                heapq.heappush(due, (later, n, attempt + int(result.attempted)))
            else:
                finished += 1

    await asyncio.gather(*(work() for _ in range(LOOP_CONCURRENCY)))
    return finished


async def _connector(args: argparse.Namespace, http: aiohttp.ClientSession) -> tuple[Any, str]:
    port = free_port()
    argv = [sys.executable, "-m", "bench.fanout_connector", "--port", str(port)]
    argv += ["--rate", str(args.rate), "--p429", str(args.p429), "--p5xx", str(args.p5xx)]
    argv += ["--seed", str(args.seed)]
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


async def _stop(process: Any) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=5)
        except TimeoutError:
            process.kill()
            await process.wait()


async def _fan_out(args: argparse.Namespace, url: str, run: str, database: str) -> Counting:
    """Start the app's resources, send to every recipient, stop; the tally of the sender."""
    await upgrade(database)
    settings = Settings(
        app_id="",
        host="127.0.0.1",
        database_url=database,
        delivery_tenant_rate=args.rate,
        scheduler_enabled=False,  # this benchmark is the only worker
    )
    runner = web.AppRunner(create_app(settings))
    await runner.setup()  # the app's resources, as `netpuls serve` builds them
    try:
        notifier = BotNotifier(runner.app[ADAPTER], settings.app_id)
        sender = Counting(build_sender(notifier, settings))
        refs = _refs(url, run, args.recipients)
        deadline = time.perf_counter() + args.time_limit
        attempts = settings.delivery_max_attempts
        if args.worker == "outbox":
            sender.finished = await _by_outbox(database, sender, refs, attempts, deadline, args)
        else:
            sender.finished = await _by_loop(sender, refs, attempts, deadline)
    finally:
        await runner.cleanup()
    return sender


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Run one fan-out and return its numbers."""
    run = f"{int(time.time())}"  # a database reused across runs keeps earlier runs apart
    async with aiohttp.ClientSession() as http:
        process, url = await _connector(args, http)
        try:
            with tempfile.TemporaryDirectory(prefix="netpuls-fanout-") as folder:
                database = args.database or f"sqlite+aiosqlite:///{Path(folder) / 'fanout.db'}"
                sender = await _fan_out(args, url, run, database)
            async with http.get(f"{url}/stats") as response:
                stats = await response.json()
        finally:
            await _stop(process)
    return numbers(args, sender, stats, run)


def main() -> None:
    """Parse the options, run, print; exit 1 when anything was lost or duplicated."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=30.0, help="tenant limit, requests/s")
    parser.add_argument("--p429", type=float, default=0.05)
    parser.add_argument("--p5xx", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", choices=("outbox", "loop"), default="outbox")
    parser.add_argument("--database", default="", help="a throw-away database URL")
    parser.add_argument("--workers", type=int, default=1, help="outbox worker loops")
    parser.add_argument("--batch", type=int, default=50, help="deliveries claimed per pass")
    parser.add_argument("--concurrency", type=int, default=20, help="in flight per pass")
    parser.add_argument("--time-limit", type=float, default=110.0, help="seconds, then stop")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    measured = asyncio.run(measure(args))
    print(json.dumps(measured, indent=2) if args.json else report(measured))
    if measured["lost"] or measured["duplicated"] or measured["finished"] < args.recipients:
        sys.exit(1)


if __name__ == "__main__":
    main()
