"""The engagement use case with fakes: who may see it, and what it counts from the sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.engagement import ActivityEvent, ActivityKind
from domain.errors import NotAllowed
from services import conversations, networks
from services.engagement import engagement
from services.networks import Actor
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeStore, FakeUnitOfWork
from tests.fakes_engagement import engagement_state
from tests.support.sparring import (
    EMAILS,
    FACILITATOR,
    HOST,
    KOEGE,
    SECRETARIAT,
    SLUG,
    STRANGER,
    channel_ref,
    sparring_network,
)

ROSTER = FakeDirectory(EMAILS)
CLOCK = FixedClock(datetime(2024, 6, 1, 12, tzinfo=UTC))
QUIET = timedelta(days=60)


@pytest.fixture
async def store() -> FakeStore:
    store = FakeStore()
    await networks.import_network(FakeUnitOfWork(store), sparring_network())
    await conversations.record_conversation(FakeUnitOfWork(store), channel_ref())
    await FakeUnitOfWork(store).conversations.link(channel_ref().conversation_id, SLUG)
    return store


def event(kind: ActivityKind, town: str, month: int, day: int) -> tuple[str, ActivityEvent]:
    return SLUG, ActivityEvent(kind, town, datetime(2024, month, day, tzinfo=UTC))


@pytest.mark.parametrize("who", [HOST, KOEGE, STRANGER])
async def test_only_organisers_see_the_engagement(store: FakeStore, who: Actor) -> None:
    with pytest.raises(NotAllowed) as refused:
        await engagement(
            FakeUnitOfWork(store), CLOCK, channel_ref().conversation_id, who, ROSTER, QUIET
        )
    assert refused.value.msgid.startswith("Only the facilitator or the secretariat")


@pytest.mark.parametrize("who", [FACILITATOR, SECRETARIAT])
async def test_organisers_get_every_source_counted_per_municipality(
    store: FakeStore, who: Actor
) -> None:
    engagement_state(store).extend(
        [
            event(ActivityKind.PAIR_CALL_HELD, "koege", 5, 20),
            event(ActivityKind.QUESTION_ANSWERED, "koege", 2, 1),
            event(ActivityKind.QUESTION_ASKED, "odense", 3, 1),
            ("another-network", ActivityEvent(ActivityKind.QUESTION_ASKED, "odense", CLOCK.now())),
        ]
    )
    found = await engagement(
        FakeUnitOfWork(store), CLOCK, channel_ref().conversation_id, who, ROSTER, QUIET
    )
    rows = {r.key: r for r in found.table.rows}
    assert rows["koege"].counts[ActivityKind.PAIR_CALL_HELD] == 1
    assert rows["koege"].counts[ActivityKind.QUESTION_ANSWERED] == 1
    assert rows["odense"].counts[ActivityKind.QUESTION_ASKED] == 1
    assert rows["odense"].total == 1 and rows["odense"].quiet  # 1 March: 92 days ago
    assert not rows["koege"].quiet
