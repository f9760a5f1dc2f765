"""A backlog of due steps larger than one page is run in one go, not a page per poll."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.model import ConversationKind, ConversationRef
from scheduler.runner import CadenceRunner, RunnerSettings
from services.cadence import StepContext, Target
from services.networks import import_network
from services.ports import Outbound
from tests.conftest import FixedClock
from tests.fakes import FakeSender
from tests.support.networks import small_network


def render(context: StepContext) -> list[Target]:
    """One message per channel, naming the step."""
    return [Target(c, Outbound(text=context.step.key)) for c in context.channels]


async def test_more_due_steps_than_one_page_are_all_run_and_delivered_at_once(
    uow_factory: Any,
) -> None:
    declared = small_network()
    weekly = dataclasses.replace(
        declared.network,
        cadence=dataclasses.replace(declared.network.cadence, pulse_every_weeks=1),
    )
    await import_network(uow_factory(), dataclasses.replace(declared, network=weekly))
    channel = ConversationRef(
        conversation_id="19:general@thread.tacv2",
        service_url="http://127.0.0.1:9/",
        kind=ConversationKind.CHANNEL,
        channel_id="msteams",
    )
    async with uow_factory() as uow:
        await uow.conversations.save(channel)
        await uow.conversations.link(channel.conversation_id, weekly.slug)
        await uow.commit()
    clock = FixedClock(datetime(2026, 4, 1, 12, tzinfo=UTC))  # the whole period is past
    sender = FakeSender()
    settings = RunnerSettings(grace=timedelta(days=3650))
    runner = CadenceRunner(uow_factory, clock, render, sender, settings)
    await runner.resync()  # the plan, as on start
    await runner.run_steps()
    async with uow_factory() as uow:
        left = await uow.cadence.due(clock.now())
    pulses = [m for _, m in sender.delivered if ":pulse:" in m.text]
    assert len(pulses) > 100, "a weekly pulse over two years is more than one page of steps"
    assert left == []
