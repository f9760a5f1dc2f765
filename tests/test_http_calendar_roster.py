"""`roster sync` and the meeting event over HTTP: Graph and the Connector on loopback."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from netpuls.wiring import GRAPH_TIMERS
from tests.support import activities as act
from tests.support.bot_app import BotStarter, graph_settings
from tests.support.graph_server import FakeGraph
from tests.support.http import link_channel
from tests.support.http import post_activity as post
from tests.support.networks import small_network
from tests.support.tls import LoopbackCertificate

pytestmark = [
    pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:GetQueryParameters is deprecated:DeprecationWarning"),
]
GROUP = "group-aad-1"  # the team's aadGroupId in tests.support.activities
MAILBOX = "netvaerk@example.org"
PEOPLE = {"29:fac": "facilitator@example.org", "29:odense": "planner.odense@example.org"}


async def start(
    start_bot: BotStarter,
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    tls: LoopbackCertificate,
    mailbox: str,
) -> TestClient[Any, Any]:
    _, url = connector
    graph, graph_url = graph_api
    graph.directory.mailboxes.add(MAILBOX)
    graph.directory.add_member(GROUP, "aad-fac", "FACILITATOR@example.org", "Netværksfacilitator")
    graph.directory.add_member(GROUP, "aad-guest", "guest@example.org", "Gæst Eksempel")
    graph_on = graph_settings(graph_url, tls)
    client = await start_bot(
        PEOPLE, network=small_network(), graph_organiser_mailbox=mailbox, **graph_on
    )
    channel = act.channel(url, user_id="29:fac", aad=None, name="Facilitator")
    await link_channel(client, channel)
    return client


@pytest.fixture
async def bot(
    start_bot: BotStarter,
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    loopback_tls: LoopbackCertificate,
) -> TestClient[Any, Any]:
    """Graph configured, no organiser mailbox: the roster works, events fall back to the .ics."""
    return await start(start_bot, connector, graph_api, loopback_tls, mailbox="")


def cards(fake: Any) -> list[dict[str, Any]]:
    return [
        s.activity["attachments"][0]["content"] for s in fake.sent if s.activity.get("attachments")
    ]


async def test_roster_sync_shows_who_is_missing_on_each_side(bot: Any, connector: Any) -> None:
    fake, url = connector
    channel = act.channel(url, user_id="29:fac", aad=None, name="Facilitator")
    status, _ = await post(bot, act.message(channel, "roster sync", mention=True))
    assert status in (200, 201)
    shown = str(cards(fake)[-1])
    assert "The team and the network" in shown
    assert "Planlægger Odense <planner.odense@example.org>" in shown
    assert "Gæst Eksempel <guest@example.org>" in shown
    assert "{'title': 'In both', 'value': '1'}" in shown


async def test_roster_sync_is_refused_to_a_participant(
    bot: Any, connector: Any, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, url = connector
    graph, _ = graph_api
    channel = act.channel(url, user_id="29:odense", aad=None, name="Planlægger Odense")
    await post(bot, act.message(channel, "roster sync", mention=True))
    assert "Only the facilitator or the secretariat can compare" in fake.texts()[-1]
    assert not [c for c in graph.calls if c[1].endswith("/members")]


async def test_without_a_mailbox_the_agenda_offers_the_ics_and_graph_gets_no_event(
    bot: Any, connector: Any, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, url = connector
    graph, _ = graph_api
    channel = act.channel(url, user_id="29:fac", aad=None, name="Facilitator")
    await post(bot, act.message(channel, "agenda 1", mention=True))
    report = await bot.app[GRAPH_TIMERS].jobs.run_calendar()
    assert report.created == 0
    assert not [c for c in graph.calls if "/events" in c[1]]
    assert "/calendar/kompakte-groenne-byer/1.ics?" in str(cards(fake)[-1])


async def test_with_a_mailbox_the_posted_agenda_gets_its_teams_event(
    start_bot: BotStarter,
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    loopback_tls: LoopbackCertificate,
) -> None:
    client = await start(start_bot, connector, graph_api, loopback_tls, mailbox=MAILBOX)
    _, url = connector
    graph, _ = graph_api
    channel = act.channel(url, user_id="29:fac", aad=None, name="Facilitator")
    await post(client, act.message(channel, "agenda 1", mention=True))
    report = await client.app[GRAPH_TIMERS].jobs.run_calendar()
    assert report.created == 1
    (event,) = graph.directory.events.values()
    assert event["isOnlineMeeting"] and "joinUrl" in event["onlineMeeting"]


async def test_the_graph_timers_run_on_the_apps_one_scheduler(
    start_bot: BotStarter,
    graph_api: tuple[FakeGraph, str],
    loopback_tls: LoopbackCertificate,
) -> None:
    """The calendar and roster timers are jobs of the runner's scheduler, not of a second one."""
    from netpuls.wiring import RUNNER

    graph, graph_url = graph_api
    graph.directory.mailboxes.add(MAILBOX)
    client = await start_bot(
        PEOPLE,
        network=small_network(),
        graph_organiser_mailbox=MAILBOX,
        scheduler_enabled=True,
        **graph_settings(graph_url, loopback_tls),
    )
    jobs = {job.id.split(":")[0] for job in client.app[RUNNER].scheduler.get_jobs()}
    assert {"calendar", "roster", "outbox_job"} <= jobs
