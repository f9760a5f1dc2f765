"""RSVPs on real databases (SQLite and PostgreSQL), concurrency included."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text

from domain.model import Person, RoleKind
from domain.rsvp import Answer, SeatTaken, Standing
from services import rsvp
from services.network_file import load_network_file
from services.networks import Actor, import_network
from storage.rsvps import MeetingQueues
from storage.uow import _meeting_queues
from tests.conftest import EXAMPLES, FixedClock

SLUG = "kompakte-groenne-byer"
KEY = f"{SLUG}:1"
CLOCK = FixedClock(datetime(2024, 3, 1, 12, tzinfo=UTC))


class Roster:
    """Teams user id '29:<e-mail>' -> e-mail, as the Teams roster would answer."""

    async def email_of(self, teams_user_id: str) -> str | None:
        return teams_user_id.removeprefix("29:")


async def plan22_with_colleagues(uow_factory: Any) -> list[tuple[str, str]]:
    """Import Plan22+ with a second planner in every municipality; (planner, colleague) pairs."""
    declared = load_network_file(
        EXAMPLES / "plan22-kompakte-groenne-byer.yaml", today=date(2024, 3, 1)
    )
    planners = [p for p in declared.people if p.municipality and RoleKind.PARTICIPANT in p.roles]
    colleagues = [
        Person(
            key=f"kollega.{p.municipality}@example.org",
            name=f"Kollega {p.name}",
            email=f"kollega.{p.municipality}@example.org",
            municipality=p.municipality,
            roles=frozenset({RoleKind.PARTICIPANT}),
        )
        for p in planners
    ]
    await import_network(
        uow_factory(), dataclasses.replace(declared, people=(*declared.people, *colleagues))
    )
    return [(p.key, c.key) for p, c in zip(planners, colleagues, strict=True)]


async def answer(uow_factory: Any, email: str, what: str = "attending") -> object:
    try:
        return await rsvp.respond(
            uow_factory(), CLOCK, KEY, Actor(teams_user_id=f"29:{email}"), Roster(), what
        )
    except SeatTaken as refused:
        return refused


async def test_25_municipalities_answering_at_once_leave_exact_counts(uow_factory: Any) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    assert len(pairs) == 25
    await asyncio.gather(*(answer(uow_factory, planner) for planner, _ in pairs))
    state = await rsvp.meeting_state(uow_factory(), CLOCK, KEY)
    assert len(state.rsvps) == 25
    assert all(r.standing is Standing.CONFIRMED for r in state.rsvps)


async def test_two_colleagues_racing_for_one_seat_leave_exactly_one_holder(
    uow_factory: Any,
) -> None:
    pairs = (await plan22_with_colleagues(uow_factory))[:10]
    results = await asyncio.gather(*(answer(uow_factory, who) for pair in pairs for who in pair))
    refused = [r for r in results if isinstance(r, SeatTaken)]
    state = await rsvp.meeting_state(uow_factory(), CLOCK, KEY)
    holders = [r for r in state.rsvps if r.answer is Answer.ATTENDING]
    assert len(refused) == 10 and len(holders) == 10
    assert len({r.municipality for r in holders}) == 10


async def test_every_change_is_kept_with_from_and_to(uow_factory: Any) -> None:
    (planner, _), *_ = await plan22_with_colleagues(uow_factory)
    await answer(uow_factory, planner, "maybe")
    await answer(uow_factory, planner, "attending")
    await answer(uow_factory, planner, "not_attending")
    async with uow_factory() as uow:
        history = await uow.rsvps.history(SLUG, 1, planner)
    assert history == [(None, "maybe"), ("maybe", "attending"), ("attending", "not_attending")]


async def test_the_agenda_card_is_remembered_per_conversation(uow_factory: Any) -> None:
    await plan22_with_colleagues(uow_factory)
    async with uow_factory() as uow:
        await uow.posted.remember("agenda", SLUG, 1, "19:c@thread", "act-1")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.posted.get("agenda", SLUG, 1, "19:c@thread") == "act-1"
        assert await uow.posted.where("agenda", SLUG, 1) == [("19:c@thread", "act-1")]
        assert await uow.posted.get("agenda", SLUG, 2, "19:c@thread") is None


async def test_answers_come_back_whole_and_in_the_order_they_were_given(uow_factory: Any) -> None:
    (first, _), (second, _), *_ = await plan22_with_colleagues(uow_factory)
    later = FixedClock(datetime(2024, 3, 1, 13, tzinfo=UTC))
    await rsvp.respond(
        uow_factory(),
        later,
        KEY,
        Actor(teams_user_id=f"29:{first}"),
        Roster(),
        "attending",
        "vegetarian",
        "arriving at 10:30",
    )
    await answer(uow_factory, second)  # an hour earlier on the clock: listed first
    state = await rsvp.meeting_state(uow_factory(), CLOCK, KEY)
    assert [r.person for r in state.rsvps] == [second, first]
    mine = state.rsvps[1]
    assert (mine.answer, mine.standing) == (Answer.ATTENDING, Standing.CONFIRMED)
    assert (mine.dietary, mine.note) == ("vegetarian", "arriving at 10:30")
    assert mine.answered_at.replace(tzinfo=UTC) == datetime(2024, 3, 1, 13, tzinfo=UTC)
    assert mine.person_name and mine.municipality and mine.municipality_name
    assert mine.municipality_name != mine.municipality  # the name, not the key


async def test_answers_to_one_meeting_wait_in_line_in_the_process_not_on_the_row(
    uow_factory: Any, engine: Any
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's one pooled connection is the line already")
    pairs = await plan22_with_colleagues(uow_factory)
    waiting_on_locks: list[int] = []
    done = asyncio.Event()

    async def watch() -> None:
        async with engine.connect() as watcher:
            while not done.is_set():
                count = await watcher.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                )
                waiting_on_locks.append(int(count or 0))
                await asyncio.sleep(0.001)

    watcher = asyncio.create_task(watch())
    try:
        outcomes = await asyncio.gather(
            *(answer(uow_factory, planner) for planner, _ in pairs),
            *(answer(uow_factory, "nobody@example.org") for _ in range(3)),
            rsvp.respond(uow_factory(), CLOCK, f"{SLUG}:99", Actor("29:x"), Roster(), "attending"),
            return_exceptions=True,
        )
    finally:
        done.set()
        await watcher
    assert sum(isinstance(o, rsvp.Answered) for o in outcomes) == len(pairs)
    assert len(waiting_on_locks) > 3 and max(waiting_on_locks) == 0
    state = await rsvp.meeting_state(uow_factory(), CLOCK, KEY)
    assert sum(r.standing is Standing.CONFIRMED for r in state.rsvps) == len(pairs)
    assert len(_meeting_queues(uow_factory()._sessions) or ()) == 0  # nothing left behind


async def test_the_meeting_line_is_first_come_first_served_and_leaves_nothing_behind() -> None:
    queues = MeetingQueues()
    order: list[int] = []

    async def turn(n: int) -> None:
        await queues.enter(("net", 1))
        order.append(n)
        await asyncio.sleep(0)
        queues.leave(("net", 1))

    await asyncio.gather(*(turn(n) for n in range(5)))
    assert order == [0, 1, 2, 3, 4]
    assert len(queues) == 0
    await queues.enter(("net", 1))
    late = asyncio.create_task(queues.enter(("net", 1)))
    await asyncio.sleep(0)
    late.cancel()  # a turn cancelled while in line leaves it
    with pytest.raises(asyncio.CancelledError):
        await late
    queues.leave(("net", 1))
    assert len(queues) == 0
