"""The D-7 reminder over HTTP against a fake Bot Connector: the silent municipalities' seat
holders are @mentioned in the channel post in the shape Teams documents, and each gets the
reminder in a 1:1 chat (opened by the bot where none exists), once.

Shapes: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
(mentions) and .../send-proactive-messages (creating the 1:1 chat).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from netpuls.wiring import RUNNER
from services import cadence
from tests.conftest import FixedClock
from tests.contracts import load
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel
from tests.support.http import post_activity as post
from tests.support.sparring import EMAILS, sparring_network

D7 = FixedClock(datetime(2024, 3, 7, 8, 5, tzinfo=UTC))  # 09:05 in Denmark, meeting 1 is the 14th


def who(url: str, user: str, *, channel: bool = False) -> dict[str, Any]:
    make = act.channel if channel else act.personal
    return make(url, user_id=user, aad=None, name=EMAILS[user])


async def test_the_silent_are_mentioned_in_the_channel_and_reminded_in_a_personal_chat_once(
    start_bot: BotStarter, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    bot = await start_bot(EMAILS, network=sparring_network(), clock=D7)
    for member in fake.members.values():  # the team's roster as Teams pages it
        member["tenantId"] = act.TENANT
        member["userPrincipalName"] = member["email"]
    await link_channel(bot, who(url, "29:fac", channel=True))
    await post(bot, act.message(who(url, "29:koege"), "hjælp"))  # a chat with Køge's planner
    async with uow_factory() as uow:  # ... who is known by their Teams id
        await uow.people.remember_teams_ids(
            "planner.koege@example.org", teams_user_id="29:koege", aad_object_id=None
        )
        await uow.commit()
    await cadence.sync_all(uow_factory)
    for _ in range(2):  # a second pass (or replica) sends nothing twice
        await bot.app[RUNNER].run_steps()
        await bot.app[RUNNER].run_outbox()
        await bot.app[RUNNER].run_outbox()
    (reminder,) = [
        s.activity
        for s in fake.sent
        if s.conversation_id == act.TEAM_ID and "Påmindelse" in str(s.activity.get("text"))
    ]
    assert "Køge Kommune (<at>Planlægger Køge</at>)" in reminder["text"]
    documented = load("teams", "message-outbound-mention")["entities"][0]
    (entity,) = reminder["entities"]
    assert set(entity) == set(documented) and set(entity["mentioned"]) <= {"id", "name"}
    assert entity == {
        "type": "mention",
        "text": "<at>Planlægger Køge</at>",
        "mentioned": {"id": "29:koege", "name": "Planlægger Køge"},
    }
    personal = [s for s in fake.sent if "Vi har ikke hørt fra" in str(s.activity.get("text"))]
    koege = [s for s in personal if s.conversation_id == "a:personal-29:koege"]
    opened = [s for s in personal if s.conversation_id.startswith("a:created-")]
    assert len(koege) == 1 and "Køge Kommune" in koege[0].activity["text"]
    # Chats were opened for those without one (organisers get theirs for skipped-step notices).
    created = {m["id"] for c in fake.created for m in c["members"]}
    assert {"29:host", "29:odense"} <= created and "29:koege" not in created
    assert len(opened) == 2  # Odense's planner and host contact, each in a chat opened for them
    assert len(personal) == 3
    told = [s for s in fake.sent if "der er sprunget over:" in str(s.activity.get("text"))]
    assert told and len(told) == len({s.conversation_id for s in told})  # one per organiser
