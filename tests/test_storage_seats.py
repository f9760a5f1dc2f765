"""Seats, the welcome and declared calls on real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.membership import Call
from domain.model import ConversationKind, ConversationRef
from domain.seats import SeatPerson, SeatRole
from services import admission, declared_calls, membership, outbox, seats
from services.membership import CallState
from services.network_file import NetworkFileError, parse_network_file
from services.networks import Actor, import_network
from services.ports import Outbound
from services.welcome import Welcome
from tests.conftest import FixedClock
from tests.fakes import FakeSender
from tests.support import applications as ex
from tests.support.networks import SMALL
from tests.support.sparring import personal_ref


class Roster:
    async def email_of(self, teams_user_id: str) -> str | None:
        return teams_user_id.removeprefix("29:")


SECRETARIAT = Actor(teams_user_id=f"29:{ex.PLAN22_SECRETARIAT}")
CHANNEL = ConversationRef(
    conversation_id="19:plan22@thread.tacv2",
    kind=ConversationKind.CHANNEL,
    service_url="http://127.0.0.1:9/",
    channel_id="msteams",
)


def welcome_text(found: Welcome) -> Outbound:
    return Outbound(
        text=f"{found.language}|{found.municipality_name}|{len(found.meetings)}|{found.network.slug}"
    )


def announce(state: CallState) -> Outbound:
    return Outbound(text=f"call {state.network.slug} until {state.closes_at:%Y-%m-%d}")


async def test_seat_people_are_stored_in_order_replaced_and_released(uow_factory: Any) -> None:
    await import_network(uow_factory(), ex.plan22())
    clock = FixedClock(ex.PLAN22_NOW)
    await seats.change_seat(
        uow_factory(), clock, "a:x", SECRETARIAT, Roster(),
        municipality="koege", action=seats.SeatAction.ADD, email="kim@example.org", name="Kim",
    )  # fmt: skip
    async with uow_factory() as uow:
        stored = await uow.membership.seat_people(ex.PLAN22, "koege")
        kim = await uow.people.find(email="kim@example.org")
    assert stored == [
        SeatPerson("planlaegger.koege@example.org", "Planlægger, Køge", SeatRole.HOLDER, True),
        SeatPerson("kim@example.org", "Kim", SeatRole.COLLEAGUE, False),
    ]
    assert kim is not None and kim.municipality == "koege"
    await seats.change_seat(
        uow_factory(), clock, "a:x", SECRETARIAT, Roster(),
        municipality="koege", action=seats.SeatAction.REMOVE, email="KIM@example.org",
    )  # fmt: skip
    async with uow_factory() as uow:
        assert [p.email for p in await uow.membership.seat_people(ex.PLAN22, "koege")] == [
            "planlaegger.koege@example.org"
        ]
        kim = await uow.people.find(email="kim@example.org")
        assert kim is not None and kim.municipality is None
        assert await uow.people.roles("kim@example.org", ex.PLAN22) == frozenset()
        audit = await uow.audit.entries(ex.PLAN22)
    assert [e.action for e in audit] == ["seat_add", "seat_remove"]


async def admitted_with_welcome(uow_factory: Any) -> tuple[FixedClock, Any]:
    await import_network(uow_factory(), ex.plan22())
    clock = FixedClock(ex.PLAN22_NOW)
    await membership.open_call(uow_factory(), clock, "a:x", SECRETARIAT, Roster(), "2024-02-24")
    async with uow_factory() as uow:
        for user in ("29:esbjerg", "29:randers"):
            await uow.conversations.save(personal_ref(user))
        await uow.preferences.set_language("29:randers", "sv")
        await uow.commit()
    randers = ex.form("Randers Kommune", "Region Midtjylland", themes="2")
    for user, data in (
        ("29:esbjerg", ex.form()),
        ("29:randers", randers),
        ("29:vejen", ex.form("Vejen Kommune")),
    ):
        await membership.submit_application(
            uow_factory(), clock, ex.PLAN22, Actor(teams_user_id=user), data
        )
    clock.current = datetime(2024, 2, 26, 9, tzinfo=UTC)
    decided = await admission.confirm_selection(
        uow_factory(), clock, ex.PLAN22, "esbjerg,randers,vejen", SECRETARIAT, Roster(),
        welcome=welcome_text,
    )  # fmt: skip
    return clock, decided


async def test_admitted_applicants_get_one_welcome_each_in_their_language_through_the_outbox(
    uow_factory: Any,
) -> None:
    clock, decided = await admitted_with_welcome(uow_factory)
    assert len(decided.admitted) == 3
    sender = FakeSender()
    await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
    assert sorted((c, m.text) for c, m in sender.delivered) == [
        ("a:personal-29:esbjerg", f"da|Esbjerg Kommune|9|{ex.PLAN22}"),
        ("a:personal-29:randers", f"sv|Randers Kommune|9|{ex.PLAN22}"),
    ]  # Vejen has no personal chat with the bot: the secretariat is told instead
    again = await admission.confirm_selection(
        uow_factory(), clock, ex.PLAN22, "esbjerg,randers,vejen", SECRETARIAT, Roster(),
        welcome=welcome_text,
    )  # fmt: skip
    assert again.already
    assert (await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)).sent == 0
    async with uow_factory() as uow:
        holders = await uow.membership.seat_people(ex.PLAN22, "esbjerg")
    assert holders == [
        SeatPerson(
            "planchef.esbjerg@example.org", "Planchef, Esbjerg Kommune", SeatRole.HOLDER, True
        )
    ]


DECLARED = SMALL.replace(
    "  name: Kompakte, grønne byer\n",
    "  name: Kompakte, grønne byer\n  call: {opens: 2024-01-08, deadline: 2024-01-31}\n",
)


def test_the_network_file_declares_when_the_call_opens_and_closes() -> None:
    declared = parse_network_file(DECLARED, name="small.yaml", today=date(2024, 1, 1))
    assert declared.network.call_opens == date(2024, 1, 8)
    assert declared.network.registration_deadline == date(2024, 1, 31)
    backwards = DECLARED.replace("deadline: 2024-01-31", "deadline: 2024-01-02")
    with pytest.raises(NetworkFileError) as refused:
        parse_network_file(backwards, name="small.yaml", today=date(2024, 1, 1))
    assert refused.value.field == "network.call.deadline"


async def declared_network(uow_factory: Any) -> None:
    assert "call:" in DECLARED
    await import_network(
        uow_factory(), parse_network_file(DECLARED, name="small.yaml", today=date(2024, 1, 1))
    )
    async with uow_factory() as uow:
        await uow.conversations.save(CHANNEL)
        await uow.conversations.link(CHANNEL.conversation_id, ex.PLAN22)
        await uow.commit()


async def test_a_declared_call_opens_by_itself_at_its_day_and_is_announced_once(
    uow_factory: Any,
) -> None:
    await declared_network(uow_factory)
    sender = FakeSender()
    opening = datetime(2024, 1, 8, 8, tzinfo=UTC)  # 09:00 in Copenhagen
    for minutes in (-61, -1, 0, 1, 60, 60 * 24 * 5):  # a scheduler tick now and then
        clock = FixedClock(opening + timedelta(minutes=minutes))
        await declared_calls.open_declared_calls(uow_factory, clock, announce)
        await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
        if minutes < 0:
            assert sender.delivered == []
            async with uow_factory() as uow:
                assert await uow.membership.call(ex.PLAN22) is None
    assert sender.delivered == [
        (CHANNEL.conversation_id, Outbound(text=f"call {ex.PLAN22} until 2024-01-31"))
    ]
    async with uow_factory() as uow:
        call = await uow.membership.call(ex.PLAN22)
    assert call is not None and call.opened_at == opening and call.deadline == date(2024, 1, 31)
    form = await membership.application_form(
        uow_factory(),
        FixedClock(opening + timedelta(days=1)),
        "a:x",
        Actor(teams_user_id="29:a"),
        None,
        ex.PLAN22,
    )
    assert form.state.open


async def test_two_replicas_and_a_restart_open_and_announce_the_call_once(
    uow_factory: Any,
) -> None:
    await declared_network(uow_factory)
    clock = FixedClock(datetime(2024, 1, 9, 12, tzinfo=UTC))  # the bot was down on the day
    queued = await asyncio.gather(
        declared_calls.open_declared_calls(uow_factory, clock, announce),
        declared_calls.open_declared_calls(uow_factory, clock, announce),
    )
    assert sorted(queued) == [0, 1]
    assert await declared_calls.open_declared_calls(uow_factory, clock, announce) == 0  # restart
    sender = FakeSender()
    await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
    assert len(sender.delivered) == 1


async def test_a_call_the_secretariat_opened_or_closed_is_left_alone(uow_factory: Any) -> None:
    await declared_network(uow_factory)
    before = FixedClock(datetime(2024, 1, 5, 12, tzinfo=UTC))
    async with uow_factory() as uow:
        await uow.membership.save_call(ex.PLAN22, Call(date(2024, 1, 20), before.now()), by="sek")
        await uow.commit()
    later = FixedClock(datetime(2024, 1, 8, 9, tzinfo=UTC))
    assert await declared_calls.open_declared_calls(uow_factory, later, announce) == 0
    async with uow_factory() as uow:
        call = await uow.membership.call(ex.PLAN22)
    assert call is not None and call.deadline == date(2024, 1, 20)  # theirs stands


async def test_a_declared_call_long_past_is_not_opened(uow_factory: Any) -> None:
    await declared_network(uow_factory)
    late = FixedClock(datetime(2024, 2, 2, 12, tzinfo=UTC))
    assert await declared_calls.open_declared_calls(uow_factory, late, announce) == 0
    async with uow_factory() as uow:
        assert await uow.membership.call(ex.PLAN22) is None
