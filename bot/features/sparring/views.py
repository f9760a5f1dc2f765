"""Sparring card views from service results, and the messages the bot sends about them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cards import sparring_ids as ids
from cards.erased import shown_name
from cards.meeting import MeetingView, meeting_title, meeting_view
from cards.sparring import host_card
from cards.sparring_views import (
    CaseFormView,
    CaseItem,
    CasesView,
    EvaluationView,
    HostView,
    SummaryCase,
    SummaryView,
)
from cards.summary import evaluation_form_card, summary_card
from domain.model import Meeting, Network, local_day
from domain.sparring import Case, CaseStatus
from domain.text import literal
from netpuls.i18n import Translator, translator
from services.cases import CaseForm, CasesState
from services.evaluations import EvaluationState
from services.host import HostState
from services.ports import Outbound
from services.summaries import SummaryState

MAX_LISTED = 12  # cases on one card
CASES_BUDGET = 60_000  # bytes of case text per card: Teams refuses messages over 100 KB


def _meeting(network: Network, meeting: Meeting, host: str = "") -> MeetingView:
    return meeting_view(network, meeting, {meeting.host: host} if meeting.host and host else {})


def meeting_label(network: Network, meeting: Meeting, t: Translator) -> str:
    """'Network meeting 2 – 30 May 2024' for a choice list."""
    title = meeting_title(_meeting(network, meeting), t)
    return f"{title} – {t.date(meeting.day, 'long')}"


def case_form_view(
    form: CaseForm, t: Translator, typed: Mapping[str, Any] | None = None, notice: str = ""
) -> CaseFormView:
    """The case card, empty or with what the reader typed (after a refusal)."""
    typed = typed or {}

    def value(key: str) -> str:
        found = typed.get(key)
        return found if isinstance(found, str) else ""

    chosen = value(ids.INPUT_MEETING)
    numbers = {str(m.number) for m in form.meetings}
    return CaseFormView(
        meeting_key=f"{form.network.slug}:{form.chosen}",
        network_name=form.network.name,
        meetings=tuple((str(m.number), meeting_label(form.network, m, t)) for m in form.meetings),
        chosen=chosen if chosen in numbers else str(form.chosen),
        themes=form.network.themes,
        title=value(ids.INPUT_TITLE)[:500],
        description=value(ids.INPUT_DESCRIPTION)[:5000],
        chosen_themes=value(ids.INPUT_THEMES)[:200],
        notice=notice,
    )


def _item(case: Case, t: Translator) -> CaseItem:
    # An erased submitter reads "a participant from <municipality>": the town is said once.
    town = case.municipality_name if case.submitter_name else ""
    return CaseItem(
        id=case.id,
        title=case.title,
        description=case.description,
        themes=case.themes,
        submitter=shown_name(case.submitter_name, case.municipality_name, t),
        municipality=town,
        status=case.status.value,
        position=case.position,
        decision_note=case.decision_note,
        sparring_notes=case.sparring_notes,
    )


def _weight(case: Case) -> int:
    """Roughly what a case adds to the card, in bytes of JSON (non-ASCII is escaped)."""
    texts = (case.title, case.description, case.decision_note, case.sparring_notes * 2)
    return sum(len(json.dumps(t)) for t in texts) + 3000


def cases_view(state: CasesState, t: Translator, notice: str = "") -> CasesView:
    """A meeting's cases as the reader may see them, as many as Teams' size limit allows."""
    shown: list[Case] = []
    room = CASES_BUDGET
    for case in state.cases[:MAX_LISTED]:
        room -= _weight(case)
        if room < 0 and shown:
            break
        shown.append(case)
    return CasesView(
        meeting_key=state.key,
        meeting=_meeting(state.network, state.meeting),
        cases=tuple(_item(c, t) for c in shown),
        reviewer=state.reviewer,
        notes_open=state.notes_open,
        hidden=len(state.cases) - len(shown),
        notice=notice,
    )


def host_view(state: HostState, notice: str = "") -> HostView:
    """The host's co-planning card."""
    return HostView(
        meeting_key=state.key,
        meeting=_meeting(state.network, state.meeting, state.host_name),
        proposals=state.plan.programme,
        address=state.plan.address,
        what_to_see=state.plan.what_to_see,
        notice=notice,
    )


def summary_view(
    state: SummaryState, notice: str = "", typed: Mapping[str, Any] | None = None
) -> SummaryView:
    """The summary with its accepted cases; a case's note defaults to its sparring notes."""
    summary = state.summary
    typed = typed or {}

    def value(key: str, stored: str) -> str:
        found = typed.get(key)
        return found if isinstance(found, str) else stored

    posted = local_day(summary.posted_at, state.network.zone) if summary.posted_at else None
    cases = tuple(
        SummaryCase(
            c.id,
            c.title,
            c.municipality_name,
            value(f"{ids.INPUT_CASE_NOTE}{c.id}", summary.note_for(c.id) or c.sparring_notes),
        )
        for c in state.cases
    )
    return SummaryView(
        meeting_key=state.key,
        meeting=_meeting(state.network, state.meeting),
        key_points=value("key_points", summary.key_points),
        good_advice=value("good_advice", summary.good_advice),
        experiences=value("experiences", summary.experiences),
        next_steps=value("next_steps", summary.next_steps),
        cases=cases,
        posted_on=posted if summary.posted else None,
        notice=notice,
    )


def posted_summary_view(state: SummaryState) -> SummaryView:
    """The channel's copy: only the notes the facilitator kept in the summary."""
    view = summary_view(state)
    notes = tuple(
        SummaryCase(c.id, c.title, c.municipality, state.summary.note_for(c.id)) for c in view.cases
    )
    return SummaryView(
        view.meeting_key,
        view.meeting,
        view.key_points,
        view.good_advice,
        view.experiences,
        view.next_steps,
        notes,
        view.posted_on,
    )


def evaluation_view(state: EvaluationState, notice: str = "") -> EvaluationView:
    """The evaluation form, or the facilitator's totals when the state carries them."""
    results = state.results
    return EvaluationView(
        meeting_key=state.key,
        meeting=_meeting(state.network, state.meeting),
        answers=results.answers if results else 0,
        counts=results.counts if results else (0, 0, 0, 0, 0),
        mean=results.mean if results else None,
        comments=results.comments if results else (),
        notice=notice,
        shown_from=results.shown_from if results else 0,
    )


# Proactive messages are written in the network's language: the reader is not at hand.


def decision_message(case: Case, network: Network) -> Outbound:
    """What the submitter is told after the facilitator's decision."""
    t = translator(network.language)
    if case.status is CaseStatus.ACCEPTED:
        line = t(
            "Your problem statement '{title}' is accepted for meeting {number}.",
            title=literal(case.title),
            number=case.meeting,
        )
    elif case.status is CaseStatus.DECLINED:
        line = t(
            "Your problem statement '{title}' is not on the agenda of meeting {number}.",
            title=literal(case.title),
            number=case.meeting,
        )
    else:
        line = t(
            "The facilitator edited your problem statement '{title}'.", title=literal(case.title)
        )
    if case.decision_note:
        line += "\n\n" + t("Note from the facilitator: {note}", note=literal(case.decision_note))
    return Outbound(text=line)


def notes_message(case: Case, network: Network) -> Outbound:
    """What the submitter is told when sparring notes are added to their case."""
    t = translator(network.language)
    head = t(
        "Sparring notes were added to your problem statement '{title}':", title=literal(case.title)
    )
    return Outbound(text=f"{head}\n\n{literal(case.sparring_notes)}")


def host_message(state: HostState) -> Outbound:
    """The host prompt: the co-planning card, in the network's language."""
    t = translator(state.network.language)
    return Outbound(card=host_card(host_view(state), t))


def summary_message(state: SummaryState) -> Outbound:
    """The posted summary card, in the network's language."""
    t = translator(state.network.language)
    return Outbound(card=summary_card(posted_summary_view(state), t))


def reminder_message(state: SummaryState) -> Outbound:
    """The D+1 reminder to the facilitator."""
    t = translator(state.network.language)
    return Outbound(
        text=t(
            "The summary of meeting {number} of {network} is not posted yet. "
            "Write summary {number} to open it.",
            number=state.meeting.number,
            network=literal(state.network.name),
        )
    )


def evaluation_message(state: EvaluationState) -> Outbound:
    """The evaluation card sent to attendees after the meeting."""
    t = translator(state.network.language)
    return Outbound(card=evaluation_form_card(evaluation_view(state), t))
