"""Starting message turns: each activity claimed once, unknown chats stored, languages picked."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domain.model import ConversationRef
from services import networks
from services.networks import Actor, TurnStart
from storage.engine import session_factory
from storage.uow import SqlUnitOfWork
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.support.sparring import personal_ref


def chat(n: int) -> ConversationRef:
    return personal_ref(f"29:user-{n}")


def reader(n: int, locale: str = "en-US") -> Actor:
    return Actor(teams_user_id=f"29:user-{n}", aad_object_id=f"aad-{n}", locale=locale)


async def begin(uow: Any, n: int, activity_id: str | None, locale: str = "en-US") -> TurnStart:
    return await networks.begin_turn(uow, chat(n), activity_id, reader(n, locale), "en")


async def test_a_turn_claims_its_activity_stores_the_chat_and_picks_the_language() -> None:
    store = FakeStore()
    store.languages["29:user-3"] = "sv"
    assert await begin(FakeUnitOfWork(store), 2, "first", "da-DK") == TurnStart(True, "da")
    assert await begin(FakeUnitOfWork(store), 3, "fresh") == TurnStart(True, "sv")  # chose it
    assert await begin(FakeUnitOfWork(store), 4, None) == TurnStart(True, "en")  # no id to claim
    assert {chat(n).conversation_id for n in (2, 3, 4)} <= set(store.conversations)
    assert store.commits == 3


async def test_a_redelivered_activity_starts_no_turn_and_writes_nothing() -> None:
    store = FakeStore()
    store.claims.add((chat(1).conversation_id, "seen-before"))
    assert await begin(FakeUnitOfWork(store), 1, "seen-before") == TurnStart(False, "en")
    assert chat(1).conversation_id not in store.conversations
    assert store.commits == 0


async def test_reading_a_card_readers_language_writes_nothing() -> None:
    store = FakeStore()
    store.languages["29:user-2"] = "sv"
    uow = FakeUnitOfWork(store)
    assert await networks.preferred_language(uow, "a:chat", reader(2), "en") == "sv"
    assert await networks.preferred_language(uow, "a:chat", reader(3, locale=""), "da") == "da"
    assert store.conversations == {} and store.claims == set() and store.commits == 0


@pytest.mark.parametrize("copies", [1, 3])
async def test_concurrent_turns_on_a_real_database_start_each_activity_once(
    uow_factory: Any, copies: int
) -> None:
    turns = [(n, f"act-{n}") for n in range(40) for _ in range(copies)]
    starts = await asyncio.gather(*(begin(uow_factory(), n % 7, a) for n, a in turns))
    assert sum(s.fresh for s in starts) == 40
    assert not (await begin(uow_factory(), 1, "act-1")).fresh  # redelivered later
    async with uow_factory() as uow:
        stored = [await uow.conversations.get(chat(n).conversation_id) for n in range(7)]
    assert all(ref is not None for ref in stored)


class LanguageReadFails(SqlUnitOfWork):
    """A unit of work whose database goes away after the turn's claim was written."""

    async def __aenter__(self) -> SqlUnitOfWork:
        await super().__aenter__()

        async def gone(_: str) -> str | None:
            raise ConnectionError("the database went away")

        self.preferences.language = gone  # type: ignore[method-assign]
        return self


async def test_a_turn_that_fails_keeps_no_claim_so_the_redelivery_is_answered(
    engine: Any, uow_factory: Any
) -> None:
    with pytest.raises(ConnectionError):
        await begin(LanguageReadFails(session_factory(engine)), 1, "act-1")
    assert (await begin(uow_factory(), 1, "act-1")).fresh
