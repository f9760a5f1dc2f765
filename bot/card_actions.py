"""Card actions (Action.Execute invokes and Action.Submit fallbacks), dispatched by verb."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bot.background import Background
from bot.links import Links
from bot.views import agenda_view, attendees_view
from cards.agenda import agenda_card
from cards.attendees import attendees_card
from cards.ids import (
    INPUT_DIETARY,
    INPUT_NOTE,
    NOTICE_ID,
    VERB_ATTENDEES,
    VERB_REFRESH,
    VERB_RSVP,
)
from domain.errors import N_, DomainError, InvalidInput
from domain.rsvp import Answer, Standing
from netpuls.i18n import Translator, translator
from services import rsvp
from services.networks import Actor, Directory, identify
from services.ports import Clock, Notifier, Outbound, UnitOfWorkFactory

log = logging.getLogger(__name__)
ERROR_TYPE = "application/vnd.microsoft.error"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True, slots=True)
class CardAction:
    """One click: who, where, which verb, with which data (inputs included).

    The reader's language is either known (`translator`, a message's Action.Submit) or read
    (`read_language`) before the verb runs.
    """

    actor: Actor
    conversation_id: str
    directory: Directory
    verb: str
    data: Mapping[str, Any]
    translator: Translator | None = None
    read_language: Callable[[], Awaitable[str]] | None = None

    @property
    def t(self) -> Translator:
        """The reader's translator (`with_language()` has run)."""
        assert self.translator is not None, "the reader's language is not read yet"
        return self.translator

    async def with_language(self) -> CardAction:
        """This action with the reader's language read."""
        if self.translator is not None:
            return self
        assert self.read_language is not None
        return replace(self, translator=translator(await self.read_language()))


def invoke_body(card: dict[str, Any]) -> dict[str, Any]:
    """The invoke response that replaces the card for the user who clicked."""
    return {"statusCode": 200, "type": CARD_TYPE, "value": card}


def error_body(message: str, status: int = 400) -> dict[str, Any]:
    """An invoke error response with a message Teams can show."""
    return {
        "statusCode": status,
        "type": ERROR_TYPE,
        "value": {"code": "BadRequest" if status == 400 else "Forbidden", "message": message},
    }


class CardActions:
    """The verbs the agenda and attendee cards send."""

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
        self._agendas = rsvp.AgendaRefresher(uow, clock, notifier, self.shared_copy)
        self._verbs: dict[str, Callable[[CardAction], Awaitable[dict[str, Any]]]] = {
            VERB_RSVP: self._rsvp,
            VERB_REFRESH: self._refresh,
            VERB_ATTENDEES: self._attendees,
        }
        from bot.membership_actions import MembershipActions  # it imports this module

        MembershipActions(uow, clock, notifier, background, links).register(self._verbs)
        from bot.sparring_actions import SparringActions  # it imports this module

        SparringActions(uow, clock, notifier, background, self._agendas).register(self._verbs)
        from bot.pairs_actions import PairsActions  # it imports this module

        PairsActions(uow, clock).register(self._verbs)
        from bot.question_actions import QuestionActions  # it imports this module

        QuestionActions(uow, clock, notifier, background).register(self._verbs)

    def extend(
        self, verbs: Mapping[str, Callable[[CardAction], Awaitable[dict[str, Any]]]]
    ) -> None:
        """Add the verbs of a feature built after the card actions (material needs Graph)."""
        clash = set(verbs) & set(self._verbs)
        if clash:
            raise ValueError(f"card verbs already registered: {sorted(clash)}")
        self._verbs.update(verbs)

    async def run(self, action: CardAction) -> dict[str, Any]:
        """The invoke response body for a card action; user errors never raise."""
        handler = self._verbs.get(action.verb)
        action = await action.with_language()
        if handler is None:
            return error_body(action.t("I don't know that card action."))
        try:
            return await handler(action)
        except DomainError as exc:
            return await self._refused(await action.with_language(), exc)

    async def _refused(self, action: CardAction, exc: DomainError) -> dict[str, Any]:
        """Show the reason on the reader's own card when the card is valid, else an error."""
        message = action.t(exc.msgid, **exc.params)
        try:
            state = await rsvp.meeting_state(self._uow(), self._clock, action.data.get("meeting"))
        except DomainError:
            return error_body(message)
        person = await self._person_key(action)
        return invoke_body(
            agenda_card(agenda_view(state, self._links, person, notice=message), action.t)
        )

    async def _person_key(self, action: CardAction) -> str | None:
        async with self._uow() as uow:
            person = await identify(uow, action.actor, None)
        return person.key if person else None

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
            await self._agendas.refresh(answered.state.key)
        if answered.outcome.promoted:
            await rsvp.tell_promoted(
                self._uow(),
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
        state = await rsvp.meeting_state(self._uow(), self._clock, action.data.get("meeting"))
        person = await self._person_key(action)
        return invoke_body(agenda_card(agenda_view(state, self._links, person), action.t))

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
    }[answer]


def _promotion_message(state: rsvp.MeetingState, name: str) -> Outbound:
    t = translator(state.network.language)
    return Outbound(
        text=t(
            "{name}: a place became free at {network}, meeting {number} on "
            "{date}. You are now attending.",
            name=name,
            network=state.network.name,
            number=state.meeting.number,
            date=t.date(state.meeting.day),
        )
    )


def notice_of(card: Mapping[str, Any]) -> str:
    """The notice line at the top of a reader's card (the outcome of their answer)."""
    body = card.get("body") or []
    first = body[0] if body else {}
    return str(first.get("text", "")) if first.get("id") == NOTICE_ID else ""


def action_from_submit(value: object) -> tuple[str, Mapping[str, Any]]:
    """The verb and data of an Action.Submit fallback (a message whose value holds both)."""
    if not isinstance(value, dict) or not isinstance(value.get("verb"), str):
        raise InvalidInput(N_("I don't know that card action."))
    return value["verb"], value


def action_from_invoke(value: object) -> tuple[str, Mapping[str, Any]]:
    """The verb and data of an adaptiveCard/action invoke."""
    action = value.get("action") if isinstance(value, dict) else None
    if not isinstance(action, dict) or action.get("type") != "Action.Execute":
        raise InvalidInput(N_("I don't know that card action."))
    data = action.get("data")
    return str(action.get("verb") or ""), data if isinstance(data, dict) else {}
