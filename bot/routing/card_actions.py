"""Card actions (Action.Execute invokes and Action.Submit fallbacks), dispatched by verb."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bot.routing import card_data
from cards.ids import NOTICE_ID
from domain.errors import N_, DomainError, InvalidInput
from domain.text import clean
from netpuls.i18n import Translator, translator
from services.networks import Actor, Directory

log = logging.getLogger(__name__)
ERROR_TYPE = "application/vnd.microsoft.error"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
INVALID_DATA = N_("This card's data is not valid. Please use the card from its latest message.")


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


Verb = Callable[[CardAction], Awaitable[dict[str, Any]]]
Refusal = Callable[[CardAction, DomainError], Awaitable[dict[str, Any]]]


class CardActions:
    """The verbs every feature registered, and how a click reaches its verb."""

    def __init__(self) -> None:
        self._verbs: dict[str, Verb] = {}
        self._refusals: dict[str, Refusal] = {}

    def register(
        self,
        verbs: Mapping[str, Verb],
        *,
        refused: Refusal | None = None,
    ) -> None:
        """Add a feature's verbs; `refused` shows a refusal on the feature's own card."""
        clash = set(verbs) & set(self._verbs)
        if clash:
            raise ValueError(f"card verbs already registered: {sorted(clash)}")
        unchecked = set(verbs) - set(card_data.MODELS)
        if unchecked:
            raise ValueError(f"card verbs without a model of their data: {sorted(unchecked)}")
        self._verbs.update(verbs)
        if refused is not None:
            self._refusals.update(dict.fromkeys(verbs, refused))

    async def run(self, action: CardAction) -> dict[str, Any]:
        """The invoke response body for a card action; user errors never raise."""
        handler = self._verbs.get(action.verb)
        action = await action.with_language()
        if handler is None:
            return error_body(action.t("I don't know that card action."))
        if not card_data.valid(action.verb, action.data):
            # Not what one of our cards sends: refused before the verb reads any of it.
            return error_body(action.t(INVALID_DATA))
        action = replace(action, data=_cleaned(action.data))
        try:
            return await handler(action)
        except DomainError as exc:
            refused = self._refusals.get(action.verb)
            if refused is None:
                return error_body(action.t(exc.msgid, **exc.params))
            return await refused(action, exc)


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
    verb = action.get("verb")
    if not isinstance(verb, str):
        raise InvalidInput(N_("I don't know that card action."))
    if data is None:  # an Action.Execute without data or inputs
        return verb, {}
    if not isinstance(data, dict):
        raise InvalidInput(INVALID_DATA)
    return verb, data


def _cleaned(data: Mapping[str, Any]) -> dict[str, Any]:
    # What people typed into a card's inputs, without control or direction characters.
    return {k: clean(v, multiline=True) if isinstance(v, str) else v for k, v in data.items()}
