"""Outlook events and the team roster on msgraph-sdk, against the local Graph stand-in (TLS)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graph.calendar import GraphCalendar
from graph.client import GraphConnection
from graph.members import GraphRoster
from services.calendar_ports import EventDetails, Invitee
from services.graph_port import GraphFailure
from tests.support.graph_server import Failure, FakeGraph

pytestmark = [
    pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:GetQueryParameters is deprecated:DeprecationWarning"),
]
MAILBOX = "netvaerk@example.org"
DETAILS = EventDetails(
    subject="Netværksmøde 1 – Kompakte, grønne byer",
    start=datetime(2024, 3, 14, 9, 0, tzinfo=UTC),
    end=datetime(2024, 3, 14, 14, 0, tzinfo=UTC),
    location="Odense Rådhus, Fyn",
    body="Kompakte, grønne byer\n10:00 Velkomst",
)
ANNA = Invitee("anna@example.org", "Anna")
BO = Invitee("bo@example.org", "Bo")
CARL = Invitee("carl@example.org", "Carl")


@pytest.fixture
def connection(
    graph_api: tuple[FakeGraph, str], graph_connection: GraphConnection
) -> GraphConnection:
    graph_api[0].directory.mailboxes.add(MAILBOX)
    return graph_connection


async def test_an_event_is_an_online_teams_meeting_with_the_invitees(
    connection: GraphConnection, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    made = await GraphCalendar(connection).create_event(MAILBOX, DETAILS, (ANNA, BO), "tx-1")
    event = fake.directory.events[made.event_id]
    assert event["isOnlineMeeting"] is True
    assert event["onlineMeetingProvider"] == "teamsForBusiness"
    assert event["onlineMeeting"]["joinUrl"].startswith("https://teams.microsoft.com/")
    assert made.join_url == event["onlineMeeting"]["joinUrl"]  # onlineMeetingInfo.joinUrl
    assert event["start"] == {"dateTime": "2024-03-14T09:00:00", "timeZone": "UTC"}
    assert event["transactionId"] == "tx-1"
    assert fake.directory.mail_to("invitation") == ["anna@example.org", "bo@example.org"]


async def test_a_repeated_create_with_the_same_transaction_id_makes_no_second_event(
    connection: GraphConnection, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    calendar = GraphCalendar(connection)
    first = await calendar.create_event(MAILBOX, DETAILS, (ANNA,), "tx-same")
    again = await calendar.create_event(MAILBOX, DETAILS, (ANNA,), "tx-same")
    other = await calendar.create_event(MAILBOX, DETAILS, (ANNA,), "tx-other")
    assert first == again != other
    assert len(fake.directory.events) == 2
    assert fake.directory.mail_to("invitation") == ["anna@example.org", "anna@example.org"]


async def test_changing_only_attendees_writes_only_to_those_added_or_removed(
    connection: GraphConnection, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    calendar = GraphCalendar(connection)
    event_id = (await calendar.create_event(MAILBOX, DETAILS, (ANNA, BO), "tx-2")).event_id
    fake.directory.mail.clear()
    await calendar.update_event(MAILBOX, event_id, invitees=(ANNA, CARL))
    assert fake.directory.mail_to("invitation") == ["carl@example.org"]
    assert fake.directory.mail_to("cancellation") == ["bo@example.org"]
    assert fake.directory.mail_to("update") == []
    assert fake.directory.body_replaced == []


async def test_a_new_time_is_sent_to_everyone_and_keeps_the_teams_link(
    connection: GraphConnection, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    calendar = GraphCalendar(connection)
    event_id = (await calendar.create_event(MAILBOX, DETAILS, (ANNA, BO), "tx-3")).event_id
    fake.directory.mail.clear()
    moved = EventDetails(
        DETAILS.subject,
        datetime(2024, 3, 21, 9, 0, tzinfo=UTC),
        datetime(2024, 3, 21, 14, 0, tzinfo=UTC),
        "Køge Rådhus",
        "ignored",
    )
    await calendar.update_event(MAILBOX, event_id, details=moved)
    event = fake.directory.events[event_id]
    assert event["start"]["dateTime"] == "2024-03-21T09:00:00"
    assert event["location"]["displayName"] == "Køge Rådhus"
    assert fake.directory.mail_to("update") == ["anna@example.org", "bo@example.org"]
    assert fake.directory.body_replaced == [] and event["body"]["content"] == DETAILS.body


async def test_a_cancelled_event_tells_the_attendees_and_leaves_the_calendar(
    connection: GraphConnection, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    calendar = GraphCalendar(connection)
    event_id = (await calendar.create_event(MAILBOX, DETAILS, (ANNA,), "tx-4")).event_id
    await calendar.cancel_event(MAILBOX, event_id, "Mødet er aflyst.")
    assert fake.directory.cancelled[event_id]["cancelComment"] == "Mødet er aflyst."
    assert fake.directory.mail_to("cancellation") == ["anna@example.org"]
    with pytest.raises(GraphFailure) as raised:
        await calendar.update_event(MAILBOX, event_id, invitees=(ANNA, BO))
    assert (raised.value.status, raised.value.code) == (404, "ErrorItemNotFound")


async def test_a_429_storm_on_create_is_survived_with_one_event(
    connection: GraphConnection, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    fake.fail_next(*[Failure(429, retry_after="1", path_contains="/events")] * 4)
    await GraphCalendar(connection).create_event(MAILBOX, DETAILS, (ANNA,), "tx-5")
    assert len([c for c in fake.calls if c[2] == 429]) == 4
    assert len(fake.directory.events) == 1


async def test_an_unknown_mailbox_is_graphs_error_not_a_crash(connection: GraphConnection) -> None:
    with pytest.raises(GraphFailure) as raised:
        await GraphCalendar(connection).create_event("nobody@example.org", DETAILS, (), "tx-6")
    assert (raised.value.status, raised.value.code) == (404, "ErrorInvalidUser")


async def test_every_page_of_the_team_roster_is_read(
    connection: GraphConnection, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    for n in range(5):
        fake.directory.add_member("group-1", f"aad-{n}", f"p{n}@example.org", f"Person {n}")
    fake.directory.page_size = 2
    members = await GraphRoster(connection).team_members("group-1")
    assert [m.user_id for m in members] == [f"aad-{n}" for n in range(5)]
    assert members[0].email == "p0@example.org" and members[0].display_name == "Person 0"
    pages = [c for c in fake.calls if c[1].endswith("/members")]
    assert len(pages) == 3


async def test_an_unknown_team_is_graphs_404(connection: GraphConnection) -> None:
    with pytest.raises(GraphFailure) as raised:
        await GraphRoster(connection).team_members("no-such-group")
    assert raised.value.status == 404
