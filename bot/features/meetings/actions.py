"""The agenda and attendee cards' verbs: answer for your municipality, refresh, attendees."""

from __future__ import annotations

from typing import Any

from bot.features.meetings.views import agenda_view, attendees_view
from bot.routing.background import Background
from bot.routing.card_actions import CardAction, Verb, error_body, invoke_body
from bot.routing.links import Links
from cards.agenda import agenda_card
from cards.attendees import attendees_card
from cards.ids import INPUT_DIETARY, INPUT_NOTE, VERB_ATTENDEES, VERB_REFRESH, VERB_RSVP
from domain.errors import DomainError
from domain.rsvp import Answer, Standing
from domain.text import literal
from netpuls.i18n import Translator, translator
from services import rsvp
from services.meeting_state import Reading, read_meeting
from services.ports import Clock, Notifier, Outbound, UnitOfWorkFactory


class MeetingActions:
    """The verbs the agenda and attendee cards send: RSVP, refresh, attendees."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        notifier: Notifier,
        links: Links,
        background: Background,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier
        self._links = links
        self._background = background
        # Every posted copy of a meeting's card is updated after an answer (sparring uses it too).
        self.agendas = rsvp.AgendaRefresher(uow, clock, notifier, self.shared_copy)

    def verbs(self) -> dict[str, Verb]:
        """The verbs of the agenda and attendee cards."""
        return {VERB_RSVP: self._rsvp, VERB_REFRESH: self._refresh, VERB_ATTENDEES: self._attendees}

    async def refused(self, action: CardAction, exc: DomainError) -> dict[str, Any]:
        """Show the reason on the reader's own card when the card is valid, else an error."""
        message = action.t(exc.msgid, **exc.params)
        try:
            reading = await self._read(action)
        except DomainError:  # no meeting, or a reader outside its network: the reason only
            return error_body(message)
        view = agenda_view(reading.state, self._links, reading.person.key, notice=message)
        return invoke_body(agenda_card(view, action.t))

    async def _read(self, action: CardAction) -> Reading:
        return await read_meeting(
            self._uow(), self._clock, action.data.get("meeting"), action.actor, action.directory
        )

    async def _rsvp(self, action: CardAction) -> dict[str, Any]:
        data = action.data
        answered = await rsvp.respond(
            self._uow(),
            self._clock,
            data.get("meeting"),
            action.actor,
            action.directory,
            data.get("answer"),
            data.get(INPUT_DIETARY, ""),
            data.get(INPUT_NOTE, ""),
            action.conversation_id,
        )
        mine = answered.outcome.rsvp
        notice = _confirmation(action.t, mine.answer, mine.standing)
        if answered.cards_posted or answered.outcome.promoted:
            self._background.spawn(self._after_answer(answered), name=f"rsvp:{answered.state.key}")
        view = agenda_view(answered.state, self._links, answered.person.key, notice)
        return invoke_body(agenda_card(view, action.t))

    async def _after_answer(self, answered: rsvp.Answered) -> None:
        """Update every posted copy of the card and tell anyone promoted from the waitlist."""
        if answered.cards_posted:
            await self.agendas.refresh(answered.state.key)
        if answered.outcome.promoted:
            await rsvp.tell_promoted(
                self._uow(),
                self._clock,
                self._notifier,
                answered.state,
                answered.outcome.promoted,
                _promotion_message,
            )

    def shared_copy(self, state: rsvp.MeetingState) -> Outbound:
        """The agenda card as everyone sees it in the channel, in the network's language."""
        t = translator(state.network.language)
        return Outbound(card=agenda_card(agenda_view(state, self._links), t))

    async def _refresh(self, action: CardAction) -> dict[str, Any]:
        reading = await self._read(action)
        view = agenda_view(reading.state, self._links, reading.person.key)
        return invoke_body(agenda_card(view, action.t))

    async def _attendees(self, action: CardAction) -> dict[str, Any]:
        state = await rsvp.attendees(
            self._uow(), self._clock, action.data.get("meeting"), action.actor, action.directory
        )
        view = attendees_view(state, self._links, self._clock.now())
        return invoke_body(attendees_card(view, action.t))


def _confirmation(t: Translator, answer: Answer, standing: Standing) -> str:
    if answer is Answer.ATTENDING and standing is Standing.WAITLISTED:
        return t(
            "The meeting is full: you are on the waitlist. I will tell you if a place becomes free."
        )
    return {
        Answer.ATTENDING: t("Thank you: you are attending."),
        Answer.NOT_ATTENDING: t("Thank you: you are not attending."),
        Answer.MAYBE: t("Thank you: you might attend."),
        Answer.ONLINE: t("Thank you: you are attending online. The Teams link is on the card."),
    }[answer]


def _promotion_message(state: rsvp.MeetingState, name: str) -> Outbound:
    t = translator(state.network.language)
    return Outbound(
        text=t(
            "{name}: a place became free at {network}, meeting {number} on "
            "{date}. You are now attending.",
            name=literal(name),
            network=literal(state.network.name),
            number=state.meeting.number,
            date=t.date(state.meeting.day),
        )
    )
