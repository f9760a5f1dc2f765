"""The problem-statement cards: submit a case, review the cases, the host's co-planning card."""

from __future__ import annotations

from cards import sparring_ids as ids
from cards.agenda import execute_action, plain, section_title, when_text
from cards.elements import Element, card, facts, heading, text
from cards.meeting import meeting_title
from cards.sparring_views import CaseFormView, CaseItem, CasesView, HostView
from domain.sparring import (
    MAX_ADDRESS,
    MAX_DECISION_NOTE,
    MAX_DESCRIPTION,
    MAX_PROPOSAL,
    MAX_PROPOSALS,
    MAX_SPARRING_NOTES,
    MAX_TITLE,
    MAX_WHAT_TO_SEE,
)
from domain.text import literal
from netpuls.i18n import Translator


def notice(message: str) -> list[Element]:
    """The outcome of the reader's last click, at the top of their copy."""
    if not message:
        return []
    return [text(literal(message), id="notice", weight="Bolder", color="Accent")]


def text_input(
    input_id: str,
    label: str,
    limit: int,
    *,
    value: str = "",
    multiline: bool = False,
    hint: str = "",
) -> Element:
    """A text input with its label and limit; pre-filled when a value is given."""
    out: Element = {"type": "Input.Text", "id": input_id, "label": label, "maxLength": limit}
    if multiline:
        out["isMultiline"] = True
    if value:
        out["value"] = value
    if hint:
        out["placeholder"] = hint
    return out


def notice_card(message: str) -> Element:
    """A card that only says what happened, for a form that cannot be shown again."""
    return card(notice(message), fallback_text=message)


def case_form_card(view: CaseFormView, t: Translator) -> Element:
    """Submit a problem statement: title, description, themes and the meeting it is for."""
    body: list[Element] = [
        *notice(view.notice),
        *heading(t("Submit a problem statement"), subtle=literal(view.network_name)),
        text(t("Bring a question from your own work for the network to spar on.")),
        text_input(
            ids.INPUT_TITLE,
            t("Title (at most {limit} characters)", limit=MAX_TITLE),
            MAX_TITLE,
            value=view.title,
        ),
        text_input(
            ids.INPUT_DESCRIPTION,
            t(
                "The question you want sparring on (at most {limit} characters)",
                limit=MAX_DESCRIPTION,
            ),
            MAX_DESCRIPTION,
            value=view.description,
            multiline=True,
        ),
    ]
    body += _choices(view, t)
    send = ids.sparring_data(ids.VERB_CASE_SUBMIT, view.meeting_key)
    summary = t("Submit a problem statement")
    return card(body, actions=[execute_action(t("Submit"), send)], fallback_text=summary)


def _choices(view: CaseFormView, t: Translator) -> list[Element]:
    """The network's themes (several may be chosen) and the meeting the case is for."""
    out: list[Element] = []
    if view.themes:
        themes: Element = {
            "type": "Input.ChoiceSet",
            "id": ids.INPUT_THEMES,
            "label": t("Themes"),
            "isMultiSelect": True,
            "style": "expanded",
            "choices": [{"title": theme, "value": str(i)} for i, theme in enumerate(view.themes)],
        }
        if view.chosen_themes:
            themes["value"] = view.chosen_themes
        out.append(themes)
    out.append(
        {
            "type": "Input.ChoiceSet",
            "id": ids.INPUT_MEETING,
            "label": t("For the meeting"),
            "style": "compact",
            "value": view.chosen,
            "choices": [{"title": label, "value": number} for number, label in view.meetings],
        }
    )
    return out


def case_received_card(view: CaseFormView, t: Translator) -> Element:
    """The confirmation that replaces the form once a case is stored."""
    body: list[Element] = [
        *notice(view.notice),
        *heading(literal(view.title), subtle=literal(view.network_name)),
        plain((view.description, False)),
    ]
    again = ids.sparring_data(ids.VERB_CASE_FORM, view.meeting_key)
    actions = [execute_action(t("Submit another"), again, inputs=False)]
    return card(body, actions=actions, fallback_text=view.notice)


def status_label(case: CaseItem, t: Translator) -> str:
    """'Waiting for a decision', 'Accepted (no. 2 on the agenda)' or 'Declined'."""
    if case.status == "accepted":
        if case.position:
            return t("Accepted (no. {position} on the agenda)", position=case.position)
        return t("Accepted")
    if case.status == "declined":
        return t("Declined")
    return t("Waiting for a decision")


def cases_card(view: CasesView, t: Translator) -> Element:
    """The cases of a meeting, each with its decision (facilitator) or sparring notes."""
    title = t("Problem statements: {meeting}", meeting=meeting_title(view.meeting, t))
    subtle = f"{view.meeting.network_name} · {when_text(view.meeting, t)}"
    body: list[Element] = [*notice(view.notice), *heading(literal(title), subtle=literal(subtle))]
    if not view.cases:
        empty = (
            t("No problem statements yet.") if view.reviewer else t("You have not submitted any.")
        )
        body.append(text(empty, isSubtle=True))
    for case in view.cases:
        body += _case(case, view, t)
    if view.hidden:
        body.append(text(t("{count} more not shown.", count=view.hidden), isSubtle=True))
    new = ids.sparring_data(ids.VERB_CASE_FORM, view.meeting_key)
    actions = [execute_action(t("Submit a problem statement"), new, inputs=False)]
    return card(body, actions=actions, fallback_text=title)


def _case(case: CaseItem, view: CasesView, t: Translator) -> list[Element]:
    by = ", ".join(part for part in (case.submitter, case.municipality) if part)
    out: list[Element] = [
        plain((case.title, True)),
        text(literal(f"{by} · {status_label(case, t)}"), isSubtle=True, spacing="None"),
        plain((case.description, False)),
    ]
    details = [
        (t("Themes"), literal("; ".join(case.themes))),
        (t("Note from the facilitator"), literal(case.decision_note)),
    ]
    if any(value for _, value in details):
        out.append(facts(details))
    if case.sparring_notes:
        out += [section_title(t("Sparring notes")), plain((case.sparring_notes, False))]
    cards: list[Element] = []
    if view.reviewer:
        cards.append(_decide(case, view.meeting_key, t))
    if view.notes_open and case.status == "accepted":
        cards.append(_notes(case, view.meeting_key, t))
    if cards:
        out.append({"type": "ActionSet", "actions": cards})
    container: Element = {"type": "Container", "separator": True, "spacing": "Medium", "items": out}
    return [container]


def _show(title: str, inputs: list[Element], actions: list[Element]) -> Element:
    """A button that unfolds a small form under the case."""
    return {
        "type": "Action.ShowCard",
        "title": title,
        "card": {"type": "AdaptiveCard", "body": inputs, "actions": actions},
    }


def _decide(case: CaseItem, meeting_key: str, t: Translator) -> Element:
    cid = str(case.id)
    inputs = [
        text_input(ids.INPUT_EDIT_TITLE + cid, t("New title (empty keeps it)"), MAX_TITLE),
        text_input(
            ids.INPUT_EDIT_DESCRIPTION + cid,
            t("New description (empty keeps it)"),
            MAX_DESCRIPTION,
            multiline=True,
        ),
        {
            "type": "Input.Number",
            "id": ids.INPUT_POSITION + cid,
            "label": t("Place on the agenda (1 is first)"),
            "min": 1,
            "max": 99,
            **({"value": case.position} if case.position else {}),
        },
        text_input(
            ids.INPUT_DECISION_NOTE + cid,
            t("Note to the submitter"),
            MAX_DECISION_NOTE,
            multiline=True,
        ),
    ]
    labels = {"accept": t("Accept"), "decline": t("Decline"), "edit": t("Save changes")}
    actions = [
        execute_action(
            labels[decision],
            ids.sparring_data(
                ids.VERB_CASE_DECIDE,
                meeting_key,
                **{ids.DATA_CASE: cid, ids.DATA_DECISION: decision},
            ),
        )
        for decision in ids.DECISIONS
    ]
    return _show(t("Decide"), inputs, actions)


def _notes(case: CaseItem, meeting_key: str, t: Translator) -> Element:
    cid = str(case.id)
    notes = text_input(
        ids.INPUT_SPARRING_NOTES + cid,
        t("What came out of the sparring"),
        MAX_SPARRING_NOTES,
        value=case.sparring_notes,
        multiline=True,
    )
    save = execute_action(
        t("Save the notes"),
        ids.sparring_data(ids.VERB_CASE_NOTES, meeting_key, **{ids.DATA_CASE: cid}),
    )
    return _show(t("Sparring notes"), [notes], [save])


def host_card(view: HostView, t: Translator) -> Element:
    """The host's co-planning card: propose programme items, describe the field visit."""
    meeting = view.meeting
    title = t("You host {meeting}", meeting=meeting_title(meeting, t))
    body: list[Element] = [
        *notice(view.notice),
        *heading(
            literal(title), subtle=literal(f"{meeting.network_name} · {when_text(meeting, t)}")
        ),
        text(
            t(
                "Help plan the day: propose programme items, describe the field visit and "
                "bring problem statements for the network to spar on."
            )
        ),
    ]
    if meeting.programme:
        programme = [(literal(at), literal(what)) for at, what in meeting.programme]
        body += [section_title(t("Programme so far")), facts(programme)]
    body += [
        text_input(
            ids.INPUT_PROGRAMME,
            t("Your programme proposals (one per line)"),
            MAX_PROPOSALS * (MAX_PROPOSAL + 1),
            value="\n".join(view.proposals),
            multiline=True,
        ),
        text_input(ids.INPUT_ADDRESS, t("Field visit: address"), MAX_ADDRESS, value=view.address),
        text_input(
            ids.INPUT_WHAT_TO_SEE,
            t("Field visit: what we will see"),
            MAX_WHAT_TO_SEE,
            value=view.what_to_see,
            multiline=True,
        ),
    ]
    actions = [
        execute_action(
            t("Save proposals"), ids.sparring_data(ids.VERB_HOST_PLAN, view.meeting_key)
        ),
        execute_action(
            t("Submit a problem statement"),
            ids.sparring_data(ids.VERB_CASE_FORM, view.meeting_key),
            inputs=False,
        ),
    ]
    return card(body, actions=actions, fallback_text=title)
