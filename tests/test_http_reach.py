"""Personal messages reach people who never wrote to the bot: the bot opens the 1:1 chat itself
(POST /v3/conversations with the tenant, as Company Communicator does), and where Teams refuses,
the person is @mentioned in the channel and the message waits for them.

Shapes: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
(create the conversation: bot, members, tenantId; the roster from the team's paged members).
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from netpuls.wiring import RUNNER
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel
from tests.support.http import post_activity as post
from tests.support.sparring import EMAILS, sparring_network


@pytest.fixture
async def bot(start_bot: BotStarter, connector: Any) -> TestClient[Any, Any]:
    fake, _ = connector
    client = await start_bot(EMAILS, network=sparring_network(), scheduler_enabled=True)
    for member in fake.members.values():  # the team's roster as Teams pages it
        member["tenantId"] = act.TENANT
        member["userPrincipalName"] = member["email"]
    return client


def who(url: str, user: str, *, channel: bool = False) -> dict[str, Any]:
    make = act.channel if channel else act.personal
    return make(url, user_id=user, aad=None, name=EMAILS[user])


async def host_prompt_by_the_facilitator(bot: Any, url: str) -> str:
    await link_channel(bot, who(url, "29:fac", channel=True))
    await post(bot, act.message(who(url, "29:fac"), "host 1"))
    await bot.app[RUNNER].run_outbox()
    return "a:personal-29:host"


async def test_a_host_contact_who_never_wrote_to_the_bot_gets_the_prompt_in_a_chat_it_opens(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await host_prompt_by_the_facilitator(bot, url)
    [created] = fake.created
    assert created["members"] == [{"id": "29:host"}]
    # Teams reads the tenant from channelData (botbuilder also writes it as `tenantID`).
    assert created["channelData"]["tenant"]["id"] == act.TENANT
    assert created["isGroup"] is False
    assert created["bot"]["id"] == act.BOT_ID
    prompts = [s for s in fake.sent if s.conversation_id.startswith("a:created-")]
    assert len(prompts) == 1 and "Netværksmøde 1" in str(prompts[0].activity)
    # Nothing about the host went to the channel.
    assert not [s for s in fake.sent if s.conversation_id.startswith(act.TEAM_ID)][2:]
    await bot.app[RUNNER].run_outbox()  # a second pass sends nothing twice
    assert len([s for s in fake.sent if s.conversation_id.startswith("a:created-")]) == 1


async def test_someone_teams_will_not_open_a_chat_with_is_mentioned_and_their_message_waits(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    fake.unreachable.add("29:host")
    await host_prompt_by_the_facilitator(bot, url)
    assert fake.created == []  # refused: Teams created nothing
    channel_posts = [s for s in fake.sent if s.conversation_id == act.TEAM_ID]
    notice = channel_posts[-1].activity
    assert "<at>Vært Odense</at>" in notice["text"]
    assert notice["entities"][0]["mentioned"]["id"] == "29:host"
    assert "Netværksmøde" not in notice["text"]  # the content stays private
    await post(bot, act.message(who(url, "29:fac"), "deliveries"))
    assert "wait for people to open a chat" in fake.texts()[-1]
    # The host opens a chat with the bot: what waited for them is delivered there, once.
    await post(bot, act.message(who(url, "29:host"), "hello"))
    await bot.app[RUNNER].run_outbox()
    await bot.app[RUNNER].run_outbox()
    prompts = [s for s in fake.sent if s.conversation_id == "a:personal-29:host"]
    assert len([p for p in prompts if "Netværksmøde 1" in str(p.activity)]) == 1
    assert len([s for s in fake.sent if s.conversation_id == act.TEAM_ID]) == len(channel_posts)
