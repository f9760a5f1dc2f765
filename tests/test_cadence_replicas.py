"""Several bot processes on one PostgreSQL: a simulated year, every step exactly once."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from domain.cadence import plan
from domain.model import ConversationKind, ConversationRef
from services import cadence
from services.network_file import parse_network_file
from services.networks import import_network
from tests.support.fake_connector import FakeConnector

ROOT = Path(__file__).resolve().parents[1]
CHANNELS = 30
YEAR = """\
network:
  slug: replicas
  name: Replica network
  language: en
  timezone: Europe/Copenhagen
  period: {start: 2030-01-01, end: 2030-12-31}
  seats: 5
  themes: [Compact towns, Green space]
  cadence: {pulse_every_weeks: 6}
municipalities:
  - {key: odense, name: Odense Kommune, region: Syddanmark}
meetings:
""" + "".join(
    f"""  - {{number: {n}, date: 2030-{m:02d}-15, time: 10:00-15:00, region: Fyn}}
"""
    for n, m in enumerate((3, 5, 9, 11), 1)
)


def replica(database: str, name: str, days_per_second: int = 40) -> subprocess.Popen[bytes]:
    """One bot process running the year, by default at 40 simulated days per real second."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.cadence_worker",
            database,
            "2030-01-01T00:00:00+00:00",
            "2031-01-01T00:00:00+00:00",
            str(days_per_second),
            name,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


async def prepare(uow_factory: Any, service_url: str) -> list[tuple[str, str]]:
    declared = parse_network_file(YEAR, name="replicas.yaml", today=date(2030, 1, 1))
    await import_network(uow_factory(), declared)
    async with uow_factory() as uow:
        for i in range(CHANNELS):
            ref = ConversationRef(
                conversation_id=f"19:channel-{i}@thread.tacv2",
                kind=ConversationKind.CHANNEL,
                service_url=service_url,
                channel_id="msteams",
            )
            await uow.conversations.save(ref)
            await uow.conversations.link(ref.conversation_id, "replicas")
        await uow.commit()
    await cadence.sync_all(uow_factory)
    steps = plan(declared.network, list(declared.meetings))
    return [(s.key, f"19:channel-{i}@thread.tacv2") for s in steps for i in range(CHANNELS)]


def delivered(fake: FakeConnector) -> collections.Counter[tuple[str, str]]:
    return collections.Counter((s.activity.get("text") or "", s.conversation_id) for s in fake.sent)


async def wait(process: subprocess.Popen[bytes], limit: float = 90) -> None:
    for _ in range(int(limit * 10)):
        if process.poll() is not None:
            return
        await asyncio.sleep(0.1)
    process.kill()
    process.wait(timeout=10)
    raise AssertionError(f"a replica did not finish in time; {output(process)}")


def output(process: subprocess.Popen[bytes]) -> str:
    """What a finished replica printed, with its exit code, for the failure message."""
    assert process.stdout is not None
    printed = process.stdout.read().decode(errors="replace")[-4000:]
    return f"exit code {process.returncode}; output:\n{printed}"


async def unconfirmed(uow_factory: Any) -> set[tuple[str, str]]:
    async with uow_factory() as uow:
        # The next worker pass after the leases run out holds what a dead process had in hand.
        await uow.outbox.recover(datetime(2100, 1, 1, tzinfo=UTC))
        await uow.commit()
        held = await uow.outbox.listing("replicas", ("unconfirmed",))
    return {(d.key.split("|")[0], d.conversation_id) for d in held}


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_replicas_on_one_database_post_every_step_exactly_once(
    uow_factory: Any, database_url: str, connector: Any
) -> None:
    fake, url = connector
    expected = await prepare(uow_factory, url)
    first, second = replica(database_url, "a"), replica(database_url, "b")
    await asyncio.gather(wait(first), wait(second))
    for process in (first, second):
        assert process.returncode == 0, output(process)
    counts = delivered(fake)
    assert max(counts.values()) == 1, "a step was posted twice"
    assert set(counts) | await unconfirmed(uow_factory) == set(expected)
    assert len(counts) == len(expected)  # both alive: nothing is even in doubt


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_replica_killed_mid_fan_out_loses_and_doubles_nothing(
    uow_factory: Any, database_url: str, connector: Any
) -> None:
    fake, url = connector
    expected = await prepare(uow_factory, url)
    victim, survivor = replica(database_url, "victim"), replica(database_url, "survivor")
    await asyncio.sleep(2.5)  # a few months in: both are mid-fan-out
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    restarted = replica(database_url, "restarted")
    await asyncio.gather(wait(survivor), wait(restarted))
    for process in (survivor, restarted):
        assert process.returncode == 0, output(process)
    counts = delivered(fake)
    assert max(counts.values()) == 1, "a step was posted twice"
    held = await unconfirmed(uow_factory)
    # What the killed process had in flight is held for the facilitator, never resent blindly:
    # at most one batch's worth, and every other message arrived exactly once.
    assert len(held) <= 20
    assert set(counts) | held == set(expected)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_replica_whose_clock_outruns_its_passes_still_posts_every_step_once(
    uow_factory: Any, database_url: str, connector: Any
) -> None:
    # A year in a few milliseconds: the simulated end comes before the loop has looked at most
    # steps, as a slow pass on a loaded machine skips weeks; steps due before the end still run.
    fake, url = connector
    expected = await prepare(uow_factory, url)
    sprinter = replica(database_url, "sprinter", days_per_second=200_000)
    await wait(sprinter)
    assert sprinter.returncode == 0, output(sprinter)
    counts = delivered(fake)
    assert max(counts.values()) == 1, "a step was posted twice"
    assert set(counts) == set(expected)
