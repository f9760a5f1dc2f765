"""The D-14 material pack: what is recorded for the coming meeting, posted in the channel."""

from __future__ import annotations

from bot.features.material.views import item_of
from cards.material import MaterialListView, material_card
from cards.meeting import meeting_name
from domain.errors import N_
from domain.model import MeetingKind
from netpuls.i18n import Translator
from services.ports import Outbound
from services.rsvp import MeetingState


def material_pack(state: MeetingState, t: Translator) -> Outbound:
    """The meeting's material as a card (title, kind, who shared it, link), or a call for it."""
    meeting = state.meeting
    facts = {"number": meeting.number, "date": t.date(meeting.day, "long")}
    trip = meeting.kind is MeetingKind.STUDY_TRIP
    if not state.material:
        return Outbound(
            text=t(
                N_(
                    "Material for the study trip on {date}: nothing is shared yet. Send me "
                    "files in a personal chat, or write share trip <link>, and I file them in "
                    "this channel."
                )
                if trip
                else N_(
                    "Material for meeting {number} on {date}: nothing is shared yet. Send me "
                    "files in a personal chat, or write share <link>, and I file them in this "
                    "channel."
                ),
                **facts,
            )
        )
    name = meeting_name(meeting, t)
    view = MaterialListView(
        network_name=state.network.name,
        meeting=name,
        words=(),
        items=tuple(item_of(m, name, t, state.network.zone, state.towns()) for m in state.material),
    )
    intro = t(
        N_(
            "Material for the study trip on {date}: {count} item(s) so far. The programme is "
            "on the trip's card; write material trip to see the list again."
        )
        if trip
        else N_(
            "Material for meeting {number} on {date}: {count} item(s) so far. The programme is "
            "on the agenda card; write material {number} to see the list again."
        ),
        count=len(state.material),
        **facts,
    )
    return Outbound(text=intro, card=material_card(view, t))
