"""The privacy card's verbs: ask to confirm the erasure, then erase the clicker's own data."""

from __future__ import annotations

from typing import Any

from bot.features.privacy.commands import privacy_view
from bot.routing.card_actions import CardAction, Verb, error_body, invoke_body
from bot.routing.links import Links
from cards.privacy import (
    DATA_MUNICIPALITY,
    DATA_NETWORK,
    VERB_PRIVACY_ERASE,
    VERB_PRIVACY_ERASE_CONFIRM,
    VERB_PRIVACY_LEAVE_CONFIRM,
    privacy_card,
)
from cards.sparring import notice_card
from domain.errors import DomainError
from services import privacy
from services.ports import Clock
from services.privacy_ports import PrivacyUnitOfWorkFactory


class PrivacyActions:
    """Each click acts on the clicker's own data only: the card carries no one's id."""

    def __init__(
        self,
        uows: PrivacyUnitOfWorkFactory,
        clock: Clock,
        links: Links,
        retention: tuple[int, int],
    ) -> None:
        self._uows = uows
        self._clock = clock
        self._links = links
        self._retention = retention  # (diet days, months)

    def verbs(self) -> dict[str, Verb]:
        """The privacy card's verbs."""
        return {
            VERB_PRIVACY_ERASE: self._confirm,
            VERB_PRIVACY_ERASE_CONFIRM: self._erase,
            VERB_PRIVACY_LEAVE_CONFIRM: self._leave,
        }

    async def _confirm(self, action: CardAction) -> dict[str, Any]:
        view = await privacy_view(
            self._uows,
            self._links,
            self._clock.now(),
            action.actor.teams_user_id,
            self._retention,
            confirming=True,
        )
        return invoke_body(privacy_card(view, action.t))

    async def _erase(self, action: CardAction) -> dict[str, Any]:
        who = action.actor.teams_user_id
        try:
            await privacy.erase(self._uows, self._clock, teams_user_id=who, actor=who)
        except DomainError as exc:
            return error_body(action.t(exc.msgid, **exc.params))
        return invoke_body(notice_card(action.t("Your data is erased. Thank you for taking part.")))

    async def _leave(self, action: CardAction) -> dict[str, Any]:
        """The secretariat confirmed that a municipality's people are erased."""
        left, erasure = await privacy.erase_leaving(
            self._uows,
            self._clock,
            slug=action.data.get(DATA_NETWORK),
            municipality=action.data.get(DATA_MUNICIPALITY),
            actor=action.actor,
            directory=action.directory,
        )
        done = action.t(
            "The people of {municipality} in {network} are erased: {people} people, {count} "
            "records changed or deleted.",
            municipality=left.municipality.name,
            network=left.network.name,
            people=left.people,
            count=erasure.total,
        )
        return invoke_body(notice_card(done))
