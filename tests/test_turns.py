"""Starting message turns: claims once, chats stored, languages picked, in shared transactions."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domain.model import ConversationRef
from services import networks
from services.networks import Actor, TurnRequest, TurnStart
from services.turns import MAX_BATCH, TurnGate
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.support.sparring import personal_ref


def chat(n: int) -> ConversationRef:
    return personal_ref(f"29:user-{n}")


def reader(n: int, locale: str = "en-US") -> Actor:
    return Actor(teams_user_id=f"29:user-{n}", aad_object_id=f"aad-{n}", locale=locale)


class Counted:
    """A unit-of-work factory that counts the units it made (one per transaction)."""

    def __init__(self, make: Any) -> None:
        self.made = 0
        self._make = make

    def __call__(self) -> Any:
        self.made += 1
        return self._make()


async def test_a_batch_claims_each_activity_once_stores_new_chats_and_picks_languages() -> None:
    store = FakeStore()
    store.claims.add((chat(1).conversation_id, "seen-before"))
    store.languages["29:user-3"] = "sv"
    requests = [
        TurnRequest(chat(1), "seen-before", reader(1)),  # a redelivery of an earlier turn
        TurnRequest(chat(2), "twice", reader(2, "da-DK")),
        TurnRequest(chat(2), "twice", reader(2, "da-DK")),  # two copies in one batch
        TurnRequest(chat(3), "fresh", reader(3)),  # chose Swedish, client says English
        TurnRequest(chat(4), None, reader(4)),  # no id: nothing to claim
    ]
    starts = await networks.begin_turns(FakeUnitOfWork(store), requests, "en")
    assert starts == [
        TurnStart(False, "en"),
        TurnStart(True, "da"),
        TurnStart(False, "en"),
        TurnStart(True, "sv"),
        TurnStart(True, "en"),
    ]
    assert {chat(2).conversation_id, chat(3).conversation_id, chat(4).conversation_id} <= set(
        store.conversations
    )
    assert (
        chat(1).conversation_id not in store.conversations
    )  # its turn was a redelivery: nothing written


async def test_turns_arriving_together_share_one_transaction() -> None:
    store = FakeStore()
    factory = Counted(lambda: FakeUnitOfWork(store))
    gate = TurnGate(factory, "en")
    starts = await asyncio.gather(*(gate.begin(chat(n), f"act-{n}", reader(n)) for n in range(20)))
    assert all(s.fresh for s in starts)
    assert factory.made == 1
    assert len(store.conversations) == 20


async def test_a_turn_alone_is_started_at_once_in_its_own_transaction() -> None:
    store = FakeStore()
    factory = Counted(lambda: FakeUnitOfWork(store))
    gate = TurnGate(factory, "en")
    for n in range(3):
        assert (await gate.begin(chat(n), f"act-{n}", reader(n))).fresh
    assert factory.made == 3


async def test_copies_of_one_activity_at_once_start_one_turn() -> None:
    gate = TurnGate(lambda: FakeUnitOfWork(FakeStore()), "en")
    starts = await asyncio.gather(*(gate.begin(chat(1), "same", reader(1)) for _ in range(5)))
    assert sorted(s.fresh for s in starts) == [False] * 4 + [True]


async def test_more_turns_than_a_batch_holds_are_written_in_several_batches() -> None:
    store = FakeStore()
    factory = Counted(lambda: FakeUnitOfWork(store))
    gate = TurnGate(factory, "en")
    count = MAX_BATCH * 2 + 5
    starts = await asyncio.gather(
        *(gate.begin(chat(n), f"act-{n}", reader(n)) for n in range(count))
    )
    assert all(s.fresh for s in starts) and factory.made == 3


class Failing(FakeUnitOfWork):
    async def __aenter__(self) -> FakeUnitOfWork:
        raise ConnectionError("the database went away")


async def test_a_failed_batch_fails_its_turns_and_the_next_turn_starts_normally() -> None:
    store = FakeStore()
    broken = True
    gate = TurnGate(lambda: Failing(store) if broken else FakeUnitOfWork(store), "en")
    results = await asyncio.gather(
        *(gate.begin(chat(n), f"act-{n}", reader(n)) for n in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, ConnectionError) for r in results)
    assert store.claims == set()
    broken = False
    assert (await gate.begin(chat(1), "act-1", reader(1))).fresh


async def test_a_cancelled_turn_does_not_cancel_the_others_in_its_batch() -> None:
    store = FakeStore()
    gate = TurnGate(lambda: FakeUnitOfWork(store), "en")
    doomed = asyncio.ensure_future(gate.begin(chat(0), "act-0", reader(0)))
    others = [asyncio.ensure_future(gate.begin(chat(n), f"act-{n}", reader(n))) for n in (1, 2)]
    await asyncio.sleep(0)
    doomed.cancel()
    assert all(s.fresh for s in await asyncio.gather(*others))
    assert (chat(0).conversation_id, "act-0") in store.claims  # written with its batch


@pytest.mark.parametrize("copies", [1, 3])
async def test_turns_through_the_gate_on_a_real_database_start_each_activity_once(
    uow_factory: Any, copies: int
) -> None:
    gate = TurnGate(uow_factory, "en")
    turns = [(n, f"act-{n}") for n in range(40) for _ in range(copies)]
    starts = await asyncio.gather(*(gate.begin(chat(n % 7), a, reader(n % 7)) for n, a in turns))
    assert sum(s.fresh for s in starts) == 40
    again = await gate.begin(chat(1), "act-1", reader(1))  # redelivered later
    assert not again.fresh
    async with uow_factory() as uow:
        looks = await uow.conversations.first_looks([chat(n).conversation_id for n in range(7)], [])
    assert len(looks.known) == 7


async def test_a_language_read_writes_nothing_and_joins_the_batch() -> None:
    store = FakeStore()
    store.languages["29:user-2"] = "sv"
    factory = Counted(lambda: FakeUnitOfWork(store))
    gate = TurnGate(factory, "en")
    started, swedish, english = await asyncio.gather(
        gate.begin(chat(1), "act-1", reader(1)),
        gate.language(chat(2), reader(2)),
        gate.language(chat(3), reader(3, locale="")),
    )
    assert started.fresh and (swedish, english) == ("sv", "en")
    assert factory.made == 1
    assert set(store.conversations) == {chat(1).conversation_id}  # card actions store no chat
    assert store.claims == {(chat(1).conversation_id, "act-1")}
