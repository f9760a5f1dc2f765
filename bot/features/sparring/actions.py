"""Card actions for cases, the host card, summaries and evaluations; CardActions delegates here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any

from bot.features.sparring.final import final_view
from bot.features.sparring.views import (
    case_form_view,
    cases_view,
    decision_message,
    evaluation_view,
    host_view,
    notes_message,
    summary_message,
    summary_view,
)
from bot.routing.background import Background
from bot.routing.card_actions import CardAction, Verb, error_body, invoke_body
from cards import sparring_ids as ids
from cards.final_evaluation import final_form_card, final_thanks_card
from cards.ids import DATA_MEETING
from cards.sparring import case_form_card, case_received_card, cases_card, host_card, notice_card
from cards.summary import evaluation_form_card, evaluation_thanks_card, summary_form_card
from domain.errors import DomainError, NotAllowed
from domain.numbers import small_number
from services import cases, evaluations, final_evaluation, host, rsvp, summaries
from services.ports import Clock, Notifier, Outbound, UnitOfWorkFactory

ALREADY = "You have already evaluated this meeting. Thank you!"


def _message(action: CardAction, exc: DomainError) -> str:
    return action.t(exc.msgid, **exc.params)


def case_notes_typed(data: Mapping[str, Any]) -> dict[int, object]:
    """The per-case notes typed into the summary card, by case id."""
    out: dict[int, object] = {}
    for key, value in data.items():
        suffix = str(key).removeprefix(ids.INPUT_CASE_NOTE)
        number = small_number(suffix)
        if suffix != key and number is not None:
            out[number] = value
    return out


class SparringActions:
    """The verbs of the sparring cards; each answers with the reader's next card."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        notifier: Notifier,
        background: Background,
        agenda: rsvp.AgendaRefresher,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier
        self._background = background
        self._agenda = agenda  # the posted agenda cards list the accepted cases

    def verbs(self) -> dict[str, Verb]:
        """The verbs this object answers."""
        return {
            ids.VERB_CASE_FORM: self._case_form,
            ids.VERB_CASE_SUBMIT: self._case_submit,
            ids.VERB_CASE_DECIDE: self._case_decide,
            ids.VERB_CASE_NOTES: self._case_notes,
            ids.VERB_HOST_PLAN: self._host_plan,
            ids.VERB_SUMMARY_SAVE: self._summary_save,
            ids.VERB_SUMMARY_POST: self._summary_post,
            ids.VERB_EVALUATE: self._evaluate,
            ids.VERB_FINAL_EVALUATE: self._final_evaluate,
        }

    async def _case_form(self, action: CardAction, notice: str = "") -> dict[str, Any]:
        try:
            form = await cases.case_form(
                self._uow(),
                self._clock,
                action.data.get(DATA_MEETING),
                action.actor,
                action.directory,
            )
        except DomainError as exc:
            return error_body(_message(action, exc))
        typed = action.data if notice else None
        return invoke_body(case_form_card(case_form_view(form, action.t, typed, notice), action.t))

    async def _case_submit(self, action: CardAction) -> dict[str, Any]:
        data = action.data
        slug = str(data.get(DATA_MEETING) or "").partition(":")[0]
        fields = {
            "title": data.get(ids.INPUT_TITLE),
            "description": data.get(ids.INPUT_DESCRIPTION),
            "themes": data.get(ids.INPUT_THEMES),
        }
        try:
            case = await cases.submit_case(
                self._uow(),
                self._clock,
                action.actor,
                action.directory,
                slug,
                data.get(ids.INPUT_MEETING),
                fields,
            )
            form = await cases.case_form(
                self._uow(), self._clock, f"{slug}:{case.meeting}", action.actor, action.directory
            )
        except DomainError as exc:
            return await self._case_form(action, notice=_message(action, exc))
        thanks = action.t("Thank you: the facilitator will look at your problem statement.")
        view = replace(
            case_form_view(form, action.t, notice=thanks),
            title=case.title,
            description=case.description,
        )
        return invoke_body(case_received_card(view, action.t))

    async def _cases_after(
        self, action: CardAction, work: Awaitable[cases.Decided], done: str
    ) -> dict[str, Any]:
        try:
            decided = await work
        except DomainError as exc:
            try:
                state = await cases.list_cases(
                    self._uow(),
                    self._clock,
                    action.data.get(DATA_MEETING),
                    action.actor,
                    action.directory,
                )
            except DomainError:
                return error_body(_message(action, exc))
            return invoke_body(
                cases_card(cases_view(state, action.t, _message(action, exc)), action.t)
            )
        return invoke_body(cases_card(cases_view(decided.state, action.t, done), action.t))

    async def _case_decide(self, action: CardAction) -> dict[str, Any]:
        data = action.data
        cid = str(data.get(ids.DATA_CASE, ""))
        decision = data.get(ids.DATA_DECISION)
        fields = {
            "title": data.get(ids.INPUT_EDIT_TITLE + cid),
            "description": data.get(ids.INPUT_EDIT_DESCRIPTION + cid),
            "note": data.get(ids.INPUT_DECISION_NOTE + cid),
            "position": data.get(ids.INPUT_POSITION + cid),
        }
        work = cases.decide_case(
            self._uow(), self._clock, action.actor, action.directory, cid, decision, fields
        )
        done = {
            "accept": action.t("Accepted; the submitter is told."),
            "decline": action.t("Declined; the submitter is told."),
        }.get(str(decision), action.t("Saved; the submitter is told."))
        return await self._cases_after(action, self._then_tell(work, decision_message), done)

    async def _then_tell(
        self, work: Awaitable[cases.Decided], message: Callable[..., Outbound]
    ) -> cases.Decided:
        decided = await work
        self._background.spawn(self._after_case(decided, message), name=f"case:{decided.case.id}")
        return decided

    async def _after_case(self, decided: cases.Decided, message: Callable[..., Outbound]) -> None:
        """Tell the submitter and refresh the posted agenda (its list of accepted cases)."""
        case = decided.case
        await cases.tell_submitter(self._uow(), self._clock, self._notifier, case, message)
        await self._agenda.refresh(f"{case.network}:{case.meeting}")

    async def _case_notes(self, action: CardAction) -> dict[str, Any]:
        cid = str(action.data.get(ids.DATA_CASE, ""))
        notes = action.data.get(ids.INPUT_SPARRING_NOTES + cid)
        work = cases.attach_notes(
            self._uow(), self._clock, action.actor, action.directory, cid, notes
        )
        return await self._cases_after(
            action, self._then_tell(work, notes_message), action.t("The sparring notes are saved.")
        )

    async def _host_plan(self, action: CardAction) -> dict[str, Any]:
        data = action.data
        fields = {
            "programme": data.get(ids.INPUT_PROGRAMME),
            "address": data.get(ids.INPUT_ADDRESS),
            "what_to_see": data.get(ids.INPUT_WHAT_TO_SEE),
        }
        key = data.get(DATA_MEETING)
        try:
            state = await host.save_host_plan(
                self._uow(), self._clock, action.actor, action.directory, key, fields
            )
        except DomainError as exc:
            try:
                state = await host.host_state(self._uow(), key, action.actor, action.directory)
            except DomainError:
                return error_body(_message(action, exc))
            return invoke_body(host_card(host_view(state, _message(action, exc)), action.t))
        saved = action.t("Thank you: your proposals are saved for the facilitator.")
        return invoke_body(host_card(host_view(state, saved), action.t))

    async def _summary_save(self, action: CardAction) -> dict[str, Any]:
        return await self._summary(action, post=False)

    async def _summary_post(self, action: CardAction) -> dict[str, Any]:
        return await self._summary(action, post=True)

    async def _summary(self, action: CardAction, *, post: bool) -> dict[str, Any]:
        data = action.data
        fields: dict[str, object] = {name: data.get(name) for name in ids.SUMMARY_INPUTS}
        fields["case_notes"] = case_notes_typed(data)
        key = data.get(DATA_MEETING)
        try:
            saved = await summaries.save_summary(
                self._uow(),
                self._clock,
                self._notifier,
                key,
                action.actor,
                action.directory,
                fields,
                post=post,
                render=summary_message,
            )
        except DomainError as exc:
            try:
                state = await summaries.open_summary(
                    self._uow(), self._clock, key, action.actor, action.directory
                )
            except DomainError:
                return error_body(_message(action, exc))
            view = summary_view(state, _message(action, exc), typed=data)
            return invoke_body(summary_form_card(view, action.t))
        if saved.already_posted:
            done = action.t(
                "The summary was already posted; the posted summary is updated in "
                "{count} channel(s).",
                count=saved.updated,
            )
        elif saved.created:
            done = action.t("Posted to {count} channel(s).", count=saved.created)
        elif saved.updated:
            done = action.t(
                "Saved; the posted summary is updated in {count} channel(s).", count=saved.updated
            )
        else:
            done = action.t("Draft saved. Nobody else sees it until you post it.")
        return invoke_body(summary_form_card(summary_view(saved.state, done), action.t))

    async def _evaluate(self, action: CardAction) -> dict[str, Any]:
        data = action.data
        key = data.get(DATA_MEETING)
        try:
            state = await evaluations.evaluate(
                self._uow(),
                self._clock,
                key,
                action.actor,
                action.directory,
                data.get(ids.INPUT_USEFULNESS),
                data.get(ids.INPUT_COMMENT),
            )
        except DomainError as exc:
            message = _message(action, exc)
            if isinstance(exc, NotAllowed) or exc.msgid == ALREADY:
                return invoke_body(notice_card(message))
            try:
                form = await evaluations.evaluation_form(
                    self._uow(), self._clock, key, action.actor, action.directory
                )
            except DomainError:
                return error_body(message)
            return invoke_body(evaluation_form_card(evaluation_view(form, message), action.t))
        thanks = action.t("Thank you for your evaluation.")
        return invoke_body(evaluation_thanks_card(evaluation_view(state, thanks), action.t))

    async def _final_evaluate(self, action: CardAction) -> dict[str, Any]:
        data = action.data
        slug = str(data.get(ids.DATA_NETWORK) or "")[:80]
        fields = {
            name: data.get(name)
            for name in (ids.INPUT_USEFULNESS, ids.INPUT_TAKE_HOME, ids.INPUT_RECOMMEND)
        }
        fields["comment"] = data.get(ids.INPUT_COMMENT)
        try:
            state = await final_evaluation.answer_final(
                self._uow(), slug, action.actor, action.directory, fields
            )
        except DomainError as exc:
            message = _message(action, exc)
            if isinstance(exc, NotAllowed) or exc.msgid == final_evaluation.ALREADY:
                return invoke_body(notice_card(message))
            try:
                form = await final_evaluation.final_form(
                    self._uow(), slug, action.actor, action.directory
                )
            except DomainError:
                return error_body(message)
            return invoke_body(final_form_card(final_view(form, message), action.t))
        thanks = action.t("Thank you for your final evaluation.")
        return invoke_body(final_thanks_card(final_view(state, thanks), action.t))
