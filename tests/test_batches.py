"""The group commit under the turn gate and the answer gate: lines per key, in order."""

from __future__ import annotations

import asyncio

from services.batches import Batches


class Recorder:
    """A runner that records its batches and answers each request with (key, request)."""

    def __init__(self) -> None:
        self.batches: list[tuple[str, list[int]]] = []
        self.release = asyncio.Event()
        self.release.set()

    async def run(self, key: str, requests: list[int]) -> list[tuple[str, int] | BaseException]:
        self.batches.append((key, requests))
        await self.release.wait()
        return [ValueError(n) if n < 0 else (key, n) for n in requests]


async def test_each_key_has_its_own_line_and_a_key_leaves_nothing_behind() -> None:
    runner = Recorder()
    batches: Batches[str, int, tuple[str, int]] = Batches(runner.run, 10, "test")
    results = await asyncio.gather(*(batches.join("ab"[n % 2], n) for n in range(6)))
    assert results == [("ab"[n % 2], n) for n in range(6)]
    assert sorted(runner.batches) == [("a", [0, 2, 4]), ("b", [1, 3, 5])]
    assert len(batches) == 0


async def test_requests_arriving_while_a_batch_is_written_form_the_next_batch_in_order() -> None:
    runner = Recorder()
    runner.release.clear()
    batches: Batches[str, int, tuple[str, int]] = Batches(runner.run, 3, "test")
    first = asyncio.ensure_future(batches.join("a", 0))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    later = [asyncio.ensure_future(batches.join("a", n)) for n in range(1, 6)]
    await asyncio.sleep(0)
    runner.release.set()
    await asyncio.gather(first, *later)
    assert runner.batches == [("a", [0]), ("a", [1, 2, 3]), ("a", [4, 5])]


async def test_a_request_answered_with_an_exception_raises_it_and_only_it() -> None:
    batches: Batches[str, int, tuple[str, int]] = Batches(Recorder().run, 10, "test")
    results = await asyncio.gather(
        *(batches.join("a", n) for n in (1, -2, 3)), return_exceptions=True
    )
    assert results[0] == ("a", 1) and results[2] == ("a", 3)
    assert isinstance(results[1], ValueError)


async def test_a_runner_that_raises_fails_its_batch_and_the_next_request_runs_normally() -> None:
    calls = 0

    async def flaky(key: str, requests: list[int]) -> list[int | BaseException]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("the database went away")
        return list(requests)

    batches: Batches[str, int, int] = Batches(flaky, 10, "test")
    failed = await asyncio.gather(*(batches.join("a", n) for n in range(3)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in failed)
    assert await batches.join("a", 7) == 7
    assert len(batches) == 0


async def test_a_cancelled_caller_does_not_cancel_the_others_and_is_still_written() -> None:
    runner = Recorder()
    batches: Batches[str, int, tuple[str, int]] = Batches(runner.run, 10, "test")
    doomed = asyncio.ensure_future(batches.join("a", 0))
    others = [asyncio.ensure_future(batches.join("a", n)) for n in (1, 2)]
    await asyncio.sleep(0)
    doomed.cancel()
    assert await asyncio.gather(*others) == [("a", 1), ("a", 2)]
    assert runner.batches == [("a", [0, 1, 2])]
