"""RSVPs on real databases (SQLite and PostgreSQL), concurrency included."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, text

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.material import Material, MaterialKind
from domain.model import Person, RoleKind
from domain.rsvp import Answer, SeatTaken, Standing
from services import rsvp
from services.network_file import load_network_file
from services.networks import Actor, import_network
from services.ports import MeetingLock
from storage.rsvps import MeetingQueues
from storage.uow import _meeting_queues
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


async def _revision(engine: Any) -> int:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT revision FROM networks WHERE slug = :s"), {"s": SLUG}
        )
    assert isinstance(found, int)
    return int(found)


async def _run(engine: Any, sql: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(sql))


MEETING = f"(SELECT m.id FROM meetings m JOIN networks n ON n.id = m.network_id WHERE n.slug = '{SLUG}' AND m.number = 1)"  # noqa: E501
NETWORK = f"(SELECT id FROM networks WHERE slug = '{SLUG}')"
# Every kind of change a meeting card shows, but its answers, by any writer.
CARD_CHANGES = {
    "network": f"UPDATE networks SET name = name || ' ' WHERE slug = '{SLUG}'",
    "seat": f"UPDATE seats SET status = status WHERE network_id = {NETWORK}",
    "municipality name": "UPDATE municipalities SET name = name || ' ' "
    f"WHERE id IN (SELECT municipality_id FROM seats WHERE network_id = {NETWORK})",
    "programme item added": "INSERT INTO programme_items (meeting_id, position, title, kind, "
    f"speaker) VALUES ({MEETING}, 99, 'Extra', 'talk', '')",
    "programme item changed": "UPDATE programme_items SET title = title "
    f"WHERE meeting_id = {MEETING}",
    "programme item removed": f"DELETE FROM programme_items WHERE meeting_id = {MEETING}",
    "case removed": f"DELETE FROM cases WHERE meeting_id = {MEETING}",
    "material removed": f"DELETE FROM material WHERE network_id = {NETWORK}",
    "meeting removed": f"DELETE FROM meetings WHERE id = {MEETING}",
}
MEETING_COLUMNS = [
    *("network_id", "number", "kind", "day", "end_day", "starts", "ends", "region", "place"),
    *("title", "field_visit", "status", "host_municipality_id", "capacity"),
    *("seats_per_municipality", "skip_steps", "created_at"),
]


async def test_answers_and_the_lock_leave_the_revision_and_every_other_change_bumps_it(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    before = await _revision(engine)
    async with uow_factory() as uow:
        locked = await uow.rsvps.lock(SLUG, 1)
        assert locked is not None and locked.revision == before
        assert await uow.rsvps.lock(SLUG, 99) is None
    await answer(uow_factory, pairs[0][0])
    await answer(uow_factory, pairs[1][0], "not_attending")
    assert await _revision(engine) == before

    from storage.models import MeetingRow

    content = {c.name for c in MeetingRow.__table__.columns} - {"id", "updated_at"}
    assert content == set(MEETING_COLUMNS), "a new meetings column must bump the revision"
    for column in MEETING_COLUMNS:
        await _run(engine, f"UPDATE meetings SET {column} = {column} WHERE id = {MEETING}")
        after = await _revision(engine)
        assert after == before + 1, column
        before = after
    person = f"(SELECT id FROM people WHERE key = '{pairs[0][0]}')"
    await _run(
        engine,
        "INSERT INTO cases (meeting_id, person_id, title, description, themes, status, "
        "decision_note, sparring_notes, notes_by, submitted_at, updated_at) VALUES "
        f"({MEETING}, {person}, 'Case', 'Text', '[]', 'accepted', '', '', '', "
        "'2024-03-01 12:00:00+00:00', '2024-03-01 12:00:00+00:00')",
    )
    assert await _revision(engine) == before + 1, "case added"
    async with uow_factory() as uow:
        stamp = datetime(2024, 3, 1, 12, tzinfo=UTC)
        await uow.material.add(
            SLUG, Material("Plan", MaterialKind.LINK, "https://example.org/p", "a", "A", stamp, 1)
        )
        await uow.commit()
    assert await _revision(engine) == before + 2, "material added"
    before += 2
    for change, sql in CARD_CHANGES.items():
        await _run(engine, sql)
        after = await _revision(engine)
        assert after > before, change
        before = after


async def test_a_kept_meeting_state_is_used_until_another_writer_changes_the_meeting(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    states = rsvp.MeetingStates()
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    from sqlalchemy import event

    async def respond(email: str, what: str = "attending") -> rsvp.Answered:
        return await rsvp.respond(
            uow_factory(),
            CLOCK,
            KEY,
            Actor(teams_user_id=f"29:{email}"),
            Roster(),
            what,
            states=states,
        )

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        first = await respond(pairs[0][0])
        cold = len(statements)
        statements.clear()
        second = await respond(pairs[1][0])
        warm = len(statements)
        # The same card as a full read would give, answers included.
        fresh = await rsvp.meeting_state(uow_factory(), CLOCK, KEY)
        assert second.state == fresh
        assert [r.person for r in second.state.rsvps] == [pairs[0][0], pairs[1][0]]
        assert warm <= cold - 5, (cold, warm)
        assert first.state.meeting == second.state.meeting

        # Another writer (a replica, the CLI, psql) changes the capacity, cancels the
        # meeting, withdraws a seat: the next answer sees each change.
        await _run(engine, f"UPDATE meetings SET capacity = 3 WHERE id = {MEETING}")
        third = await respond(pairs[2][0])
        assert third.state.meeting.capacity == 3
        await _run(engine, f"UPDATE meetings SET status = 'cancelled' WHERE id = {MEETING}")
        with pytest.raises(InvalidInput):
            await respond(pairs[3][0])
        await _run(engine, f"UPDATE meetings SET status = 'planned' WHERE id = {MEETING}")
        await _run(
            engine,
            "UPDATE seats SET status = 'withdrawn' WHERE municipality_id = "
            f"(SELECT municipality_id FROM people WHERE key = '{pairs[4][0]}')",
        )
        with pytest.raises(NotAllowed):
            await respond(pairs[4][0])
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def test_the_lock_tells_if_a_card_is_posted_and_where_the_click_came_from(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    channel = channel_ref()
    async with uow_factory() as uow:
        await uow.conversations.save(channel)
        await uow.commit()
    revision = await _revision(engine)
    async with uow_factory() as uow:
        assert await uow.rsvps.lock(SLUG, 1, channel.conversation_id) == MeetingLock(
            revision, cards_posted=False, conversation_network=None
        )
    async with uow_factory() as uow:
        assert await uow.conversations.link(channel.conversation_id, SLUG)
        await uow.posted.remember("agenda", SLUG, 1, channel.conversation_id, "1:posted")
        await uow.commit()
    async with uow_factory() as uow:
        locked = await uow.rsvps.lock(SLUG, 1, channel.conversation_id)
        assert locked is not None and locked.cards_posted
        assert locked.conversation_network == SLUG
        unknown = await uow.rsvps.lock(SLUG, 1, "19:unknown@thread.tacv2")
        assert unknown is not None and unknown.conversation_network is None
        other = await uow.rsvps.lock(SLUG, 2)  # nothing of meeting 2 is posted
        assert other is not None and not other.cards_posted

    # A channel linked to another network refuses this network's card, and saves nothing.
    other = load_network_file(EXAMPLES / "demo.yaml", today=date(2024, 3, 1))
    await import_network(uow_factory(), other)
    async with uow_factory() as uow:
        assert await uow.conversations.link(channel.conversation_id, other.network.slug)
        await uow.commit()
    with pytest.raises(InvalidInput):
        await rsvp.respond(
            uow_factory(),
            CLOCK,
            KEY,
            Actor(teams_user_id=f"29:{pairs[0][0]}"),
            Roster(),
            "attending",
            conversation_id=channel.conversation_id + ";messageid=7",
        )
    async with uow_factory() as uow:
        assert await uow.rsvps.for_meeting(SLUG, 1) == []
    # The same in a batch with clicks from elsewhere: only the click from that channel.
    await _known_by_teams_id(uow_factory, pairs[0][0], pairs[1][0])
    gate = rsvp.AnswerGate(uow_factory, CLOCK, rsvp.MeetingStates())
    wrong, right = await asyncio.gather(
        *(
            gated(gate, who, conversation_id=place)
            for who, place in [(pairs[0][0], channel.conversation_id), (pairs[1][0], "a:chat")]
        ),
        return_exceptions=True,
    )
    assert isinstance(wrong, InvalidInput) and isinstance(right, rsvp.Answered)
    async with uow_factory() as uow:
        assert [r.person for r in await uow.rsvps.for_meeting(SLUG, 1)] == [pairs[1][0]]


async def test_the_answers_after_a_click_are_what_a_fresh_read_gives_without_reading_them_again(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    await _run(engine, f"UPDATE meetings SET capacity = 3 WHERE id = {MEETING}")
    # Local time, not UTC: SQLite gives the wall time back without a zone, PostgreSQL in UTC.
    clock = FixedClock(datetime(2024, 3, 1, 13, tzinfo=ZoneInfo("Europe/Copenhagen")))
    states = rsvp.MeetingStates()
    reads: list[str] = []

    def count(*args: Any) -> None:
        if "rsvps." in str(args[2]) and str(args[2]).lstrip().startswith("SELECT"):
            reads.append(str(args[2]))

    async def click(email: str, what: str, dietary: str = "", at: int = 0) -> None:
        clock.current = clock.current + timedelta(minutes=at)
        reads.clear()
        answered = await rsvp.respond(
            uow_factory(),
            clock,
            KEY,
            Actor(teams_user_id=f"29:{email}"),
            Roster(),
            what,
            dietary,
            states=states,
        )
        # The answers are read once per click; the save finds the current answer among them.
        assert len(reads) == 1, reads
        async with uow_factory() as uow:
            fresh = await uow.rsvps.for_meeting(SLUG, 1)
        assert answered.state.rsvps == tuple(fresh)
        shown = [(r.person, r.answered_at.isoformat(), r.municipality_name) for r in fresh]
        kept = [
            (r.person, r.answered_at.isoformat(), r.municipality_name) for r in answered.state.rsvps
        ]
        assert kept == shown

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await click(pairs[0][0], "attending")
        await click(pairs[1][0], "attending", at=1)
        await click(pairs[2][0], "maybe")  # the same minute: the row id orders them
        await click(pairs[2][0], "attending", at=1)
        await click(pairs[0][0], "attending", "vegetarian", at=1)  # keeps its place and time
        await click(pairs[3][0], "attending", at=1)  # the fourth place: waitlisted
        await click(pairs[4][0], "attending", at=-30)  # an earlier clock: listed before others
        await click(pairs[1][0], "not_attending", at=31)  # frees a place: a promotion
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    async with uow_factory() as uow:
        answers = {r.person: r.standing for r in await uow.rsvps.for_meeting(SLUG, 1)}
    # The place went to the one waiting longest by the clock, who was listed first.
    assert answers[pairs[4][0]] is Standing.CONFIRMED
    assert answers[pairs[3][0]] is Standing.WAITLISTED


async def gated(
    gate: rsvp.AnswerGate, email: str, what: str = "attending", dietary: str = "", **kw: Any
) -> rsvp.Answered:
    """A click through the answer gate, as the bot makes it."""
    slug, number, one = rsvp.click(
        KEY, Actor(teams_user_id=f"29:{email}"), Roster(), what, dietary, **kw
    )
    return await gate.answer(slug, number, one)


async def _known_by_teams_id(uow_factory: Any, *emails: str) -> None:
    """These people have clicked before: the bot knows their Teams ids."""
    async with uow_factory() as uow:
        for email in emails:
            await uow.people.remember_teams_ids(
                email, teams_user_id=f"29:{email}", aad_object_id=None
            )
        await uow.commit()


async def test_clicks_that_arrive_together_are_answered_in_one_transaction_each_checked_in_turn(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    first_time = pairs[11][0]  # not known by Teams id yet: the roster is asked
    await _known_by_teams_id(uow_factory, *(who for pair in pairs[:10] for who in pair))
    gate = rsvp.AnswerGate(uow_factory, CLOCK, rsvp.MeetingStates())
    locks: list[str] = []

    def count(*args: Any) -> None:
        if str(args[2]).lstrip().startswith("UPDATE meetings"):
            locks.append(str(args[2]))

    clicks = [
        *(gated(gate, who) for pair in pairs[:10] for who in pair),
        gated(gate, "nobody@example.org"),
        gated(gate, first_time, "maybe"),
        gated(gate, pairs[0][0], "dancing"),
    ]
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        results = await asyncio.gather(*clicks, return_exceptions=True)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    # One batch; the two clicks not known by Teams id (a stranger and a first click) alone.
    assert len(locks) == 3
    planners, colleagues = results[0:20:2], results[1:20:2]
    # Each colleague clicked right after their planner, so saw the seat taken.
    assert all(isinstance(r, rsvp.Answered) for r in planners)
    assert all(isinstance(r, SeatTaken) for r in colleagues)
    assert isinstance(results[20], NotAllowed)
    assert isinstance(results[21], rsvp.Answered) and results[21].person.key == first_time
    assert isinstance(results[22], InvalidInput)
    async with uow_factory() as uow:
        stored = await uow.rsvps.for_meeting(SLUG, 1)
        histories = [await uow.rsvps.history(SLUG, 1, who) for pair in pairs[:10] for who in pair]
    assert {r.person for r in stored} == {p for p, _ in pairs[:10]} | {first_time}
    assert histories[0::2] == [[(None, "attending")]] * 10
    assert histories[1::2] == [[]] * 10, "a refused click writes nothing"
    # Every answer of the batch sees the batch's committed answers.
    batch = [r for r in planners if isinstance(r, rsvp.Answered)]
    assert all(r.state.rsvps == tuple(stored[:10]) for r in batch)


async def test_a_batch_that_fails_is_answered_click_by_click_so_one_click_cannot_fail_the_others(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    planners = [p for p, _ in pairs[:6]]
    await _known_by_teams_id(uow_factory, *planners)
    gate = rsvp.AnswerGate(uow_factory, CLOCK, rsvp.MeetingStates())

    def broken(*args: Any) -> None:  # the database refuses one answer's row
        if str(args[2]).lstrip().startswith("INSERT INTO rsvps") and "boom" in str(args[3]):
            raise RuntimeError("the database refused the row")

    event.listen(engine.sync_engine, "before_cursor_execute", broken)
    try:
        results = await asyncio.gather(
            *(gated(gate, who, dietary="boom" if n == 2 else "") for n, who in enumerate(planners)),
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


async def test_the_changed_answers_of_a_batch_are_written_in_one_statement_with_their_log(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    planners = [p for p, _ in pairs[:8]]
    await _known_by_teams_id(uow_factory, *planners)
    gate = rsvp.AnswerGate(uow_factory, CLOCK, rsvp.MeetingStates())
    await asyncio.gather(*(gated(gate, who) for who in planners))
    writes: list[tuple[str, bool]] = []

    def count(*args: Any) -> None:
        sql = str(args[2]).lstrip()
        if sql.startswith(("UPDATE rsvps", "INSERT INTO rsvp_changes")):
            writes.append((sql.split("(")[0].split(" SET")[0], args[5]))  # executemany?

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        changed = await asyncio.gather(
            *(
                gated(gate, who, "not_attending" if n % 2 else "maybe")
                for n, who in enumerate(planners)
            ),
            gated(gate, planners[0], "attending", "vegetarian"),  # the same person again
        )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert sorted(writes) == [("INSERT INTO rsvp_changes ", True), ("UPDATE rsvps", True)]
    async with uow_factory() as uow:
        stored = {
            r.person: (r.answer.value, r.dietary) for r in await uow.rsvps.for_meeting(SLUG, 1)
        }
        history = await uow.rsvps.history(SLUG, 1, planners[0])
    assert stored[planners[0]] == ("attending", "vegetarian")
    assert stored[planners[1]] == ("not_attending", "") and stored[planners[2]] == ("maybe", "")
    assert history == [(None, "attending"), ("attending", "maybe"), ("maybe", "attending")]
    assert changed[-1].state.rsvps == tuple(await _fresh(uow_factory))


async def _fresh(uow_factory: Any) -> list[Any]:
    async with uow_factory() as uow:
        return await uow.rsvps.for_meeting(SLUG, 1)


async def test_a_refused_first_click_keeps_nothing_not_even_the_teams_ids_the_roster_gave(
    uow_factory: Any, engine: Any
) -> None:
    (planner, _), *_ = await plan22_with_colleagues(uow_factory)
    await _run(engine, f"UPDATE meetings SET status = 'cancelled' WHERE id = {MEETING}")
    gate = rsvp.AnswerGate(uow_factory, CLOCK, rsvp.MeetingStates())
    with pytest.raises(InvalidInput):
        await gated(gate, planner)
    async with uow_factory() as uow:
        assert await uow.people.find(teams_user_id=f"29:{planner}") is None
        assert await uow.rsvps.for_meeting(SLUG, 1) == []


async def test_one_line_answers_clicks_on_several_meetings_in_one_transaction(
    uow_factory: Any, engine: Any
) -> None:
    pairs = await plan22_with_colleagues(uow_factory)
    await _known_by_teams_id(uow_factory, *(p for p, _ in pairs[:6]))
    gate = rsvp.AnswerGate(uow_factory, CLOCK, rsvp.MeetingStates(), "da", one_line=True)
    locks: list[str] = []
    commits: list[str] = []

    def lock(*args: Any) -> None:
        if str(args[2]).lstrip().startswith("UPDATE meetings"):
            locks.append(str(args[2]))

    def commit(*_args: Any) -> None:
        commits.append("commit")

    async def click(email: str, number: int) -> rsvp.Answered:
        one = rsvp.click(f"{SLUG}:{number}", Actor(teams_user_id=f"29:{email}"), Roster(), "maybe")
        return await gate.answer(*one)

    event.listen(engine.sync_engine, "before_cursor_execute", lock)
    event.listen(engine.sync_engine, "commit", commit)
    try:
        results = await asyncio.gather(
            *(click(planner, 2 if n % 2 else 1) for n, (planner, _) in enumerate(pairs[:6])),
            click(pairs[0][0], 99),  # a meeting that does not exist, in the same batch
            return_exceptions=True,
        )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", lock)
        event.remove(engine.sync_engine, "commit", commit)
    assert all(isinstance(r, rsvp.Answered) for r in results[:6])
    assert isinstance(results[6], NotFound)
    assert len(locks) == 3 and len(commits) == 1, "three meetings, one transaction"
    first, second = results[0], results[1]
    assert isinstance(first, rsvp.Answered) and isinstance(second, rsvp.Answered)
    assert first.language == "da"
    async with uow_factory() as uow:
        for number, answered in ((1, first), (2, second)):
            fresh = await uow.rsvps.for_meeting(SLUG, number)
            assert len(fresh) == 3 and answered.state.rsvps == tuple(fresh)
