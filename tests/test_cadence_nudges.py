"""The D-7 reminder reaches the seat holders of the municipalities that have not answered: each
in a personal chat (opened by the outbox where none is stored), and @mentioned in the channel
post; exactly once, whatever the number of runs, workers and restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.teams.notifier import to_activity
from domain.model import ConversationKind, ConversationRef, person_to_reach
from services import cadence, outbox
from services.ports import Mention, Outbound
from tests.conftest import FixedClock
from tests.contracts import load
from tests.fakes import FakeSender
from tests.test_cadence import CHANNEL, odense_attends, prepared, render

NET = "kompakte-groenne-byer"
D7 = datetime(2024, 3, 7, 8, tzinfo=UTC)  # 09:00 in Denmark, a week before meeting 1
AALBORG = "planlaegger.aalborg@example.org"
ODENSE = "planlaegger.odense@example.org"
KOEGE = "planlaegger.koege@example.org"
KOEGE_CHAT = ConversationRef(
    conversation_id="a:koege",
    kind=ConversationKind.PERSONAL,
    service_url="http://127.0.0.1:9/",
    channel_id="msteams",
    user_id="29:koege",
)


async def with_odense_answered(uow_factory: Any) -> None:
    await prepared(uow_factory)
    async with uow_factory() as uow:
        await uow.conversations.save(KOEGE_CHAT)
        await uow.people.remember_teams_ids(AALBORG, teams_user_id="29:aalborg", aad_object_id=None)
        await uow.people.remember_teams_ids(KOEGE, teams_user_id="29:koege", aad_object_id=None)
        await odense_attends(uow)
        await uow.commit()


async def run(uow_factory: Any, worker: str, sender: FakeSender, clock: FixedClock) -> None:
    await cadence.run_due(uow_factory, clock, render, worker, timedelta(hours=24))
    await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)


async def test_the_reminder_mentions_the_silent_seat_holders_in_the_channel(
    uow_factory: Any,
) -> None:
    await with_odense_answered(uow_factory)
    sender = FakeSender()
    await run(uow_factory, "w", sender, FixedClock(D7))
    (post,) = [m for c, m in sender.delivered if c == CHANNEL.conversation_id]
    assert "Aalborg Kommune (<at>Planlægger, Aalborg</at>)" in post.text
    assert "Køge Kommune (<at>Planlægger, Køge</at>)" in post.text
    assert "Roskilde Kommune" in post.text  # silent, no Teams id known: named, not mentioned
    assert "Odense" not in post.text
    assert set(post.mentions) == {
        Mention("29:aalborg", "Planlægger, Aalborg"),
        Mention("29:koege", "Planlægger, Køge"),
    }


async def test_each_silent_seat_holder_gets_the_reminder_personally_and_those_who_answered_not(
    uow_factory: Any,
) -> None:
    await with_odense_answered(uow_factory)
    sender = FakeSender()
    await run(uow_factory, "w", sender, FixedClock(D7))
    (mine,) = [m for c, m in sender.delivered if c == KOEGE_CHAT.conversation_id]
    assert mine.text.startswith("Vi har ikke hørt fra Køge Kommune om møde 1 i Kompakte")
    async with uow_factory() as uow:
        to_open = {
            person_to_reach(d.conversation_id)
            for d in await uow.outbox.listing(NET, ("pending", "waiting"))
        }
        municipalities = await uow.networks.municipalities(NET)
    assert AALBORG in to_open and ODENSE not in to_open and KOEGE not in to_open
    assert len(to_open) == len(municipalities) - 2  # Odense answered; Køge's chat was open


async def test_the_reminder_goes_out_once_across_runs_workers_and_a_restart(
    uow_factory: Any,
) -> None:
    await with_odense_answered(uow_factory)
    sender = FakeSender()
    await run(uow_factory, "w1", sender, FixedClock(D7))
    async with uow_factory() as uow:
        queued = await uow.outbox.listing(NET, ("pending", "waiting", "sent"))
    for worker, minutes in (("w1", 1), ("w2", 2), ("after-restart", 30)):
        await run(uow_factory, worker, sender, FixedClock(D7 + timedelta(minutes=minutes)))
    async with uow_factory() as uow:
        again = await uow.outbox.listing(NET, ("pending", "waiting", "sent"))
    assert sorted(d.key for d in again) == sorted(d.key for d in queued)
    assert len([c for c, _ in sender.delivered if c == CHANNEL.conversation_id]) == 1
    assert len([c for c, _ in sender.delivered if c == KOEGE_CHAT.conversation_id]) == 1


def test_a_mention_is_sent_in_the_shape_teams_documents() -> None:
    documented = load("teams", "message-outbound-mention")
    (entity,) = documented["entities"]
    name, teams_id = entity["mentioned"]["name"], entity["mentioned"]["id"]
    message = Outbound(text=f"Hello <at>{name}</at>", mentions=(Mention(teams_id, name),))
    sent = to_activity(message).serialize()
    assert sent["text"] == documented["text"]
    assert sent["entities"] == documented["entities"]
