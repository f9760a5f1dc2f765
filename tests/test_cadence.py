"""The cadence: the plan (pure), and a simulated year run against real databases."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.features.cadence.messages import cadence_renderer
from domain.cadence import StepKind, plan
from domain.model import (
    ConversationKind,
    ConversationRef,
    chat_to_open,
    person_to_reach,
)
from domain.roster import TeamMember
from services import cadence, outbox
from services.network_file import NetworkFileError, load_network_file, parse_network_file
from services.networks import import_network
from services.ports import DeliveryResult, DeliveryStatus, NewDelivery, Outbound
from services.reach import Reach
from tests.conftest import EXAMPLES, FixedClock
from tests.fakes import FakeSender
from tests.support.cadence_messages import step_messages
from tests.support.networks import SMALL

CPH = ZoneInfo("Europe/Copenhagen")
PLAN22 = EXAMPLES / "plan22-kompakte-groenne-byer.yaml"
CHANNEL = ConversationRef(
    conversation_id="19:plan22@thread.tacv2",
    kind=ConversationKind.CHANNEL,
    service_url="http://127.0.0.1:9/",
    channel_id="msteams",
)
FACILITATOR_CHAT = ConversationRef(
    conversation_id="a:facilitator",
    service_url="http://127.0.0.1:9/",
    kind=ConversationKind.PERSONAL,
    channel_id="msteams",
    user_id="29:facilitator",
)
# An hour after D-1 of meeting 1: the practical information, a single channel post (the D-7
# reminder also goes to every silent seat holder personally; D-2 is past the grace window).
ONE_POST = datetime(2024, 3, 13, 9, tzinfo=UTC)
render = cadence_renderer(
    step_messages(lambda state: Outbound(text=f"agenda card {state.meeting.number}"))
)


def plan22() -> Any:
    return load_network_file(PLAN22, today=date(2024, 1, 1))


def test_steps_run_at_nine_local_time_across_daylight_saving() -> None:
    declared = plan22()
    steps = plan(declared.network, list(declared.meetings))
    assert {s.due.astimezone(CPH).strftime("%H:%M") for s in steps} == {"09:00"}
    summer = next(s for s in steps if s.key == "kompakte-groenne-byer:agenda:m2")
    winter = next(s for s in steps if s.key == "kompakte-groenne-byer:rsvp_reminder:m4")
    assert summer.due.utcoffset() == timedelta(hours=2)
    assert winter.due.utcoffset() == timedelta(hours=1)


def test_the_plan_covers_the_whole_two_year_calendar() -> None:
    declared = plan22()
    steps = plan(declared.network, list(declared.meetings))
    meeting_steps = [s for s in steps if s.meeting is not None]
    assert len(meeting_steps) == 9 * 8 - 4 - 2  # meeting 1 skips four, the study trip two
    (final,) = [s for s in steps if s.kind is StepKind.FINAL_EVALUATION]
    last = max(m.day for m in declared.meetings)
    assert final.due.date() == last + timedelta(days=7)
    assert steps[0].due.date() >= declared.network.starts_on
    pulses = [s for s in steps if s.kind is StepKind.PULSE]
    themes = [s.theme for s in pulses]
    assert themes[:8] == list(declared.network.themes)  # each theme once before any repeats
    meeting_weeks = {m.day.isocalendar()[:2] for m in declared.meetings}
    assert all(s.due.date().isocalendar()[:2] not in meeting_weeks for s in pulses)


def test_a_step_before_the_network_starts_is_an_import_error() -> None:
    text = SMALL.replace("period: {start: 2024-01-01", "period: {start: 2024-03-01")
    with pytest.raises(NetworkFileError) as refused:
        parse_network_file(text, name="small.yaml", today=date(2024, 3, 1))
    assert refused.value.field == "meetings[0].date"
    assert "skip: [host_prompt, call_for_cases, agenda, material_pack]" in refused.value.message


async def prepared(uow_factory: Any) -> Any:
    declared = plan22()
    await import_network(uow_factory(), declared)
    async with uow_factory() as uow:
        await uow.conversations.save(CHANNEL)
        await uow.conversations.save(FACILITATOR_CHAT)
        await uow.conversations.link(CHANNEL.conversation_id, "kompakte-groenne-byer")
        await uow.people.remember_teams_ids(
            "facilitator@example.org", teams_user_id="29:facilitator", aad_object_id=None
        )
        await uow.commit()
    await cadence.sync_all(uow_factory)
    return declared


async def run_year(
    uow_factory: Any, sender: FakeSender, worker: str, due_times: list[datetime]
) -> list[str]:
    done: list[str] = []
    keys: list[str] = []
    for when in due_times:
        clock = FixedClock(when)
        report = await cadence.run_due(uow_factory, clock, render, worker, timedelta(hours=24))
        done += report.done
        keys += (await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)).ids
    assert len(keys) == len(set(keys))
    return done


async def test_a_simulated_year_posts_every_step_once_in_order_at_local_time(
    uow_factory: Any,
) -> None:
    declared = await prepared(uow_factory)
    steps = plan(declared.network, list(declared.meetings))
    sender = FakeSender()
    times = sorted({s.due for s in steps})
    done = await run_year(uow_factory, sender, "replica-1", times)
    again = await run_year(uow_factory, sender, "replica-2", times)  # a second replica, late
    assert again == []
    # Every step runs, the final evaluation too: people without a personal chat get one
    # opened by the outbox (not here: no Connector, so their messages wait for them).
    assert done == [s.key for s in steps]
    async with uow_factory() as uow:
        net = "kompakte-groenne-byer"
        failed = await uow.outbox.listing(net, ("failed", "blocked", "unconfirmed", "pending"))
        waiting = await uow.outbox.listing(net, ("waiting",))
        sent = await uow.outbox.listing(net, ("sent",))
    assert failed == []
    assert len(sent) == len(sender.delivered)
    assert waiting and all(person_to_reach(d.conversation_id) for d in waiting)
    assert all(person_to_reach(c) is None for c, _ in sender.delivered)
    agenda_posts = [
        t for c, t in ((c, m.text) for c, m in sender.delivered) if t.startswith("agenda card")
    ]
    agendas = [s.meeting for s in steps if s.kind is StepKind.AGENDA]
    assert agenda_posts == [f"agenda card {n}" for n in agendas]
    assert agendas == [2, 3, 4, 5, 9, 6, 7, 8]  # the study trip (9) is in May 2025


async def test_missed_steps_beyond_the_grace_window_are_skipped_not_sent(uow_factory: Any) -> None:
    await prepared(uow_factory)
    late = FixedClock(datetime(2024, 6, 10, 12, tzinfo=UTC))
    report = await cadence.run_due(uow_factory, late, render, "w", timedelta(hours=24))
    assert report.done == []
    assert all(reason.startswith("missed") for _, reason in report.skipped)
    assert "kompakte-groenne-byer:follow_up:m2" in [k for k, _ in report.skipped]


async def test_a_failed_delivery_is_retried_after_retry_after_and_a_blocked_one_stops(
    uow_factory: Any,
) -> None:
    await prepared(uow_factory)
    when = datetime(2024, 3, 7, 8, tzinfo=UTC)  # D-7 of meeting 1: the reminder
    clock = FixedClock(when)
    sender = FakeSender(
        {CHANNEL.conversation_id: DeliveryResult(DeliveryStatus.RETRY, retry_after=30, error="429")}
    )
    await cadence.run_due(uow_factory, clock, render, "w", timedelta(hours=24))
    first = await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
    assert (first.sent, first.retried) == (0, 1)
    assert (await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)).sent == 0
    later = FixedClock(when + timedelta(seconds=31))
    assert (await outbox.deliver_due(uow_factory, later, sender, max_attempts=6)).sent == 1
    assert "vi har ikke hørt fra Aalborg Kommune" in sender.delivered[0][1].text  # in Danish


async def test_a_delivery_interrupted_mid_send_is_held_not_resent(uow_factory: Any) -> None:
    await prepared(uow_factory)
    when = ONE_POST
    await cadence.run_due(uow_factory, FixedClock(when), render, "w", timedelta(hours=24))
    async with uow_factory() as uow:  # a worker hands it to the Connector, then dies
        (claimed,) = await uow.outbox.claim_due(when, 120, 10)
        assert await uow.outbox.mark_sending(claimed.id, when)
        await uow.commit()
    sender = FakeSender()
    later = FixedClock(when + timedelta(minutes=5))
    assert (await outbox.deliver_due(uow_factory, later, sender, max_attempts=6)).sent == 0
    async with uow_factory() as uow:
        (held,) = await uow.outbox.listing("kompakte-groenne-byer", ("unconfirmed",))
        assert held.id == claimed.id
        assert await uow.outbox.requeue(held.id, later.now())
        await uow.commit()
    assert (await outbox.deliver_due(uow_factory, later, sender, max_attempts=6)).sent == 1


async def test_a_claim_whose_worker_died_before_sending_is_retried_without_a_human(
    uow_factory: Any,
) -> None:
    await prepared(uow_factory)
    when = ONE_POST
    await cadence.run_due(uow_factory, FixedClock(when), render, "w", timedelta(hours=24))
    async with uow_factory() as uow:  # a worker claims it, then dies before handing it over
        (claimed,) = await uow.outbox.claim_due(when, 120, 10)
        await uow.commit()
    sender = FakeSender()
    during = FixedClock(when + timedelta(seconds=60))  # the lease still holds: nobody takes it
    assert (await outbox.deliver_due(uow_factory, during, sender, max_attempts=6)).sent == 0
    later = FixedClock(when + timedelta(minutes=5))
    assert (await outbox.deliver_due(uow_factory, later, sender, max_attempts=6)).sent == 1
    async with uow_factory() as uow:
        assert not await uow.outbox.listing(None, ("unconfirmed",))
        (sent,) = await uow.outbox.listing(None, ("sent",))
    assert sent.id == claimed.id
    assert sent.attempts == 1  # the claim that never left was not an attempt


class StuckOpener:
    """Opens personal chats; while `stuck`, the first call never returns (the process dies
    there)."""

    def __init__(self) -> None:
        self.stuck = True
        self.entered = asyncio.Event()

    async def open_chat(self, via: ConversationRef, teams_user_id: str) -> ConversationRef:
        if self.stuck:
            self.entered.set()
            await asyncio.Event().wait()
        return dataclasses.replace(
            via, conversation_id=f"a:opened-{teams_user_id}", kind=ConversationKind.PERSONAL
        )

    async def team_members(self, via: ConversationRef) -> list[TeamMember]:
        return []


async def test_a_worker_that_dies_while_opening_a_personal_chat_leaves_the_message_retryable(
    uow_factory: Any,
) -> None:
    await prepared(uow_factory)
    when = datetime(2024, 3, 7, 8, tzinfo=UTC)
    person = "planlaegger.odense@example.org"
    async with uow_factory() as uow:
        await uow.people.remember_teams_ids(person, teams_user_id="29:odense", aad_object_id=None)
        item = NewDelivery("personal|odense", chat_to_open(person, CHANNEL), Outbound(text="Hej"))
        assert (
            await uow.outbox.enqueue(
                [dataclasses.replace(item, network="kompakte-groenne-byer")], when
            )
            == 1
        )
        await uow.commit()
    opener, sender = StuckOpener(), FakeSender()
    reach = Reach(chats=opener, notice=lambda p, n: Outbound(text="@"))
    dying = asyncio.create_task(
        outbox.deliver_due(uow_factory, FixedClock(when), sender, max_attempts=6, reach=reach)
    )
    await opener.entered.wait()
    dying.cancel()  # the process is gone while Teams was asked for the chat
    with contextlib.suppress(asyncio.CancelledError):
        await dying
    opener.stuck = False
    later = FixedClock(when + timedelta(minutes=5))  # the lease has run out
    report = await outbox.deliver_due(uow_factory, later, sender, max_attempts=6, reach=reach)
    assert report.sent == 1
    assert sender.delivered == [("a:opened-29:odense", Outbound(text="Hej"))]
    async with uow_factory() as uow:
        assert not await uow.outbox.listing(None, ("unconfirmed",))


async def test_a_claim_whose_lease_ran_out_is_not_sent_by_its_first_worker(
    uow_factory: Any,
) -> None:
    await prepared(uow_factory)
    when = ONE_POST
    await cadence.run_due(uow_factory, FixedClock(when), render, "w", timedelta(hours=24))
    async with uow_factory() as uow:  # a slow worker's claim runs out before it sends
        (claimed,) = await uow.outbox.claim_due(when, 120, 10)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.outbox.mark_sending(claimed.id, when + timedelta(minutes=3))
        await uow.commit()


async def test_a_moved_meeting_moves_its_steps(uow_factory: Any) -> None:
    declared = await prepared(uow_factory)
    moved = dataclasses.replace(declared.meetings[1], day=date(2024, 6, 6))
    await import_network(
        uow_factory(),
        dataclasses.replace(
            declared, meetings=(declared.meetings[0], moved, *declared.meetings[2:])
        ),
    )
    await cadence.sync_all(uow_factory)
    async with uow_factory() as uow:
        steps = await uow.cadence.upcoming(
            "kompakte-groenne-byer",
            datetime(2024, 5, 1, tzinfo=UTC),
            datetime(2024, 7, 1, tzinfo=UTC),
        )
    agenda = next(s for s in steps if s.key == "kompakte-groenne-byer:agenda:m2")
    assert agenda.due.astimezone(CPH) == datetime(2024, 5, 16, 9, tzinfo=CPH)


async def test_a_message_held_back_by_our_own_rate_limit_never_uses_up_its_attempts(
    uow_factory: Any,
) -> None:
    await prepared(uow_factory)
    when = ONE_POST
    await cadence.run_due(uow_factory, FixedClock(when), render, "w", timedelta(hours=24))
    for minute in range(1, 9):  # more passes than max_attempts, each held back
        sender = FakeSender(
            {
                CHANNEL.conversation_id: DeliveryResult(
                    DeliveryStatus.RETRY, retry_after=1, error="held", attempted=False
                )
            }
        )
        late = FixedClock(when + timedelta(minutes=minute))
        assert (await outbox.deliver_due(uow_factory, late, sender, max_attempts=3)).failed == 0
    sender = FakeSender()
    done = await outbox.deliver_due(
        uow_factory, FixedClock(when + timedelta(minutes=10)), sender, max_attempts=3
    )
    assert done.sent == 1


async def odense_attends(uow: Any) -> None:
    """Odense's planner has a confirmed seat at meeting 1 (answered two days before D-7)."""
    from domain.rsvp import Answer, Rsvp, Standing

    await uow.rsvps.save(
        "kompakte-groenne-byer",
        1,
        Rsvp(
            person="planlaegger.odense@example.org",
            person_name="Planlægger",
            municipality="odense",
            municipality_name="Odense Kommune",
            answer=Answer.ATTENDING,
            standing=Standing.CONFIRMED,
            answered_at=datetime(2024, 3, 5, tzinfo=UTC),
        ),
        changed_by="test",
        at=datetime(2024, 3, 5, tzinfo=UTC),
    )


async def test_after_a_meeting_attendees_get_the_evaluation_card_once(uow_factory: Any) -> None:
    await prepared(uow_factory)
    planner = ConversationRef(
        conversation_id="a:odense",
        kind=ConversationKind.PERSONAL,
        service_url="http://127.0.0.1:9/",
        channel_id="msteams",
        user_id="29:odense",
    )
    async with uow_factory() as uow:
        await uow.conversations.save(planner)
        await uow.people.remember_teams_ids(
            "planlaegger.odense@example.org", teams_user_id="29:odense", aad_object_id=None
        )
        await odense_attends(uow)
        await uow.commit()
    follow_up = FixedClock(datetime(2024, 3, 15, 8, tzinfo=UTC))  # D+1, 09:00 in Denmark
    sender = FakeSender()
    for _ in range(2):
        await cadence.run_due(uow_factory, follow_up, render, "w", timedelta(hours=24))
        await outbox.deliver_due(uow_factory, follow_up, sender, max_attempts=6)
    cards = [m for c, m in sender.delivered if c == "a:odense"]
    assert len(cards) == 1 and cards[0].card is not None


async def test_the_summary_reminder_comes_every_three_days_at_most_three_times(
    uow_factory: Any,
) -> None:
    from bot.features.cadence.messages import summary_reminder

    await prepared(uow_factory)
    sender = FakeSender()
    ended = datetime(2024, 3, 15, 9, tzinfo=UTC)  # meeting 1 ended the day before
    for day in range(0, 12):
        for _ in range(2):  # two replicas' timers in the same hour
            clock = FixedClock(ended + timedelta(days=day))
            await cadence.enqueue_summary_reminders(uow_factory, clock, summary_reminder)
            await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
    reminders = [m.text for c, m in sender.delivered if "opsamling 1" in m.text]
    assert len(reminders) == 3
    assert reminders[0].startswith("Opsamlingen fra møde 1")
