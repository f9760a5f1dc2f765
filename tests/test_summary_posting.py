"""Posting a summary is exactly-once: concurrent "post" clicks on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

from domain.model import ConversationRef
from services import conversations, networks, summaries
from services.ports import Outbound
from tests.fakes import FakeDirectory, FakeNotifier
from tests.support.sparring import (
    AFTER,
    CHANNEL,
    EMAILS,
    FACILITATOR,
    KEY,
    SECRETARIAT,
    SLUG,
    channel_ref,
    sparring_network,
)

ROSTER = FakeDirectory(EMAILS)


class SlowNotifier(FakeNotifier):
    """A Connector that takes a moment, so a second click arrives while the first posts."""

    async def send(self, ref: ConversationRef, message: Outbound) -> str:
        await asyncio.sleep(0.05)
        return await super().send(ref, message)


def render(state: summaries.SummaryState) -> Outbound:
    return Outbound(text=f"summary: {state.summary.key_points}")


async def linked(uow_factory: Any) -> None:
    await networks.import_network(uow_factory(), sparring_network())
    await conversations.record_conversation(uow_factory(), channel_ref())
    async with uow_factory() as uow:
        await uow.conversations.link(CHANNEL, SLUG)
        await uow.commit()


async def post(uow_factory: Any, notifier: FakeNotifier, who: Any, text: str) -> Any:
    return await summaries.save_summary(
        uow_factory(),
        AFTER,
        notifier,
        KEY,
        who,
        ROSTER,
        {"key_points": text},
        post=True,
        render=render,
    )


async def test_two_simultaneous_posts_put_exactly_one_card_in_the_channel(
    uow_factory: Any,
) -> None:
    await linked(uow_factory)
    notifier = SlowNotifier()
    first, second = await asyncio.gather(
        post(uow_factory, notifier, FACILITATOR, "Fra facilitatoren"),
        post(uow_factory, notifier, SECRETARIAT, "Fra sekretariatet"),
    )
    assert len(notifier.sent) == 1
    assert sorted([first.already_posted, second.already_posted]) == [False, True]
    assert first.created + second.created == 1
    async with uow_factory() as uow:
        assert [c for c, _ in await uow.posted.where("summary", SLUG, 1)] == [CHANNEL]
        stored = await uow.summaries.get(SLUG, 1)
        actions = sorted(e.action for e in await uow.audit.entries(SLUG))
    assert stored is not None and stored.posted
    assert actions == ["summary.edit", "summary.post"]


async def test_the_card_shows_the_last_save_even_when_it_came_while_the_card_was_on_its_way(
    uow_factory: Any,
) -> None:
    await linked(uow_factory)
    notifier = SlowNotifier()
    await asyncio.gather(
        post(uow_factory, notifier, FACILITATOR, "Første"),
        post(uow_factory, notifier, SECRETARIAT, "Anden"),
    )
    async with uow_factory() as uow:
        stored = await uow.summaries.get(SLUG, 1)
    assert stored is not None
    shown = ([m for _, _, m in notifier.updated] or [m for _, m in notifier.sent])[-1]
    assert shown == Outbound(text=f"summary: {stored.key_points}")


async def test_five_clicks_at_once_post_once_and_a_later_post_only_updates(
    uow_factory: Any,
) -> None:
    await linked(uow_factory)
    notifier = SlowNotifier()
    results = await asyncio.gather(
        *(post(uow_factory, notifier, FACILITATOR, f"Tekst {i}") for i in range(5))
    )
    assert len(notifier.sent) == 1
    assert sum(1 for r in results if not r.already_posted) == 1
    later = await post(uow_factory, notifier, FACILITATOR, "Senere")
    assert later.already_posted and (later.created, later.updated) == (0, 1)
    assert len(notifier.sent) == 1
    assert notifier.updated[-1][2] == Outbound(text="summary: Senere")
