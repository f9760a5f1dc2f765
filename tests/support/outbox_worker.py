"""An outbox worker process for the crash-recovery test: delivers until nothing is due.

python -m tests.support.outbox_worker DB_URL NOW CONCURRENCY
The clock stands at NOW (ISO 8601), so lease expiry is the test's choice, not the machine's.
Deliveries go to the service URL stored with each conversation (the test's fake connector),
which may hold its answers: the process then waits until it is killed.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

import aiohttp

from services import outbox
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.support.cadence_worker import FrozenClock, PostSender

LEASE = 120.0
BATCH = 200


async def main(url: str, now: str, concurrency: int) -> None:
    """Deliver in passes until no delivery is pending or claimed (bounded)."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    clock = FrozenClock(datetime.fromisoformat(now))
    try:
        async with aiohttp.ClientSession() as http:
            sender = PostSender(http, timeout=3600.0)  # a held answer is waited for, not retried
            for _ in range(100):
                done = await outbox.deliver_due(
                    lambda: SqlUnitOfWork(sessions),
                    clock,
                    sender,
                    max_attempts=50,
                    batch=BATCH,
                    concurrency=concurrency,
                    lease_seconds=LEASE,
                )
                print(f"pass: {done.sent} sent, {done.retried} retried", flush=True)
                async with SqlUnitOfWork(sessions) as uow:
                    left = await uow.outbox.listing(None, ("pending", "claimed"))
                if not left:
                    return
            raise SystemExit("deliveries still due after 100 passes")
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
