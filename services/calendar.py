"""Calendar files (.ics) for meetings, so members can add them to Outlook in one click."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from domain.model import Meeting, MeetingKind, MeetingStatus, Network


def meeting_ics(
    network: Network, meeting: Meeting, host_name: str, title: str, now: datetime
) -> bytes:
    """An iCalendar file with one event for the meeting, in the network's time zone."""
    calendar = Calendar()
    calendar.add("prodid", "-//netpuls//meeting calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    # A stable UID lets a calendar replace the entry when the file is added again after a change.
    event.add("uid", f"{network.slug}-{meeting.number}@netpuls")
    event.add("dtstamp", now)
    event.add("dtstart", meeting.starts_at(network.zone))
    event.add("dtend", meeting.ends_at(network.zone))
    event.add("summary", f"{title} – {network.name}")
    where = ", ".join(part for part in (meeting.place, meeting.region) if part)
    if where:
        event.add("location", where)
    lines = [network.name]
    if host_name:
        lines.append(host_name)
    if meeting.field_visit:
        lines.append(meeting.field_visit)
    lines += [f"{p.starts:%H:%M} {p.title}" if p.starts else p.title for p in meeting.programme]
    event.add("description", "\n".join(lines))
    if meeting.status is MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
    if meeting.kind is MeetingKind.STUDY_TRIP:
        event.add("categories", ["study trip"])
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
