"""Card views from service results: names resolved, links signed. No I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.routing.links import Links
from cards.meeting import meeting_view
from cards.views import AgendaView, Attendee, AttendeesView, MyAnswer, RsvpState
from domain.model import MeetingKind, local_day
from domain.rsvp import Answer, Rsvp, Standing, waitlist_position
from services.rsvp import MeetingState

EXPORT_LIFETIME = timedelta(hours=1)


def _attendee(r: Rsvp) -> Attendee:
    return Attendee(
        person=r.person_name, municipality=r.municipality_name, dietary=r.dietary, note=r.note
    )


def _group(state: MeetingState, answer: Answer, standing: Standing) -> tuple[Attendee, ...]:
    return tuple(_attendee(r) for r in state.rsvps if r.answer is answer and r.standing is standing)


def calendar_path(state: MeetingState) -> str:
    """Where the meeting's .ics is served."""
    return f"/calendar/{state.network.slug}/{state.meeting.number}.ics"


def attendees_csv_path(state: MeetingState) -> str:
    """Where the attendee export is served."""
    return f"/exports/{state.network.slug}/{state.meeting.number}/attendees.csv"


def agenda_view(
    state: MeetingState, links: Links, person: str | None = None, notice: str = ""
) -> AgendaView:
    """The agenda card's view: as everyone sees it, or with one reader's answer and a notice."""
    towns = {m.key: m.name for m in state.municipalities}
    answered = {r.municipality for r in state.rsvps}
    members = state.members()
    rsvp = RsvpState(
        answered_municipalities=sum(1 for m in members if m.key in answered),
        total_municipalities=len(members),
        attending=_group(state, Answer.ATTENDING, Standing.CONFIRMED),
        maybe=_group(state, Answer.MAYBE, Standing.CONFIRMED),
        waitlist=_group(state, Answer.ATTENDING, Standing.WAITLISTED),
        deadline_day=local_day(state.deadline, state.network.zone),
        deadline_time=state.deadline.astimezone(state.network.zone).timetz(),
        closed=state.closed,
        capacity=state.meeting.capacity,
        seats_per_municipality=state.meeting.seats_per_municipality,
        online_allowed=state.meeting.online,
        online=_group(state, Answer.ONLINE, Standing.CONFIRMED),
    )
    calendar_until = state.meeting.ends_at(state.network.zone) + timedelta(days=30)
    own = state.answer_of(person)
    mine = None
    if own is not None:
        mine = MyAnswer(
            answer=own.answer.value,
            waitlisted=own.standing is Standing.WAITLISTED,
            waitlist_position=waitlist_position(list(state.rsvps), own.person),
            dietary=own.dietary,
            note=own.note,
        )
    return AgendaView(
        meeting_key=state.key,
        meeting=replace(
            meeting_view(state.network, state.meeting, towns, state.phases),
            join_url=state.join_url,
        ),
        rsvp=rsvp,
        calendar_url=links.make(calendar_path(state), calendar_until),
        own_cost_note=state.meeting.kind is MeetingKind.STUDY_TRIP,
        programme=state.meeting.programme,
        accepted_cases=tuple((c.title, c.municipality_name) for c in state.cases),
        material=tuple((m.title, m.url) for m in state.material),
        mine=mine,
        notice=notice,
        refresh_user_ids=state.refresh_ids,
    )


def attendees_view(state: MeetingState, links: Links, now: datetime) -> AttendeesView:
    """The attendee list's view, with a short-lived signed CSV link (it holds personal data)."""
    towns = {m.key: m.name for m in state.municipalities}
    by_town: dict[str, set[Answer]] = {}
    for r in state.rsvps:
        by_town.setdefault(r.municipality, set()).add(r.answer)
    members = state.members()
    return AttendeesView(
        meeting_key=state.key,
        meeting=meeting_view(state.network, state.meeting, towns),
        attending=_group(state, Answer.ATTENDING, Standing.CONFIRMED),
        maybe=_group(state, Answer.MAYBE, Standing.CONFIRMED),
        waitlist=_group(state, Answer.ATTENDING, Standing.WAITLISTED),
        not_attending=tuple(
            m.name for m in members if by_town.get(m.key) == {Answer.NOT_ATTENDING}
        ),
        no_answer=tuple(m.name for m in members if m.key not in by_town),
        csv_url=links.make(attendees_csv_path(state), now + EXPORT_LIFETIME),
        online=_group(state, Answer.ONLINE, Standing.CONFIRMED),
    )
