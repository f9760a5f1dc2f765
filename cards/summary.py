"""The summary (the facilitator's form and the posted card) and the evaluation cards."""

from __future__ import annotations

from babel.numbers import format_decimal

from cards import sparring_ids as ids
from cards.agenda import execute_action, meeting_summary, plain, section_title, when_text
from cards.elements import Element, card, facts, heading, text
from cards.meeting import meeting_title
from cards.sparring import notice, text_input
from cards.sparring_views import EvaluationView, SummaryView
from domain.sparring import MAX_CASE_NOTE, MAX_COMMENT, MAX_SUMMARY_FIELD
from domain.text import literal
from netpuls.i18n import Translator


def _sections(view: SummaryView, t: Translator) -> list[tuple[str, str, str]]:
    """(input id, heading, text) of the summary's four parts."""
    labels = (t("Key points"), t("Good advice"), t("Experiences"), t("Next steps"))
    values = (view.key_points, view.good_advice, view.experiences, view.next_steps)
    return list(zip(ids.SUMMARY_INPUTS, labels, values, strict=True))


def summary_form_card(view: SummaryView, t: Translator) -> Element:
    """The facilitator's form: the four parts and a note per accepted case; draft or posted."""
    meeting = view.meeting
    title = t("Summary: {meeting}", meeting=meeting_title(meeting, t))
    if view.posted_on:
        state = t(
            "Posted on {date}. Saving updates the posted summary.", date=t.date(view.posted_on)
        )
    else:
        state = t("Draft: only you and the secretariat see it until it is posted.")
    body: list[Element] = [
        *notice(view.notice),
        *heading(
            literal(title), subtle=literal(f"{meeting.network_name} · {when_text(meeting, t)}")
        ),
        text(state, isSubtle=True),
    ]
    for input_id, label, value in _sections(view, t):
        body.append(text_input(input_id, label, MAX_SUMMARY_FIELD, value=value, multiline=True))
    if view.cases:
        body.append(section_title(t("Notes per problem statement")))
    for case in view.cases:
        label = f"{case.title} ({case.municipality})" if case.municipality else case.title
        body.append(
            text_input(
                ids.INPUT_CASE_NOTE + str(case.id),
                label,
                MAX_CASE_NOTE,
                value=case.note,
                multiline=True,
            )
        )
    save = ids.sparring_data(ids.VERB_SUMMARY_SAVE, view.meeting_key)
    post = ids.sparring_data(ids.VERB_SUMMARY_POST, view.meeting_key)
    if view.posted_on:
        actions = [execute_action(t("Save and update the posted summary"), save)]
    else:
        actions = [
            execute_action(t("Save draft"), save),
            execute_action(t("Post to the channel"), post),
        ]
    return card(body, actions=actions, fallback_text=title)


def summary_card(view: SummaryView, t: Translator) -> Element:
    """The summary as the channel reads it: typed text is shown as typed, never as Markdown."""
    meeting = view.meeting
    title = t("Summary: {meeting}", meeting=meeting_title(meeting, t))
    subtle = f"{meeting.network_name} · {when_text(meeting, t)}"
    body: list[Element] = heading(literal(title), subtle=literal(subtle))
    if meeting.host_name:
        host, place = literal(meeting.host_name), literal(meeting.place)
        body.append(facts([(t("Host"), host), (t("Place"), place)]))
    for _, label, value in _sections(view, t):
        if value:
            body += [section_title(label), plain((value, False))]
    noted = [c for c in view.cases if c.note]
    if noted:
        body.append(section_title(t("Problem statements")))
    for case in noted:
        by = f" – {case.municipality}" if case.municipality else ""
        body.append(plain((case.title + by, True)))
        body.append(plain((case.note, False)))
    fallback = f"{title} – {meeting_summary(meeting, t)}"
    return card(body, fallback_text=fallback, speak=fallback)


def usefulness_labels(t: Translator) -> list[str]:
    """The five answers, from 1 (not useful) to 5 (very useful)."""
    return [
        t("1 – not useful"),
        t("2 – a little useful"),
        t("3 – useful"),
        t("4 – very useful"),
        t("5 – extremely useful"),
    ]


def evaluation_form_card(view: EvaluationView, t: Translator) -> Element:
    """The attendee's evaluation: usefulness from 1 to 5 and an optional comment."""
    meeting = view.meeting
    title = t("How useful was {meeting}?", meeting=meeting_title(meeting, t))
    choices = [{"title": label, "value": str(i)} for i, label in enumerate(usefulness_labels(t), 1)]
    body: list[Element] = [
        *notice(view.notice),
        *heading(
            literal(title), subtle=literal(f"{meeting.network_name} · {when_text(meeting, t)}")
        ),
        {
            "type": "Input.ChoiceSet",
            "id": ids.INPUT_USEFULNESS,
            "label": t("Usefulness"),
            "style": "expanded",
            "choices": choices,
        },
        text_input(ids.INPUT_COMMENT, t("Comment (optional)"), MAX_COMMENT, multiline=True),
        text(
            t("Your answer is anonymous: the facilitator sees only the totals."),
            isSubtle=True,
        ),
    ]
    send = ids.sparring_data(ids.VERB_EVALUATE, view.meeting_key)
    return card(body, actions=[execute_action(t("Send"), send)], fallback_text=title)


def evaluation_thanks_card(view: EvaluationView, t: Translator) -> Element:
    """What replaces the evaluation form once answered (or when it cannot be answered)."""
    title = meeting_title(view.meeting, t)
    return card(
        [*notice(view.notice), *heading(literal(title), subtle=literal(view.meeting.network_name))],
        fallback_text=view.notice or title,
    )


def below_minimum(answers: int, minimum: int, t: Translator) -> str:
    """'2 answer(s) so far; totals are shown from 3 …': why the totals are withheld."""
    return t(
        "{count} answer(s) so far; totals are shown from {minimum}, so that no answer "
        "can be traced to a person.",
        count=answers,
        minimum=minimum,
    )


def evaluation_results_card(view: EvaluationView, t: Translator) -> Element:
    """The facilitator's totals: answers, average, the spread and the comments; never who."""
    meeting = view.meeting
    title = t("Evaluation: {meeting}", meeting=meeting_title(meeting, t))
    subtle = f"{meeting.network_name} · {when_text(meeting, t)}"
    if view.answers < view.shown_from:
        withheld = [
            *heading(literal(title), subtle=literal(subtle)),
            text(below_minimum(view.answers, view.shown_from, t)),
        ]
        return card(withheld, fallback_text=title)
    mean = format_decimal(view.mean, "0.0", locale=t.locale) if view.mean is not None else "–"
    body: list[Element] = [
        *heading(literal(title), subtle=literal(subtle)),
        facts([(t("Answers"), str(view.answers)), (t("Average usefulness"), f"{mean} / 5")]),
    ]
    if view.answers:
        spread = [
            (label, str(count))
            for label, count in zip(usefulness_labels(t), view.counts, strict=True)
        ]
        body += [section_title(t("Spread")), facts(spread)]
    if view.comments:
        body.append(section_title(t("Comments")))
        body += [plain((f"“{comment}”", False)) for comment in view.comments]
    body.append(text(t("Answers are anonymous; only totals are shown."), isSubtle=True))
    return card(body, fallback_text=title)
