"""The scheduler lives with the app: on start it runs what is due and delivers it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from domain.model import ConversationKind, ConversationRef
from netpuls.app import create_app
from netpuls.settings import Settings
from netpuls.wiring import RUNNER
from services.networks import import_network
from tests.conftest import FixedClock
from tests.support.networks import small_network

ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]


async def test_on_start_the_due_reminder_is_posted_once_and_stopping_stops_the_timers(
    aiohttp_client: ClientMaker, database_url: str, engine: object, uow_factory: Any, connector: Any
) -> None:
    fake, url = connector
    await import_network(uow_factory(), small_network())
    channel = ConversationRef(
        conversation_id="19:general@thread.tacv2",
        service_url=url,
        kind=ConversationKind.CHANNEL,
        channel_id="msteams",
    )
    async with uow_factory() as uow:
        await uow.conversations.save(channel)
        await uow.conversations.link(channel.conversation_id, "kompakte-groenne-byer")
        await uow.commit()
    due = FixedClock(datetime(2024, 3, 7, 8, 0, 30, tzinfo=UTC))  # D-7, 09:00:30 in Denmark
    settings = Settings(database_url=database_url, app_id="", scheduler_enabled=True)
    client = await aiohttp_client(create_app(settings, clock=due))
    runner = client.app[RUNNER]
    await runner.caught_up()  # the start-up catch-up is the scheduler's first job
    (reminder,) = [s for s in fake.sent if "vi har ikke hørt fra" in (s.activity["text"] or "")]
    assert reminder.conversation_id == channel.conversation_id
    assert "Køge Kommune" in reminder.activity["text"]
    await runner.run_steps()  # a second pass (another timer, another replica) posts nothing
    assert len(fake.sent) == 1
    await client.close()
    assert runner.next_run() is None


async def test_the_app_answers_its_health_check_before_the_catch_up_has_run(
    aiohttp_client: Any, database_url: str, uow_factory: Any, connector: Any
) -> None:
    """A day of missed agendas can take minutes to post: the app must not wait for them."""
    await import_network(uow_factory(), small_network())
    settings = Settings(database_url=database_url, app_id="", scheduler_enabled=True)
    app = create_app(settings, clock=FixedClock(datetime(2024, 3, 7, 8, 0, 30, tzinfo=UTC)))
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow_catch_up(self: Any) -> None:
        started.set()
        await release.wait()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("scheduler.runner.CadenceRunner.catch_up", slow_catch_up)
        client = await aiohttp_client(app)
        response = await client.get("/healthz")
        assert response.status == 200
        await asyncio.wait_for(started.wait(), timeout=30)  # it runs, in the background
        release.set()
