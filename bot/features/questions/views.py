"""Questions to the network: service results -> card views and the channel's post."""

from __future__ import annotations

from cards.erased import shown_name
from cards.questions import (
    AnswerView,
    AskView,
    QuestionsView,
    QuestionView,
    question_card,
    questions_card,
)
from domain.model import Network, local_day
from domain.questions import MAX_QUESTION, Question, QuestionStatus
from domain.text import literal
from netpuls.i18n import Translator, translator
from services.ports import Mention, Outbound
from services.questions import Listing, QuestionState


def _view(
    question: Question, key: str, towns: dict[str, str], zone_day: str, t: Translator
) -> QuestionView:
    town = towns.get(question.asker_municipality or "", question.asker_municipality or "")
    asker = shown_name(question.asker_name, town, t)
    if question.asker_municipality and question.asker_name:
        asker = f"{asker}, {towns.get(question.asker_municipality, question.asker_municipality)}"
    return QuestionView(
        key=key,
        number=question.number,
        text=question.text,
        asker=asker,
        asked_on=zone_day,
        themes=question.themes,
        asked=tuple(towns.get(a.municipality, a.municipality) for a in question.asked),
        answered=question.status is QuestionStatus.ANSWERED,
        answers=tuple(
            AnswerView(
                a.number,
                shown_name(a.author, towns.get(a.municipality or "", ""), t),
                a.text,
                helpful=a.number == question.helpful,
            )
            for a in question.answers
        ),
    )


def question_view(state: QuestionState, t: Translator) -> QuestionView:
    """The question card's view, dates in the network's zone."""
    day = local_day(state.question.asked_at, state.network.zone)
    return _view(state.question, state.key, state.towns, t.date(day, "long"), t)


def questions_view(listing: Listing, t: Translator) -> QuestionsView:
    """The list card's view."""
    zone = listing.network.zone
    return QuestionsView(
        network=listing.network.name,
        questions=tuple(
            _view(
                q,
                f"{listing.network.slug}:{q.number}",
                listing.towns,
                t.date(local_day(q.asked_at, zone), "long"),
                t,
            )
            for q in listing.questions
        ),
        theme=listing.theme or "",
    )


def listing_card(listing: Listing, t: Translator) -> Outbound:
    """The reader's list of questions."""
    return Outbound(card=questions_card(questions_view(listing, t), t))


def channel_post(state: QuestionState) -> Outbound:
    """The question as the channel gets it, in the network's language, the asked @mentioned."""
    t = translator(state.network.language)
    named: list[str] = []
    mentions: list[Mention] = []
    for asked in state.question.asked:
        town = state.towns.get(asked.municipality, asked.municipality)
        people = [p for p in state.contacts if p.key in asked.people and p.teams_user_id]
        if not people:
            named.append(literal(town))  # nobody with a known Teams account: named, not mentioned
            continue
        # A mention's name must match its entity's text exactly: it is not escaped.
        named.append(", ".join(f"<at>{p.name}</at>" for p in people) + f" ({literal(town)})")
        mentions += [Mention(str(p.teams_user_id), p.name) for p in people]
    card = question_card(question_view(state, t), t)
    if not mentions:
        # The card names whom it asks. A text beside it is only needed to @mention people;
        # one post (card alone) also keeps the Playground's reply id, which it drops for two.
        return Outbound(card=card)
    line = t(
        "{asker} asks the network. Can you help? {asked}",
        asker=literal(state.question.asker_name),
        asked="; ".join(named),
    )
    return Outbound(text=line, card=card, mentions=tuple(mentions))


def ask_view(network: Network, text: str = "", picked: str = "", notice: str = "") -> AskView:
    """The ask form for a network, with what was typed when it was refused."""
    return AskView(
        network.name,
        network.slug,
        network.themes,
        MAX_QUESTION,
        text[:MAX_QUESTION],
        picked,
        notice,
    )
