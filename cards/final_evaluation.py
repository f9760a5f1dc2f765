"""The network's final evaluation: the members' card, the thanks, and the organisers' totals."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

from cards import sparring_ids as ids
from cards.agenda import execute_action, plain, section_title
from cards.elements import Element, card, facts, heading, text
from cards.ids import DATA_VERB
from cards.sparring import notice, text_input
from cards.summary import below_minimum, usefulness_labels
from domain.final_evaluation import MAX_TAKE_HOME
from domain.sparring import MAX_COMMENT
from domain.text import literal
from netpuls.i18n import Translator


@dataclass(frozen=True, slots=True)
class FinalView:
    """The final evaluation of one network, as a member or an organiser sees it."""

    network_slug: str
    network_name: str
    answers: int = 0
    shown_from: int = 0  # totals are withheld while answers < shown_from
    counts: tuple[int, ...] = (0, 0, 0, 0, 0)
    mean: float | None = None
    recommend_yes: int = 0
    recommend_no: int = 0
    take_home: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    opened: bool = False
    notice: str = ""

    @property
    def withheld(self) -> bool:
        """Too few answers to show totals."""
        return self.answers < self.shown_from


def final_data(network_slug: str) -> dict[str, str]:
    """The send action's data: the verb and the network (no meeting: it is the whole network)."""
    return {DATA_VERB: ids.VERB_FINAL_EVALUATE, ids.DATA_NETWORK: network_slug}


def final_form_card(view: FinalView, t: Translator) -> Element:
    """The member's final evaluation: usefulness, what they take home, recommend, a comment."""
    title = t("Final evaluation: {network}", network=view.network_name)
    recommend = [
        {"title": t("Yes"), "value": "yes"},
        {"title": t("No"), "value": "no"},
    ]
    usefulness = [
        {"title": label, "value": str(i)} for i, label in enumerate(usefulness_labels(t), 1)
    ]
    body: list[Element] = [
        *notice(view.notice),
        *heading(literal(title)),
        text(t("The network has come to its end. How did it go for your municipality?")),
        {
            "type": "Input.ChoiceSet",
            "id": ids.INPUT_USEFULNESS,
            "label": t("How useful was the network as a whole?"),
            "style": "expanded",
            "choices": usefulness,
        },
        text_input(
            ids.INPUT_TAKE_HOME,
            t("What will your municipality take home, or what has changed in practice?"),
            MAX_TAKE_HOME,
            multiline=True,
        ),
        {
            "type": "Input.ChoiceSet",
            "id": ids.INPUT_RECOMMEND,
            "label": t("Would you recommend the network to other municipalities?"),
            "style": "expanded",
            "choices": recommend,
        },
        text_input(ids.INPUT_COMMENT, t("Comment (optional)"), MAX_COMMENT, multiline=True),
        text(t("Your answer is anonymous: the facilitator sees only the totals."), isSubtle=True),
    ]
    send = execute_action(t("Send"), final_data(view.network_slug))
    return card(body, actions=[send], fallback_text=title)


def final_thanks_card(view: FinalView, t: Translator) -> Element:
    """What replaces the form once answered (or when it cannot be answered)."""
    title = t("Final evaluation: {network}", network=view.network_name)
    return card(
        [*notice(view.notice), *heading(literal(title))], fallback_text=view.notice or title
    )


def final_results_card(view: FinalView, t: Translator) -> Element:
    """The organisers' totals: spread, average, recommendations and the texts; never who."""
    title = t("Final evaluation: {network}", network=view.network_name)
    state = t("Open: members can answer.") if view.opened else t("Not opened yet.")
    body: list[Element] = [*notice(view.notice), *heading(literal(title), subtle=literal(state))]
    if view.withheld:
        body.append(text(below_minimum(view.answers, view.shown_from, t)))
    else:
        mean = format_decimal(view.mean, "0.0", locale=t.locale) if view.mean is not None else "–"
        body.append(
            facts(
                [
                    (t("Answers"), str(view.answers)),
                    (t("Average usefulness"), f"{mean} / 5"),
                    (
                        t("Would recommend the network"),
                        t("{yes} yes, {no} no", yes=view.recommend_yes, no=view.recommend_no),
                    ),
                ]
            )
        )
    if view.answers and not view.withheld:
        spread = [
            (label, str(count))
            for label, count in zip(usefulness_labels(t), view.counts, strict=True)
        ]
        body += [section_title(t("Spread")), facts(spread)]
    if view.take_home:
        body.append(section_title(t("What the municipalities take home")))
        body += [plain((f"“{line}”", False)) for line in view.take_home]
    if view.comments:
        body.append(section_title(t("Comments")))
        body += [plain((f"“{comment}”", False)) for comment in view.comments]
    body.append(text(t("Answers are anonymous; only totals are shown."), isSubtle=True))
    return card(body, fallback_text=title)
