"""Example data for the sparring cards (cases, host, summary, evaluation), in each language."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from cards.elements import Element
from cards.final_evaluation import (
    FinalView,
    final_form_card,
    final_results_card,
    final_thanks_card,
)
from cards.meeting import MeetingView
from cards.sparring import case_form_card, case_received_card, cases_card, host_card
from cards.sparring_views import (
    CaseFormView,
    CaseItem,
    CasesView,
    EvaluationView,
    HostView,
    SummaryCase,
    SummaryView,
)
from cards.summary import (
    evaluation_form_card,
    evaluation_results_card,
    evaluation_thanks_card,
    summary_card,
    summary_form_card,
)
from netpuls.i18n import Translator, translator

KEY = "kompakte-groenne-byer:1"


@dataclass(frozen=True, slots=True)
class Example:
    """The example network's words for the sparring cards, in one language."""

    themes: tuple[str, ...]
    question: str
    note: str
    notes: str
    key_points: str
    advice: str
    experiences: str
    next: str
    proposals: tuple[str, ...]
    address: str
    see: str
    comments: tuple[str, ...]
    submitter: str


# The network's own words, as it would write them: a question, the summary, the host's plans.
TEXTS = {
    "da": Example(
        themes=(
            "Hvordan planlægger vi for en kompakt by, hvor klima og kvalitet går hånd i hånd?",
            "Hvilken rolle spiller det grønne i den kompakte by?",
        ),
        question="Hvordan sikrer vi grønne friarealer, når vi fortætter omkring stationen?",
        note="Velkommen: vi tager den som første sag.",
        notes="Start med en grønstruktur for hele bydelen, før de enkelte lokalplaner.",
        key_points="Fortætning og grønne kvaliteter kan gå hånd i hånd.",
        advice="Sæt friarealkrav i kommuneplanen.",
        experiences="Odense har gode erfaringer med midlertidige grønne rum.",
        next="Næste møde i Køge: borgerdialog om fortætning.",
        proposals=("Oplæg om grønne friarealer", "Byvandring ved havnen"),
        address="Havnegade 1, 5000 Odense C",
        see="Den nye bydel ved havnen og de midlertidige grønne rum.",
        comments=("Godt med tid til sparring.", "Mere tid til byvandringen."),
        submitter="Planlægger, Odense",
    ),
    "sv": Example(
        themes=(
            "Hur planerar vi för en kompakt stad där klimat och kvalitet går hand i hand?",
            "Vilken roll spelar grönskan i den kompakta staden?",
        ),
        question="Hur säkrar vi gröna friytor när vi förtätar runt stationen?",
        note="Välkommen: vi tar den som första fråga.",
        notes="Börja med en grönstruktur för hela stadsdelen, före de enskilda detaljplanerna.",
        key_points="Förtätning och gröna kvaliteter kan gå hand i hand.",
        advice="Skriv in krav på friytor i översiktsplanen.",
        experiences="Odense har goda erfarenheter av tillfälliga gröna rum.",
        next="Nästa möte i Køge: medborgardialog om förtätning.",
        proposals=("Inspel om gröna friytor", "Stadsvandring vid hamnen"),
        address="Havnegade 1, 5000 Odense C",
        see="Den nya stadsdelen vid hamnen och de tillfälliga gröna rummen.",
        comments=("Bra med tid för sparring.", "Mer tid till stadsvandringen."),
        submitter="Planerare, Odense",
    ),
    "en": Example(
        themes=(
            "How do we plan for a compact town where climate and quality go hand in hand?",
            "What role does green space play in the compact town?",
        ),
        question="How do we keep green open space when we densify around the station?",
        note="Welcome: we take it as the first case.",
        notes="Start with a green structure for the whole district, before the local plans.",
        key_points="Densification and green qualities can go hand in hand.",
        advice="Put open-space requirements in the municipal plan.",
        experiences="Odense has good experience with temporary green spaces.",
        next="Next meeting in Køge: citizen dialogue on densification.",
        proposals=("Talk on green open space", "Walk along the harbour"),
        address="Havnegade 1, 5000 Odense C",
        see="The new district by the harbour and its temporary green spaces.",
        comments=("Good to have time for sparring.", "More time for the walk."),
        submitter="Planner, Odense",
    ),
}


def sparring_examples(
    language: str, meeting: MeetingView, cases: tuple[str, str], municipality: str
) -> dict[str, Element]:
    """Every sparring card with example data, named '<card>-<state>'."""
    t = translator(language)
    w = TEXTS[language]
    return {
        **_case_cards(t, w, meeting, cases, municipality),
        **_summary_cards(t, w, meeting, cases[0], municipality),
    }


def _case_cards(
    t: Translator, w: Example, meeting: MeetingView, cases: tuple[str, str], town: str
) -> dict[str, Element]:
    form = CaseFormView(
        KEY,
        meeting.network_name,
        meetings=(("1", f"1 – {t.date(meeting.day, 'long')}"), ("2", "2")),
        chosen="1",
        themes=w.themes,
    )
    thanks = t("Thank you: the facilitator will look at your problem statement.")
    received = replace(form, title=cases[0], description=w.question, notice=thanks)
    first = CaseItem(
        1, cases[0], w.question, w.themes[1:], w.submitter, town, "accepted", 1, w.note, w.notes
    )
    second = CaseItem(2, cases[1], w.question, (), w.submitter, town, "submitted")
    host = HostView(KEY, meeting, w.proposals, w.address, w.see)
    return {
        "case-form": case_form_card(form, t),
        "case-received": case_received_card(received, t),
        "cases-review": cases_card(CasesView(KEY, meeting, (first, second), True, False), t),
        "cases-own": cases_card(CasesView(KEY, meeting, (first,), False, True), t),
        "host-prompt": host_card(host, t),
    }


def _summary_cards(
    t: Translator, w: Example, meeting: MeetingView, case: str, town: str
) -> dict[str, Element]:
    summary = SummaryView(
        KEY,
        meeting,
        w.key_points,
        w.advice,
        w.experiences,
        w.next,
        (SummaryCase(1, case, town, w.notes),),
    )
    evaluation = EvaluationView(KEY, meeting)
    results = replace(evaluation, answers=9, counts=(0, 1, 2, 4, 2), mean=3.8, comments=w.comments)
    thanks = replace(evaluation, notice=t("Thank you for your evaluation."))
    return {
        "summary-draft": summary_form_card(summary, t),
        "summary-edit-posted": summary_form_card(replace(summary, posted_on=date(2024, 3, 15)), t),
        "summary-posted": summary_card(summary, t),
        "evaluation-form": evaluation_form_card(evaluation, t),
        "evaluation-thanks": evaluation_thanks_card(thanks, t),
        "evaluation-results": evaluation_results_card(results, t),
        "evaluation-withheld": evaluation_results_card(
            replace(evaluation, answers=2, shown_from=3), t
        ),
        **_final_cards(t, w, meeting),
    }


def _final_cards(t: Translator, w: Example, meeting: MeetingView) -> dict[str, Element]:
    form = FinalView(KEY.partition(":")[0], meeting.network_name, opened=True)
    results = replace(
        form,
        answers=9,
        shown_from=3,
        counts=(0, 0, 2, 4, 3),
        mean=4.1,
        recommend_yes=8,
        recommend_no=1,
        take_home=(w.advice, w.next),
        comments=w.comments,
    )
    return {
        "final-form": final_form_card(form, t),
        "final-thanks": final_thanks_card(
            replace(form, notice=t("Thank you for your final evaluation.")), t
        ),
        "final-results": final_results_card(results, t),
        "final-withheld": final_results_card(replace(form, answers=1, shown_from=3), t),
    }
