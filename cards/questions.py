"""Cards for questions to the network: the question's thread card and the list of questions."""

from __future__ import annotations

from dataclasses import dataclass

from cards.agenda import execute_action
from cards.elements import Element, card, facts, heading, text
from cards.ids import DATA_VERB
from domain.text import literal
from netpuls.i18n import Translator

VERB_HELPFUL = "question_helpful"
VERB_ASK = "question_ask"
DATA_QUESTION = "question"
DATA_NETWORK = "network"
INPUT_HELPFUL = "helpful_answer"
INPUT_TEXT = "question_text"
INPUT_THEMES = "question_themes"


@dataclass(frozen=True, slots=True)
class AnswerView:
    """One answer as the card shows it."""

    number: int
    author: str
    text: str
    helpful: bool = False


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question with everything its card shows, already in words."""

    key: str
    number: int
    text: str
    asker: str
    asked_on: str
    themes: tuple[str, ...]
    asked: tuple[str, ...]  # the municipalities asked, by name
    answered: bool
    answers: tuple[AnswerView, ...] = ()


@dataclass(frozen=True, slots=True)
class AskView:
    """The form to ask the network: its themes, and what was typed when it was refused."""

    network: str
    slug: str
    themes: tuple[str, ...]
    limit: int
    text: str = ""
    picked: str = ""  # the ChoiceSet's value: theme numbers, comma-separated
    notice: str = ""


@dataclass(frozen=True, slots=True)
class QuestionsView:
    """The list of questions, perhaps for one theme."""

    network: str
    questions: tuple[QuestionView, ...]
    theme: str = ""


def _status(view: QuestionView, t: Translator) -> str:
    return t("Answered") if view.answered else t("Open")


def question_card(view: QuestionView, t: Translator) -> Element:
    """The question as posted in the channel: its thread gathers the answers."""
    title = t("Question {number} to the network", number=view.number)
    body: list[Element] = [
        *heading(literal(title), subtle=literal(f"{view.asker} · {view.asked_on}")),
        text(literal(view.text), size="Medium"),
        facts(
            [
                (t("Themes"), literal("; ".join(view.themes)) or t("No theme given")),
                (t("Asked"), literal(", ".join(view.asked))),
                (t("Status"), literal(_status(view, t))),
            ]
        ),
    ]
    if view.answers:
        body.append(text(t("Answers"), weight="Bolder", separator=True))
        for answer in view.answers:
            mark = " ✓ " + t("helpful") if answer.helpful else ""
            author, said = literal(answer.author), literal(answer.text)
            body.append(text(f"**{answer.number}. {author}**{mark}: {said}"))
    else:
        body.append(text(t("Answer by replying in this thread and mentioning me."), isSubtle=True))
    actions: list[Element] = []
    if view.answers and not view.answered:
        body.append(
            {
                "type": "Input.ChoiceSet",
                "id": INPUT_HELPFUL,
                "label": t("Which answer helped you?"),
                "choices": [
                    {"title": f"{a.number}. {a.author}", "value": str(a.number)}
                    for a in view.answers
                ],
                "value": str(view.answers[-1].number),
            }
        )
        data = {DATA_VERB: VERB_HELPFUL, DATA_QUESTION: view.key}
        actions.append(execute_action(t("Mark as helpful"), data))
    return card(body, actions=actions, fallback_text=title, speak=title)


def questions_card(view: QuestionsView, t: Translator) -> Element:
    """The network's questions, newest first: open and answered."""
    title = t("Questions to {network}", network=view.network)
    body: list[Element] = [*heading(literal(title), subtle=literal(view.theme))]
    if not view.questions:
        body.append(text(t("No questions yet. Ask one with: ask <question>")))
    for q in view.questions:
        line = t(
            "{status} · {count} answer(s) · {asker}",
            status=_status(q, t),
            count=len(q.answers),
            asker=q.asker,
        )
        body.append(text(f"**{q.number}.** {literal(q.text)}", separator=True))
        body.append(text(literal(line), isSubtle=True, spacing="None"))
    return card(body, fallback_text=title, speak=title)


def ask_card(view: AskView, t: Translator) -> Element:
    """The form to ask the network a question, tagged with some of its themes."""
    title = t("Ask {network}", network=view.network)
    body: list[Element] = [*heading(literal(title))]
    if view.notice:
        body.append(text(literal(view.notice), color="Attention"))
    body.append(
        {
            "type": "Input.Text",
            "id": INPUT_TEXT,
            "label": t("Your question (at most {limit} characters)", limit=view.limit),
            "isMultiline": True,
            "maxLength": view.limit,
            "isRequired": True,
            "errorMessage": t("Write your question."),
            "value": view.text,
        }
    )
    if view.themes:
        body.append(
            {
                "type": "Input.ChoiceSet",
                "id": INPUT_THEMES,
                "label": t("Themes"),
                "isMultiSelect": True,
                "style": "expanded",
                "choices": [
                    {"title": theme, "value": str(n)} for n, theme in enumerate(view.themes, 1)
                ],
                "value": view.picked,
            }
        )
    body.append(
        text(t("The members who listed these themes are asked, at most five."), isSubtle=True)
    )
    data = {DATA_VERB: VERB_ASK, DATA_NETWORK: view.slug}
    return card(body, actions=[execute_action(t("Ask"), data)], fallback_text=title, speak=title)
