"""RSVPs on real databases (SQLite and PostgreSQL), concurrency and other writers included."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, text

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.model import Person, RoleKind
from domain.rsvp import Answer, SeatTaken, Standing
from services import rsvp
from services.network_file import load_network_file
from services.networks import Actor, import_network
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.conftest import EXAMPLES, FixedClock
from tests.support.sparring import channel_ref

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


async def test_two_processes_racing_for_the_seats_leave_one_holder_per_municipality(
    uow_factory: Any, database_url: str
) -> None:
    """The database decides, not a line in one process: each colleague clicks through a second
    engine (another replica's pool) at the same time as their planner."""
    pairs = (await plan22_with_colleagues(uow_factory))[:10]
    replica = create_engine(database_url)
    try:
        sessions = session_factory(replica)
        results = await asyncio.gather(
            *(answer(uow_factory, planner) for planner, _ in pairs),
            *(answer(lambda: SqlUnitOfWork(sessions), colleague) for _, colleague in pairs),
        )
    finally:
        await replica.dispose()
    assert sum(isinstance(r, SeatTaken) for r in results) == 10
    state = await rsvp.meeting_state(uow_factory(), CLOCK, KEY)
    holders = [r for r in state.rsvps if r.answer is Answer.ATTENDING]
    assert len(holders) == 10 and len({r.municipality for r in holders}) == 10
    async with uow_factory() as uow:
        histories = [await uow.rsvps.history(SLUG, 1, who) for pair in pairs for who in pair]
    assert sorted(map(len, histories)) == [0] * 10 + [1] * 10, "a refused click writes nothing"


async def _run(engine: Any, sql: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(sql))


MEETING = f"(SELECT m.id FROM meetings m JOIN networks n ON n.id = m.network_id WHERE n.slug = '{SLUG}' AND m.number = 1)"  # noqa: E501


async def respond(
    uow_factory: Any, email: str, what: str = "attending", **kw: Any
) -> rsvp.Answered:
    return await rsvp.respond(
        uow_factory(), CLOCK, KEY, Actor(teams_user_id=f"29:{email}"), Roster(), what, **kw
    )


async def test_every_answer_sees_what_another_writer_changed_in_the_meeting(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    first = await respond(uow_factory, pairs[0][0])
    assert first.state == await rsvp.meeting_state(uow_factory(), CLOCK, KEY)
    # Another writer (a replica, the CLI, psql) changes the capacity, cancels the meeting,
    # withdraws a seat: the next answer sees each change.
    await _run(engine, f"UPDATE meetings SET capacity = 3 WHERE id = {MEETING}")
    assert (await respond(uow_factory, pairs[1][0])).state.meeting.capacity == 3
    await _run(engine, f"UPDATE meetings SET status = 'cancelled' WHERE id = {MEETING}")
    with pytest.raises(InvalidInput):
        await respond(uow_factory, pairs[2][0])
    await _run(engine, f"UPDATE meetings SET status = 'planned' WHERE id = {MEETING}")
    await _run(
        engine,
        "UPDATE seats SET status = 'withdrawn' WHERE municipality_id = "
        f"(SELECT municipality_id FROM people WHERE key = '{pairs[3][0]}')",
    )
    with pytest.raises(NotAllowed):
        await respond(uow_factory, pairs[3][0])
    async with uow_factory() as uow:
        assert await uow.rsvps.lock(SLUG, 1)
        assert not await uow.rsvps.lock(SLUG, 99)
        assert not await uow.rsvps.lock("another-network", 1)


async def test_an_answer_tells_whether_a_card_is_posted_and_a_foreign_channel_is_refused(
    uow_factory: Any,
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    channel = channel_ref()
    async with uow_factory() as uow:
        await uow.conversations.save(channel)
        await uow.commit()
    place = channel.conversation_id + ";messageid=7"
    assert not (await respond(uow_factory, pairs[0][0], conversation_id=place)).cards_posted
    async with uow_factory() as uow:
        assert await uow.conversations.link(channel.conversation_id, SLUG)
        await uow.posted.remember("agenda", SLUG, 1, channel.conversation_id, "1:posted")
        await uow.commit()
    assert (await respond(uow_factory, pairs[1][0], conversation_id=place)).cards_posted

    # A channel linked to another network refuses this network's card, and saves nothing.
    other = load_network_file(EXAMPLES / "demo.yaml", today=date(2024, 3, 1))
    await import_network(uow_factory(), other)
    async with uow_factory() as uow:
        assert await uow.conversations.link(channel.conversation_id, other.network.slug)
        await uow.commit()
    with pytest.raises(InvalidInput):
        await respond(uow_factory, pairs[2][0], conversation_id=place)
    async with uow_factory() as uow:
        assert [r.person for r in await uow.rsvps.for_meeting(SLUG, 1)] == [
            pairs[0][0],
            pairs[1][0],
        ]


async def test_the_answers_after_a_click_are_what_a_fresh_read_gives(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    await _run(engine, f"UPDATE meetings SET capacity = 3 WHERE id = {MEETING}")
    # Local time, not UTC: SQLite gives the wall time back without a zone, PostgreSQL in UTC.
    clock = FixedClock(datetime(2024, 3, 1, 13, tzinfo=ZoneInfo("Europe/Copenhagen")))

    async def click(email: str, what: str, dietary: str = "", at: int = 0) -> None:
        clock.current = clock.current + timedelta(minutes=at)
        answered = await rsvp.respond(
            uow_factory(), clock, KEY, Actor(teams_user_id=f"29:{email}"), Roster(), what, dietary
        )
        async with uow_factory() as uow:
            fresh = await uow.rsvps.for_meeting(SLUG, 1)
        assert answered.state.rsvps == tuple(fresh)

    await click(pairs[0][0], "attending")
    await click(pairs[1][0], "attending", at=1)
    await click(pairs[2][0], "maybe")  # the same minute: the row id orders them
    await click(pairs[2][0], "attending", at=1)
    await click(pairs[0][0], "attending", "vegetarian", at=1)  # keeps its place and time
    await click(pairs[3][0], "attending", at=1)  # the fourth place: waitlisted
    await click(pairs[4][0], "attending", at=-30)  # an earlier clock: listed before others
    await click(pairs[1][0], "not_attending", at=31)  # frees a place: a promotion
    async with uow_factory() as uow:
        answers = {r.person: r.standing for r in await uow.rsvps.for_meeting(SLUG, 1)}
    # The place went to the one waiting longest by the clock, who was listed first.
    assert answers[pairs[4][0]] is Standing.CONFIRMED
    assert answers[pairs[3][0]] is Standing.WAITLISTED


async def test_a_click_that_fails_in_the_database_does_not_fail_the_clicks_beside_it(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    planners = [p for p, _ in pairs[:6]]

    def broken(*args: Any) -> None:  # the database refuses one answer's row
        if str(args[2]).lstrip().startswith("INSERT INTO rsvps") and "boom" in str(args[3]):
            raise RuntimeError("the database refused the row")

    event.listen(engine.sync_engine, "before_cursor_execute", broken)
    try:
        results = await asyncio.gather(
            *(
                respond(uow_factory, who, dietary="boom" if n == 2 else "")
                for n, who in enumerate(planners)
            ),
            return_exceptions=True,
        )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", broken)
    assert isinstance(results[2], Exception)
    assert all(isinstance(r, rsvp.Answered) for n, r in enumerate(results) if n != 2)
    async with uow_factory() as uow:
        stored = {r.person for r in await uow.rsvps.for_meeting(SLUG, 1)}
        histories = [await uow.rsvps.history(SLUG, 1, who) for who in planners]
    assert stored == set(planners) - {planners[2]}
    assert histories == [[(None, "attending")]] * 2 + [[]] + [[(None, "attending")]] * 3


async def test_a_refused_first_click_keeps_nothing_not_even_the_teams_ids_the_roster_gave(
    uow_factory: Any, engine: Any
) -> None:
    (planner, _), *_ = await plan22_with_colleagues(uow_factory)
    await _run(engine, f"UPDATE meetings SET status = 'cancelled' WHERE id = {MEETING}")
    with pytest.raises(InvalidInput):
        await respond(uow_factory, planner)
    async with uow_factory() as uow:
        assert await uow.people.find(teams_user_id=f"29:{planner}") is None
        assert await uow.rsvps.for_meeting(SLUG, 1) == []
    with pytest.raises(NotFound):
        await rsvp.respond(
            uow_factory(), CLOCK, f"{SLUG}:99", Actor(f"29:{planner}"), Roster(), "attending"
        )


async def test_the_card_refreshes_by_itself_for_the_organisers_and_the_latest_answerers(
    uow_factory: Any,
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    async with uow_factory() as uow:  # the organisers have been seen in Teams; one has not
        await uow.people.remember_teams_ids(
            "sekretariat@example.org", teams_user_id="29:sekretariat", aad_object_id=None
        )
        await uow.commit()
    clock = FixedClock(datetime(2024, 3, 1, 13, tzinfo=ZoneInfo("Europe/Copenhagen")))
    planners = [planner for planner, _ in pairs]
    for email in [*planners, planners[0]]:  # the first changes their answer last
        clock.current += timedelta(minutes=1)
        answered = await rsvp.respond(
            uow_factory(), clock, KEY, Actor(teams_user_id=f"29:{email}"), Roster(), "maybe"
        )
    newest_first = [planners[0], *reversed(planners[1:])]
    expected = ("29:sekretariat", *(f"29:{email}" for email in newest_first))
    assert answered.state.refresh_ids == expected
    assert (await rsvp.meeting_state(uow_factory(), clock, KEY)).refresh_ids == expected
