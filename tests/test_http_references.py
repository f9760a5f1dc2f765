"""Conversation references over HTTP, from Teams' documented events in whatever order they come.

Teams sends the team's aadGroupId with the bot-added event and the install but no channel;
a channel message names its channel and only the team's id; a personal message only the
tenant. Whatever the order, the stored reference ends complete, and the Connector is asked
for a team's aadGroupId only while no event brought it.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

import pytest

from domain.model import ConversationKind, ConversationRef
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.fake_connector import REGIONS, FakeConnector
from tests.support.http import link_channel, post_activity
from tests.support.networks import small_network

Event = Callable[[str], dict[str, Any]]


async def stored(uow_factory: Any, conversation_id: str) -> ConversationRef:
    async with uow_factory() as uow:
        ref = await uow.conversations.get(conversation_id)
    assert ref is not None, conversation_id
    return ref


def regional(url: str, region: str) -> str:
    """A service URL as Teams gives them, one per region (the fake answers under each)."""
    return f"{url}/{region}/" if region else url


def events(n: int) -> dict[str, Event]:
    """The documented events of team n, each built for a given service URL. The bot was
    installed in a channel other than General, as the install dialog lets a user choose."""
    team, chan = f"19:team-{n}@thread.tacv2", f"19:chosen-{n}@thread.tacv2"

    def where(url: str, thread: str | None = None) -> dict[str, Any]:
        return act.channel(url, team_id=team, channel_id=chan, group=f"group-{n}", thread=thread)

    return {
        "bot added": lambda url: act.bot_added(where(url)),
        "channel message": lambda url: act.message(where(url, thread="1700"), "help", mention=True),
        "installation update": lambda url: act.installed(where(url)),
        "personal message": lambda url: act.message(
            act.personal(url, user_id=f"29:person-{n}", aad=f"aad-{n}"), "help"
        ),
    }


async def test_a_reference_is_complete_whatever_order_the_documented_events_arrive_in(
    start_bot: BotStarter, connector: tuple[FakeConnector, str], uow_factory: Any
) -> None:
    fake, url = connector
    bot = await start_bot({}, network=small_network())
    orders = list(itertools.permutations(events(0)))
    for n, order in enumerate(orders):
        team, chan = f"19:team-{n}@thread.tacv2", f"19:chosen-{n}@thread.tacv2"
        fake.add_team(team, f"group-{n}")
        made = events(n)
        service_urls = {name: regional(url, REGIONS[i]) for i, name in enumerate(order)}
        for name in order:
            status, _ = await post_activity(bot, made[name](service_urls[name]))
            assert status in (200, 201), (order, name, status)

        latest = [service_urls[name] for name in order if name != "personal message"][-1]
        ref = await stored(uow_factory, chan)
        assert (ref.kind, ref.team_id, ref.team_aad_group_id) == (
            ConversationKind.CHANNEL,
            team,
            f"group-{n}",
        ), order
        assert (ref.teams_channel_id, ref.tenant_id, ref.service_url) == (
            chan,
            act.TENANT,
            latest,
        ), order
        chat = await stored(uow_factory, f"a:personal-29:person-{n}")
        assert (chat.user_id, chat.user_aad_object_id, chat.tenant_id, chat.service_url) == (
            f"29:person-{n}",
            f"aad-{n}",
            act.TENANT,
            service_urls["personal message"],
        ), order
        # Asked only when the channel message came before both events that carry the id.
        asked = order.index("channel message") < min(
            order.index("bot added"), order.index("installation update")
        )
        assert fake.team_requests.count(team) == int(asked), order


async def test_a_known_group_id_is_never_asked_for_and_a_missing_one_once(
    start_bot: BotStarter, connector: tuple[FakeConnector, str], uow_factory: Any
) -> None:
    fake, url = connector
    bot = await start_bot({}, network=small_network())
    known = act.channel(url, team_id="19:known@thread.tacv2", group="group-known")
    await post_activity(bot, act.bot_added(known))
    missing = act.channel(url, team_id="19:missing@thread.tacv2")
    fake.add_team("19:missing@thread.tacv2", "group-missing")
    for where in (known, missing, known, missing):
        await post_activity(bot, act.message(where, "help", mention=True))

    assert fake.team_requests == ["19:missing@thread.tacv2"]
    assert (await stored(uow_factory, "19:known@thread.tacv2")).team_aad_group_id == "group-known"
    missing_ref = await stored(uow_factory, "19:missing@thread.tacv2")
    assert missing_ref.team_aad_group_id == "group-missing"


async def test_a_failed_team_details_request_leaves_the_turn_answered_and_is_asked_again(
    start_bot: BotStarter,
    connector: tuple[FakeConnector, str],
    uow_factory: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake, url = connector
    bot = await start_bot({}, network=small_network())
    where = act.channel(url)  # the Connector does not know the team yet: it answers 404
    with caplog.at_level(logging.WARNING, logger="bot.teams.references"):
        status, _ = await post_activity(bot, act.message(where, "help", mention=True))

    assert status in (200, 201)
    assert fake.sent, "the message was answered"
    assert "team details for" in caplog.text
    assert (await stored(uow_factory, act.TEAM_ID)).team_aad_group_id is None

    fake.add_team(act.TEAM_ID, act.GROUP)
    await post_activity(bot, act.message(where, "help", mention=True))
    assert fake.team_requests == [act.TEAM_ID, act.TEAM_ID]
    assert (await stored(uow_factory, act.TEAM_ID)).team_aad_group_id == act.GROUP


async def test_a_renamed_team_keeps_its_channel_linked_and_complete(
    start_bot: BotStarter, connector: tuple[FakeConnector, str], uow_factory: Any
) -> None:
    fake, url = connector
    bot = await start_bot({}, network=small_network())
    where = act.channel(url, user_id="29:fac", aad=None, name="Facilitator")
    await link_channel(bot, where)
    before = await stored(uow_factory, act.TEAM_ID)

    status, _ = await post_activity(bot, act.team_renamed(where, "New Team Name"))

    assert status in (200, 201)
    assert await stored(uow_factory, act.TEAM_ID) == before
    assert fake.team_requests == []


@pytest.mark.parametrize("event", ["team deleted", "bot removed"])
async def test_leaving_a_team_forgets_the_channel_chosen_at_install(
    start_bot: BotStarter,
    connector: tuple[FakeConnector, str],
    uow_factory: Any,
    event: str,
) -> None:
    fake, url = connector
    bot = await start_bot({}, network=small_network())
    where = act.channel(url, channel_id="19:chosen@thread.tacv2")
    await post_activity(bot, act.installed(where))
    assert (await stored(uow_factory, "19:chosen@thread.tacv2")).installed

    leave = act.team_deleted(where) if event == "team deleted" else act.bot_removed(where)
    status, _ = await post_activity(bot, leave)

    assert status in (200, 201)
    assert not (await stored(uow_factory, "19:chosen@thread.tacv2")).installed
    assert fake.team_requests == []
