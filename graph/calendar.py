"""Outlook events with Teams meetings in the organiser's mailbox, on msgraph-sdk."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.attendee import Attendee
from msgraph.generated.models.attendee_type import AttendeeType
from msgraph.generated.models.body_type import BodyType
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.event import Event
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.location import Location
from msgraph.generated.models.online_meeting_provider_type import OnlineMeetingProviderType
from msgraph.generated.users.item.events.item.cancel.cancel_post_request_body import (
    CancelPostRequestBody,
)
from msgraph.generated.users.item.events.item.event_item_request_builder import (
    EventItemRequestBuilder,
)

from graph.client import GraphConnection, call
from services.calendar_ports import CreatedEvent, EventDetails, Invitee
from services.graph_port import GraphFailure


def _when(moment: datetime) -> DateTimeTimeZone:
    # UTC on the wire: every mailbox supports it, and Outlook shows each reader their own zone.
    return DateTimeTimeZone(
        date_time=moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), time_zone="UTC"
    )


def _attendees(invitees: tuple[Invitee, ...]) -> list[Attendee]:
    return [
        Attendee(
            email_address=EmailAddress(address=i.email, name=i.name), type=AttendeeType.Required
        )
        for i in invitees
    ]


def _join(event: Event | None) -> str:
    """The event's Teams join link (onlineMeeting.joinUrl) when Graph gives an https one."""
    meeting = event.online_meeting if event else None
    link = meeting.join_url if meeting else None
    return link if link and link.startswith("https://") else ""


def _timing(details: EventDetails, event: Event) -> Event:
    event.subject = details.subject
    event.start = _when(details.start)
    event.end = _when(details.end)
    event.location = Location(display_name=details.location)
    return event


class GraphCalendar:
    """Implements services.calendar_ports.CalendarPort (Calendars.ReadWrite, application)."""

    def __init__(self, connection: GraphConnection) -> None:
        self._graph = connection

    def _event(self, mailbox: str, event_id: str) -> EventItemRequestBuilder:
        return self._graph.client.users.by_user_id(mailbox).events.by_event_id(event_id)

    async def create_event(
        self,
        mailbox: str,
        details: EventDetails,
        invitees: tuple[Invitee, ...],
        transaction_id: str,
    ) -> CreatedEvent:
        """POST /users/{mailbox}/events, online on Teams, with a transactionId.

        The answer is the event, its `onlineMeeting` (onlineMeetingInfo) holding the Teams
        meeting's `joinUrl` once isOnlineMeeting and the provider are set (Graph's event and
        onlineMeetingInfo resources); it is kept for the agenda card.

        Graph documents transactionId as the key that keeps a retried POST from creating the
        event twice; the id is stored before the first attempt, so a create whose answer was
        lost (timeout, crash before the commit) is repeated with the same key.
        """
        event = _timing(details, Event())
        event.body = ItemBody(content_type=BodyType.Text, content=details.body)
        event.attendees = _attendees(invitees)
        event.is_online_meeting = True
        event.online_meeting_provider = OnlineMeetingProviderType.TeamsForBusiness
        event.transaction_id = transaction_id
        made = await call(self._graph.client.users.by_user_id(mailbox).events.post(event))
        if not made.id:
            raise GraphFailure(502, "incompleteEvent", "the created event has no id")
        return CreatedEvent(made.id, _join(made))

    async def join_url(self, mailbox: str, event_id: str) -> str:
        """GET /users/{mailbox}/events/{id}?$select=onlineMeeting: the Teams join link of an
        event made before its link was kept (onlineMeetingInfo.joinUrl), or ''."""
        query = EventItemRequestBuilder.EventItemRequestBuilderGetQueryParameters(
            select=["onlineMeeting"]
        )
        event = await call(
            self._event(mailbox, event_id).get(RequestConfiguration(query_parameters=query))
        )
        return _join(event)

    async def update_event(
        self,
        mailbox: str,
        event_id: str,
        *,
        details: EventDetails | None = None,
        invitees: tuple[Invitee, ...] | None = None,
    ) -> None:
        """PATCH /users/{mailbox}/events/{id} with only the given properties.

        The body is never sent again: for an online meeting it holds the Teams join blob, and
        replacing it would switch the meeting off (Graph's event-update notes). An update with
        only `attendees` makes Outlook write only to the attendees added or removed.
        """
        event = Event()
        if details is not None:
            _timing(details, event)
        if invitees is not None:
            event.attendees = _attendees(invitees)
        await call(self._event(mailbox, event_id).patch(event))

    async def cancel_event(self, mailbox: str, event_id: str, comment: str) -> None:
        """POST /users/{mailbox}/events/{id}/cancel: the attendees get the cancellation."""
        sent = self._event(mailbox, event_id).cancel.post(CancelPostRequestBody(comment=comment))
        await call(_answered(sent))  # 202 Accepted, no body


async def _answered(pending: Awaitable[None]) -> bool:
    """A call that answers without a body, for `call`'s error translation."""
    await pending
    return True
