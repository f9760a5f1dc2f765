"""Meeting events reconciled with Graph: created once, updated on change, cancelled on cancel.

Real storage (SQLite and PostgreSQL) and msgraph-sdk against the local Graph stand-in.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import time
from typing import Any

import pytest
from sqlalchemy import select

from domain.model import MeetingStatus, NetworkFile, Person, RoleKind
from domain.rsvp import Answer, Rsvp, Standing
from graph.calendar import GraphCalendar
from graph.client import GraphConnection
from netpuls.graph_jobs import WORDING
from scheduler.graph_jobs import GraphJobs
from services.agenda import AGENDA
from services.calendar_ports import EventDetails, EventState, Invitee
from services.graph_port import GraphFailure
from services.meeting_events import reconcile
from services.networks import import_network
from storage.meeting_events import MeetingEventRow
from tests.conftest import FixedClock
from tests.support.graph_server import Failure, FakeGraph
from tests.support.networks import COLLEAGUE_ODENSE, small_network

pytestmark = [
    pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:GetQueryParameters is deprecated:DeprecationWarning"),
]
SLUG = "kompakte-groenne-byer"
MAILBOX = "netvaerk@example.org"
ODENSE = "planner.odense@example.org"
COLLEAGUE = COLLEAGUE_ODENSE.email
KOEGE = "planner.koege@example.org"


def network(**meeting_changes: Any) -> NetworkFile:
    """The small network with two more people; meeting 1 changed as given."""
    declared = small_network()
    extra = (
        COLLEAGUE_ODENSE,
        Person(KOEGE, "Planlægger Køge", KOEGE, "koege", roles=frozenset({RoleKind.PARTICIPANT})),
    )
    first, *rest = declared.meetings
    return dataclasses.replace(
        declared,
        people=(*declared.people, *extra),
        meetings=(dataclasses.replace(first, **meeting_changes), *rest),
    )


@pytest.fixture
def calendar(graph_api: tuple[FakeGraph, str], graph_connection: GraphConnection) -> GraphCalendar:
    graph_api[0].directory.mailboxes.add(MAILBOX)
    return GraphCalendar(graph_connection)


@pytest.fixture
async def posted(uow_factory: Any) -> Any:
    """The network imported and meeting 1's agenda posted in its channel."""
    await import_network(uow_factory(), network())
    async with uow_factory() as uow:
        await uow.posted.remember(AGENDA, SLUG, 1, "19:general@thread.tacv2", "activity-1")
        await uow.commit()
    return uow_factory


async def answer(uow_factory: Any, clock: FixedClock, person: str, what: Answer) -> None:
    town = "koege" if person == KOEGE else "odense"
    rsvp = Rsvp(person, person, town, town, what, Standing.CONFIRMED, clock.now())
    async with uow_factory() as uow:
        await uow.rsvps.save(SLUG, 1, rsvp, changed_by=person, at=clock.now())
        await uow.commit()


def posts(fake: FakeGraph) -> list[tuple[str, str, int]]:
    return [c for c in fake.calls if c[0] == "POST" and c[1].endswith("/events")]


async def sync(uow: Any, clock: FixedClock, calendar: Any, worker: str = "w1") -> Any:
    return await reconcile(uow, clock, calendar, MAILBOX, WORDING, worker)


async def test_the_event_is_created_once_for_those_who_said_yes(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    await answer(posted, clock, KOEGE, Answer.NOT_ATTENDING)
    first = await sync(posted, clock, calendar)
    second = await sync(posted, clock, calendar)
    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert len(posts(fake)) == 1
    (event,) = fake.directory.events.values()
    assert event["subject"] == "Netværksmøde 1 – Kompakte, grønne byer"
    assert event["start"] == {"dateTime": "2024-03-14T09:00:00", "timeZone": "UTC"}
    assert event["location"]["displayName"] == "Odense Rådhus, Fyn"
    assert "Vært: Odense Kommune" in event["body"]["content"]
    assert fake.directory.mail_to("invitation") == [ODENSE]


async def test_a_meeting_without_a_posted_agenda_gets_no_event(
    uow_factory: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    await import_network(uow_factory(), network())
    report = await sync(uow_factory, clock, calendar)
    assert report.created == 0 and fake.directory.events == {}


async def test_two_reconcilers_at_once_create_one_event(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    reports = await asyncio.gather(
        *(sync(posted, clock, calendar, worker=f"replica-{n}") for n in range(4))
    )
    assert sum(r.created for r in reports) == 1
    assert sum(r.busy + r.unchanged + r.created for r in reports) == 4
    assert len(posts(fake)) == 1 and len(fake.directory.events) == 1


class LostAnswer:
    """Creates at Graph, then fails as if the answer never arrived (a timeout, a crash)."""

    def __init__(self, real: GraphCalendar) -> None:
        self.real = real

    async def create_event(
        self, mailbox: str, details: EventDetails, invitees: tuple[Invitee, ...], tx: str
    ) -> str:
        await self.real.create_event(mailbox, details, invitees, tx)
        raise GraphFailure(0, "network", "read timeout")

    async def update_event(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("no update expected")

    async def cancel_event(self, *args: Any) -> None:
        raise AssertionError("no cancel expected")


async def test_an_event_created_whose_answer_was_lost_is_not_created_twice(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    lost = await sync(posted, clock, LostAnswer(calendar))
    again = await sync(posted, clock, calendar)
    assert (lost.failed, again.created) == (1, 1)
    assert len(posts(fake)) == 2 and len(fake.directory.events) == 1
    assert fake.directory.mail_to("invitation") == [ODENSE]
    async with posted() as uow:
        record = await uow.meeting_events.claim(SLUG, 1, MAILBOX, "probe", clock.now(), clock.now())
    assert record is not None and record.event_id in fake.directory.events


async def test_a_yes_and_a_no_change_only_those_attendees(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    await sync(posted, clock, calendar)
    fake.directory.mail.clear()
    await answer(posted, clock, KOEGE, Answer.ATTENDING)
    await answer(posted, clock, ODENSE, Answer.NOT_ATTENDING)
    report = await sync(posted, clock, calendar)
    assert report.updated == 1
    assert fake.directory.mail_to("invitation") == [KOEGE]
    assert fake.directory.mail_to("cancellation") == [ODENSE]
    assert fake.directory.mail_to("update") == []
    patches = [c for c in fake.calls if c[0] == "PATCH"]
    assert len(patches) == 1 and len(posts(fake)) == 1


async def test_a_moved_meeting_updates_the_event_for_everyone(
    posted: Any,
    uow_factory: Any,
    clock: FixedClock,
    calendar: GraphCalendar,
    graph_api: tuple[FakeGraph, str],
) -> None:
    fake, _ = graph_api
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    await answer(posted, clock, KOEGE, Answer.ATTENDING)
    await sync(posted, clock, calendar)
    fake.directory.mail.clear()
    await import_network(uow_factory(), network(starts=time(9, 0), place="Odense Slot"))
    report = await sync(posted, clock, calendar)
    assert report.updated == 1
    (event,) = fake.directory.events.values()
    assert event["start"]["dateTime"] == "2024-03-14T08:00:00"
    assert event["location"]["displayName"] == "Odense Slot, Fyn"
    assert sorted(fake.directory.mail_to("update")) == [KOEGE, ODENSE]
    assert fake.directory.mail_to("invitation") == [] and fake.directory.body_replaced == []
    assert (await sync(posted, clock, calendar)).unchanged == 1


async def test_a_cancelled_meeting_cancels_the_event_once(
    posted: Any,
    uow_factory: Any,
    clock: FixedClock,
    calendar: GraphCalendar,
    graph_api: tuple[FakeGraph, str],
) -> None:
    fake, _ = graph_api
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    await sync(posted, clock, calendar)
    await import_network(uow_factory(), network(status=MeetingStatus.CANCELLED))
    first = await sync(posted, clock, calendar)
    second = await sync(posted, clock, calendar)
    assert (first.cancelled, second.cancelled) == (1, 0)
    (cancelled,) = fake.directory.cancelled.values()
    assert cancelled["cancelComment"] == "Netværksmøde 1 i Kompakte, grønne byer er aflyst."
    assert fake.directory.mail_to("cancellation") == [ODENSE]
    async with uow_factory() as uow:
        session = uow._session  # the stored state, read directly
        row = (await session.scalars(select(MeetingEventRow))).one()
        assert row.state == EventState.CANCELLED.value and row.worker is None


async def test_a_429_storm_is_survived_and_the_event_made_once(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    fake.fail_next(*[Failure(429, retry_after="1", path_contains="/events")] * 3)
    report = await sync(posted, clock, calendar)
    assert report.created == 1 and len(fake.directory.events) == 1
    assert len([c for c in fake.calls if c[2] == 429]) == 3


async def test_without_a_mailbox_graph_is_never_called(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    jobs = GraphJobs(
        posted, clock, calendar=calendar, mailbox="", wording=WORDING, roster_port=None
    )
    report = await jobs.run_calendar()
    assert report.created == 0 and fake.calls == []


async def test_a_failing_meeting_keeps_its_error_and_is_retried(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    fake.fail_next(Failure(403, "ErrorAccessDenied", retry_after=None, path_contains="/events"))
    failed = await sync(posted, clock, calendar)
    async with posted() as uow:
        session = uow._session
        row = (await session.scalars(select(MeetingEventRow))).one()
        assert "ErrorAccessDenied" in row.last_error and row.lease_until is None
    retried = await sync(posted, clock, calendar)
    assert (failed.failed, retried.created) == (1, 1)


async def test_the_teams_join_link_is_kept_from_the_create_and_shown_on_the_agenda_card(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    from bot.features.meetings.views import agenda_view
    from bot.routing.links import Links
    from cards.agenda import agenda_card
    from netpuls.i18n import translator
    from services.meeting_state import meeting_state

    fake, _ = graph_api
    async with posted() as uow:
        before = await uow.meeting_events.join_url(SLUG, 1)
    assert before == ""
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    await sync(posted, clock, calendar)
    (event,) = fake.directory.events.values()
    link = event["onlineMeeting"]["joinUrl"]  # onlineMeetingInfo.joinUrl, as Graph answers
    state = await meeting_state(posted(), clock, f"{SLUG}:1")
    assert state.join_url == link
    card = agenda_card(
        agenda_view(state, Links("http://127.0.0.1:3978", b"k" * 32)), translator("da")
    )
    sets = [e["actions"] for e in card["body"] if e["type"] == "ActionSet"]
    joins = [a for s in sets for a in s if a.get("url") == link]
    assert [a["title"] for a in joins] == ["Deltag i Teams-mødet"]
    await sync(posted, clock, calendar)  # an unchanged pass keeps it
    state = await meeting_state(posted(), clock, f"{SLUG}:1")
    assert state.join_url == link


async def test_a_cancelled_meeting_shows_no_join_link(
    uow_factory: Any, clock: FixedClock, calendar: GraphCalendar
) -> None:
    from services.meeting_state import meeting_state

    await import_network(uow_factory(), network())
    async with uow_factory() as uow:
        await uow.posted.remember(AGENDA, SLUG, 1, "19:general@thread.tacv2", "activity-1")
        await uow.commit()
    await answer(uow_factory, clock, ODENSE, Answer.ATTENDING)
    await sync(uow_factory, clock, calendar)
    await import_network(uow_factory(), network(status=MeetingStatus.CANCELLED))
    await sync(uow_factory, clock, calendar)
    assert (await meeting_state(uow_factory(), clock, f"{SLUG}:1")).join_url == ""


async def test_an_event_made_before_its_link_was_kept_gets_it_from_graph_once(
    posted: Any, clock: FixedClock, calendar: GraphCalendar, graph_api: tuple[FakeGraph, str]
) -> None:
    from sqlalchemy import update

    fake, _ = graph_api
    await answer(posted, clock, ODENSE, Answer.ATTENDING)
    await sync(posted, clock, calendar)
    async with posted() as uow:  # as an event made by an earlier version was stored
        await uow._session.execute(update(MeetingEventRow).values(join_url=None))
        await uow.commit()
    fake.calls.clear()
    await sync(posted, clock, calendar)
    (event,) = fake.directory.events.values()
    async with posted() as uow:
        assert await uow.meeting_events.join_url(SLUG, 1) == event["onlineMeeting"]["joinUrl"]
    gets = [c for c in fake.calls if c[0] == "GET" and "/events/" in c[1]]
    assert len(gets) == 1
    await sync(posted, clock, calendar)
    assert len([c for c in fake.calls if c[0] == "GET" and "/events/" in c[1]]) == 1
