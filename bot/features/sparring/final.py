"""The final evaluation's card views from service results, and the card the cadence sends."""

from __future__ import annotations

from cards.final_evaluation import FinalView, final_form_card
from domain.model import Network
from netpuls.i18n import translator
from services.final_evaluation import FinalState
from services.ports import Outbound


def final_view(state: FinalState, notice: str = "") -> FinalView:
    """The member's form, or the organisers' totals when the state carries them."""
    results = state.results
    network = state.network
    if results is None:
        return FinalView(
            network.slug, network.name, opened=state.opened_at is not None, notice=notice
        )
    return FinalView(
        network_slug=network.slug,
        network_name=network.name,
        answers=results.answers,
        shown_from=results.shown_from,
        counts=results.counts,
        mean=results.mean,
        recommend_yes=results.recommend_yes,
        recommend_no=results.recommend_no,
        take_home=results.take_home,
        comments=results.comments,
        opened=state.opened_at is not None,
        notice=notice,
    )


def final_message(network: Network) -> Outbound:
    """The final evaluation card sent to every member, in the network's language."""
    t = translator(network.language)
    return Outbound(card=final_form_card(final_view(FinalState(network)), t))
