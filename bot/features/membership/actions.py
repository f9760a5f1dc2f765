"""Card actions for joining a network: send an application, propose and confirm a selection."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.features.membership.views import (
    confirmed_view,
    decision_message,
    form_view,
    selection_view,
    typed_values,
)
from bot.features.membership.welcome import welcome_renderer
from bot.routing.background import Background
from bot.routing.card_actions import CardAction, Verb, error_body, invoke_body
from bot.routing.commands import Command
from bot.routing.links import Links
from cards.membership import DATA_BASE, DATA_NETWORK, DATA_REPLACE, VERB_APPLY, application_card
from cards.selection import (
    DATA_CHOSEN,
    INPUT_FIX_IN,
    INPUT_FIX_OUT,
    INPUT_SEATS,
    VERB_CONFIRM,
    VERB_PROPOSE,
    confirmed_card,
    selection_card,
)
from domain.errors import DomainError, InvalidInput
from domain.membership import DuplicateApplication
from domain.numbers import small_number
from netpuls.i18n import translator
from services import admission, membership, selection
from services.ports import Clock, Notifier, UnitOfWorkFactory


def _keys(value: object) -> tuple[str, ...]:
    """A multi-select ChoiceSet's value: 'a,b,c'."""
    if not isinstance(value, str):
        return ()
    return tuple(k.strip() for k in value.split(",") if k.strip())[:500]


def _seats(value: object) -> int | None:
    """An Input.Number's value (a number, or its text in the Submit fallback)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    return small_number(value, digits=5)


class MembershipActions:
    """The application and selection cards' verbs; CardActions delegates them here."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        notifier: Notifier,
        background: Background,
        links: Links,
        commands: Iterable[Command],
    ) -> None:
        # Queued with the admission, sent by the outbox.
        self._welcome = welcome_renderer(links, commands)
        self._uow = uow
        self._clock = clock
        self._notifier = notifier
        self._background = background

    def verbs(self) -> dict[str, Verb]:
        """The verbs this object answers."""
        return {VERB_APPLY: self._apply, VERB_PROPOSE: self._propose, VERB_CONFIRM: self._confirm}

    async def _apply(self, action: CardAction) -> dict[str, Any]:
        data = action.data
        try:
            done = await membership.submit_application(
                self._uow(),
                self._clock,
                data.get(DATA_NETWORK),
                action.actor,
                data,
                base=data.get(DATA_BASE),
                replace_existing=data.get(DATA_REPLACE),
            )
        except DomainError as exc:
            return await self._refused_application(action, exc)
        t = translator(done.form.state.network.language)
        saved = done.application
        notice = t(
            "Thank you: the application from {municipality} is saved as version {version}. "
            "You can change it until {deadline}.",
            municipality=saved.municipality_name,
            version=saved.version,
            deadline=done.form.state.closes_at,
        )
        return invoke_body(application_card(form_view(done.form, notice=notice), t))

    async def _refused_application(self, action: CardAction, exc: DomainError) -> dict[str, Any]:
        """The reason on the form, in the network's language, with what was typed kept."""
        try:
            found = await membership.form_of(
                self._uow(), self._clock, action.data.get(DATA_NETWORK)
            )
        except DomainError:
            return error_body(action.t(exc.msgid, **exc.params))
        t = translator(found.state.network.language)
        base = action.data.get(DATA_BASE)
        view = form_view(
            found,
            values=typed_values(action.data),
            base=base if isinstance(base, str) and len(base) <= 100 else "",
            notice=t(exc.msgid, **exc.params),
            offer_replace=isinstance(exc, DuplicateApplication),
        )
        return invoke_body(application_card(view, t))

    async def _propose(self, action: CardAction) -> dict[str, Any]:
        data, slug = action.data, action.data.get(DATA_NETWORK)
        if not isinstance(slug, str):
            return error_body(action.t("This card does not belong to a network I know."))
        notice = ""
        try:
            found = await selection.propose_selection(
                self._uow(),
                self._clock,
                slug,
                seats=_seats(data.get(INPUT_SEATS)),
                fixed_in=_keys(data.get(INPUT_FIX_IN)),
                fixed_out=_keys(data.get(INPUT_FIX_OUT)),
                actor=action.actor,
                directory=action.directory,
            )
        except InvalidInput as exc:
            # The adjustments cannot be met: say why and propose without them.
            notice = action.t(exc.msgid, **exc.params)
            found = await selection.propose_selection(
                self._uow(), self._clock, slug, actor=action.actor, directory=action.directory
            )
        return invoke_body(selection_card(selection_view(found, notice), action.t))

    async def _confirm(self, action: CardAction) -> dict[str, Any]:
        decided = await admission.confirm_selection(
            self._uow(),
            self._clock,
            action.data.get(DATA_NETWORK),
            action.data.get(DATA_CHOSEN),
            action.actor,
            action.directory,
            welcome=self._welcome,
        )
        answers, unreachable = await admission.reachable(self._uow(), decided)
        if answers:
            # Answer the click first; the applicants' messages follow in the background.
            self._background.spawn(
                admission.send_answers(self._notifier, decided.network, answers, decision_message),
                name=f"admission:{decided.network.slug}",
            )
        view = confirmed_view(decided, len(answers), unreachable)
        return invoke_body(confirmed_card(view, action.t))
