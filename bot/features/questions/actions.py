"""The card verb of a question to the network: the asker marks the helpful answer."""

from __future__ import annotations

from typing import Any

from bot.features.questions.views import ask_view, channel_post, question_view
from bot.routing.background import Background
from bot.routing.card_actions import CardAction, Verb, error_body, invoke_body
from cards.questions import (
    DATA_QUESTION,
    INPUT_HELPFUL,
    INPUT_TEXT,
    INPUT_THEMES,
    VERB_ASK,
    VERB_HELPFUL,
    ask_card,
    question_card,
)
from cards.sparring import notice_card
from domain.errors import DomainError, NotAllowed
from domain.numbers import small_number
from services import questions
from services.ports import Clock, Notifier, UnitOfWorkFactory


class QuestionActions:
    """`question_helpful`: mark, answer with the updated card, update the channel's copy."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, notifier: Notifier, background: Background
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier
        self._background = background

    def verbs(self) -> dict[str, Verb]:
        """The verbs of the question cards."""
        return {VERB_HELPFUL: self._helpful, VERB_ASK: self._ask}

    async def _ask(self, action: CardAction) -> dict[str, Any]:
        typed = str(action.data.get(INPUT_TEXT) or "")
        picked = str(action.data.get(INPUT_THEMES) or "")
        tags = [n.strip() for n in picked.split(",") if n.strip()]
        try:
            state, channels = await questions.ask(
                self._uow(),
                self._clock,
                action.conversation_id,
                action.actor,
                action.directory,
                typed,
                channel_post,
                tags=tags,
            )
        except DomainError as exc:
            network = await questions.ask_form(
                self._uow(), action.conversation_id, action.actor, action.directory
            )
            notice = action.t(exc.msgid, **exc.params)
            return invoke_body(ask_card(ask_view(network, typed, picked, notice), action.t))
        message = action.t(
            "Question {number} is on its way to {count} channel(s); the answers will be its "
            "thread. When one helps, write answered {number}.",
            number=state.question.number,
            count=channels,
        )
        return invoke_body(notice_card(message))

    async def _helpful(self, action: CardAction) -> dict[str, Any]:
        typed = str(action.data.get(INPUT_HELPFUL) or "").strip()
        try:
            state = await questions.mark_helpful(
                self._uow(),
                self._clock,
                action.data.get(DATA_QUESTION),
                action.actor,
                action.directory,
                small_number(typed),
            )
        except DomainError as exc:
            status = 403 if isinstance(exc, NotAllowed) else 400
            return error_body(action.t(exc.msgid, **exc.params), status=status)
        self._background.spawn(
            questions.refresh_posts(self._uow(), self._notifier, state, channel_post),
            name=f"question:{state.key}",
        )
        return invoke_body(question_card(question_view(state, action.t), action.t))
