"""Composition of the Graph timers: meeting events and the roster, with their wording."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cards.meeting import meeting_name
from graph.config import graph_config
from netpuls.i18n import translator
from netpuls.settings import Settings
from scheduler.graph_jobs import GraphJobs
from services.calendar_ports import CalendarPort, EventDetails, RosterPort
from services.meeting_events import EventWording
from services.ports import Clock, UnitOfWorkFactory
from services.rsvp import MeetingState

if TYPE_CHECKING:
    from graph.client import GraphConnection


def describe(state: MeetingState) -> EventDetails:
    """The event's subject, time, place and body, in the network's language (one event, all)."""
    network, meeting = state.network, state.meeting
    t = translator(network.language)
    host = next((m.name for m in state.municipalities if m.key == meeting.host), "")
    lines = [network.name]
    if host:
        lines.append(t("Host: {host}", host=host))
    if meeting.field_visit:
        lines.append(meeting.field_visit)
    lines += [f"{p.starts:%H:%M} {p.title}" if p.starts else p.title for p in meeting.programme]
    lines.append(t("The agenda and your answer are on the agenda card in the network's channel."))
    return EventDetails(
        subject=f"{meeting_name(meeting, t)} – {network.name}",
        start=meeting.starts_at(network.zone),
        end=meeting.ends_at(network.zone),
        location=", ".join(part for part in (meeting.place, meeting.region) if part),
        body="\n".join(lines),
    )


def cancel_note(state: MeetingState) -> str:
    """The comment Outlook sends with the cancellation."""
    t = translator(state.network.language)
    return t(
        "{meeting} of {network} is cancelled.",
        meeting=meeting_name(state.meeting, t),
        network=state.network.name,
    )


WORDING = EventWording(describe=describe, cancel_note=cancel_note)


class GraphTimers:
    """The GraphJobs of this app and the app's one Graph connection, which they own: material
    filing uses the same pooled client and credential (see `connection`)."""

    def __init__(self, jobs: GraphJobs, connection: GraphConnection | None) -> None:
        self.jobs = jobs
        self.connection = connection

    @classmethod
    def from_settings(cls, settings: Settings, uow: UnitOfWorkFactory, clock: Clock) -> GraphTimers:
        """Events only with an organiser mailbox; the roster whenever Graph is configured."""
        config = graph_config(settings)
        calendar: CalendarPort | None = None
        roster: RosterPort | None = None
        connection = None
        if config is not None:
            # msgraph is large: imported only when Graph is configured.
            from graph.calendar import GraphCalendar
            from graph.client import GraphConnection
            from graph.members import GraphRoster

            connection = GraphConnection(config)  # the app's only one
            roster = GraphRoster(connection)
            if settings.graph_organiser_mailbox:
                calendar = GraphCalendar(connection)
        jobs = GraphJobs(
            uow,
            clock,
            calendar=calendar,
            mailbox=settings.graph_organiser_mailbox.strip(),
            wording=WORDING,
            roster_port=roster,
        )
        return cls(jobs, connection)

    async def aclose(self) -> None:
        """Stop the timers and close the Graph connection."""
        await self.jobs.stop()
        if self.connection is not None:
            await self.connection.aclose()
