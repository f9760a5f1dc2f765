"""The "did you meet?" card's verb; CardActions delegates here."""

from __future__ import annotations

from typing import Any

from bot.routing.card_actions import CardAction, Verb, error_body, invoke_body
from cards.pairs import DATA_GROUP, DATA_MET, VERB_PAIR_MET, PairMetView, pair_met_card
from domain.errors import DomainError
from services import pairs
from services.ports import Clock, UnitOfWorkFactory


class PairsActions:
    """Records an answer and shows it on the reader's copy of the card."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def verbs(self) -> dict[str, Verb]:
        """The verb of the "did you meet?" card."""
        return {VERB_PAIR_MET: self._met}

    async def _met(self, action: CardAction) -> dict[str, Any]:
        try:
            answer = await pairs.answer_met(
                self._uow(),
                self._clock,
                action.data.get(DATA_GROUP),
                action.data.get(DATA_MET),
                action.actor,
                action.directory,
            )
        except DomainError as exc:
            return error_body(action.t(exc.msgid, **exc.params))
        notice = (
            action.t("Thank you: you met. It counts for both of you.")
            if answer.met
            else action.t("Thank you. Perhaps next round.")
        )
        view = PairMetView(
            answer.group.id, answer.network_name, answer.names, answer.group.themes, notice
        )
        return invoke_body(pair_met_card(view, action.t))
