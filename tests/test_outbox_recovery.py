"""A worker killed with SIGKILL mid fan-out: what never left is delivered, nothing twice."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from domain.model import ConversationKind, ConversationRef
from services.ports import NewDelivery, Outbound
from tests.support.fake_connector import FakeConnector
from tests.support.outbox_worker import LEASE

ROOT = Path(__file__).resolve().parents[1]
CONVERSATIONS = 100
PER_CONVERSATION = 10  # 1,000 messages
CONCURRENCY = 10  # requests the worker has in flight at most
ANSWERED = 430  # the Connector answers this many, then holds its answers: mid-fan-out
START = datetime(2030, 3, 1, 9, tzinfo=UTC)


class Worker:
    """One outbox worker process; what it printed goes to a file, shown when it fails."""

    def __init__(self, database: str, now: datetime, log: Path) -> None:
        self._log_path = log
        self._log: IO[bytes] = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.outbox_worker",
                database,
                now.isoformat(),
                str(CONCURRENCY),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        """What the process printed so far (the end of it), for a failure message."""
        self._log.flush()
        text = self._log_path.read_text(errors="replace")
        return f"exit code {self.process.poll()}; output:\n{text[-4000:]}"

    async def until(self, condition: Any, what: str, limit: float = 600) -> None:
        """Poll until `condition()` holds; a process that exits first, or the limit, fails."""
        for _ in range(int(limit * 10)):
            if condition():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited before {what}; {self.output()}")
            await asyncio.sleep(0.1)
        self.process.kill()
        raise AssertionError(f"the worker did not reach {what} in time; {self.output()}")

    async def finished(self, limit: float = 600) -> None:
        """Wait for the process to exit by itself, successfully."""
        for _ in range(int(limit * 10)):
            if self.process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        else:
            self.process.kill()
            raise AssertionError(f"the worker did not finish in time; {self.output()}")
        assert self.process.returncode == 0, self.output()

    def kill(self) -> None:
        """kill -9, as a crashed host or an OOM kill would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log.close()


async def enqueue_fan_out(uow_factory: Any, service_url: str) -> set[str]:
    keys = set()
    async with uow_factory() as uow:
        items = []
        for c in range(CONVERSATIONS):
            ref = ConversationRef(
                conversation_id=f"19:recovery-{c:03d}@thread.tacv2",
                kind=ConversationKind.CHANNEL,
                service_url=service_url,
                channel_id="msteams",
            )
            await uow.conversations.save(ref)
            for m in range(PER_CONVERSATION):
                key = f"message-{m}|{ref.conversation_id}"
                keys.add(key)
                items.append(NewDelivery(key=key, ref=ref, message=Outbound(text=key)))
        assert await uow.outbox.enqueue(items, START) == len(items)
        await uow.commit()
    return keys


async def test_a_worker_killed_mid_fan_out_leaves_only_its_requests_in_flight_unconfirmed(
    uow_factory: Any, database_url: str, connector: tuple[FakeConnector, str], tmp_path: Path
) -> None:
    fake, url = connector
    expected = await enqueue_fan_out(uow_factory, url)
    fake.answer_only = ANSWERED
    victim = Worker(database_url, START, tmp_path / "victim.log")
    try:
        # Every slot of the worker is taken by a request whose answer is held: it is stuck
        # mid-fan-out with exactly CONCURRENCY requests in flight, and more claimed behind them.
        await victim.until(lambda: len(fake.sent) >= ANSWERED + CONCURRENCY, "a stuck fan-out")
    finally:
        victim.kill()
        fake.answer_held()
    in_flight = {s.activity.get("text") for s in fake.sent[ANSWERED:]}
    assert len(in_flight) == CONCURRENCY

    # A restart after the leases ran out (on the clock, not by waiting).
    restarted = Worker(database_url, START + timedelta(seconds=LEASE + 1), tmp_path / "r.log")
    await restarted.finished()

    counts = collections.Counter(s.activity.get("text") or "" for s in fake.sent)
    assert max(counts.values()) == 1, [k for k, n in counts.items() if n > 1][:10]
    missing = expected - set(counts)
    assert not missing, f"{len(missing)} messages never sent, e.g. {sorted(missing)[:3]}"
    async with uow_factory() as uow:
        held = {d.key for d in await uow.outbox.listing(None, ("unconfirmed",))}
        unsettled = await uow.outbox.listing(None, ("pending", "claimed", "sending", "failed"))
    # Only what was in flight when the process died waits for the facilitator.
    assert held <= in_flight
    assert len(held) <= CONCURRENCY
    assert not unsettled
