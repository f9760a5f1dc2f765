"""An erased person's contributions read "a participant from <municipality>" in every view that
names people, in Danish, Swedish and English, with no trace of their name or e-mail."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from bot.features.digest.messages import digest_view
from bot.features.material.views import item_of
from bot.features.meetings.views import agenda_view, attendees_view
from bot.features.membership.views import applications_view
from bot.features.questions.views import question_view
from bot.features.sparring.views import cases_view
from bot.routing.links import Links
from cards.agenda import agenda_card
from cards.attendees import attendees_card
from cards.digest import digest_card
from cards.elements import Element
from cards.exports import attendees_csv
from cards.material import MaterialListView, material_card
from cards.membership import applications_card
from cards.questions import question_card
from cards.sparring import cases_card
from domain.engagement import DigestFrequency, last_period
from domain.membership import Call
from domain.privacy import erased_from, stand_in
from netpuls.i18n import translator
from services import privacy
from services.cases import CasesState
from services.digest import Digest
from services.meeting_state import load_state
from services.membership import Applications, CallState
from services.questions import QuestionState
from tests.support.privacy import EMAIL, NAME, seed
from tests.support.sparring import AFTER, SLUG

PHRASES = {
    "da": "en deltager fra Odense Kommune",
    "sv": "en deltagare från Odense Kommune",
    "en": "a participant from Odense Kommune",
}
LINKS = Links("http://127.0.0.1:3978", b"k")
OTHER_CONTACT = "kontakt.odense@example.org"


async def _erased(uows: Any) -> None:
    """The Odense planner's application is now sent by a colleague but still names them as
    head of planning; then the planner is erased."""
    await seed(uows)
    async with uows() as uow:
        (application,) = await uow.membership.applications(SLUG)
        await uow.membership.save_application(
            SLUG,
            replace(application, email=OTHER_CONTACT, submitted_by="29:kontakt", version=2),
        )
        await uow.membership.save_call(
            SLUG, Call(deadline=AFTER.now().date(), opened_at=AFTER.now()), by="cli"
        )
        await uow.commit()
    await privacy.erase(uows, AFTER, email=EMAIL, actor="cli")


async def _cards(uows: Any, language: str) -> dict[str, str]:
    t = translator(language)
    async with uows() as uow:
        network = await uow.networks.get(SLUG)
        assert network is not None
        meeting = (await uow.networks.meetings(SLUG))[0]
        towns = {m.key: m.name for m in await uow.networks.municipalities(SLUG)}
        cases = tuple(await uow.cases.for_network(SLUG))
        question = await uow.questions.get(SLUG, 1)
        material = await uow.material.search(SLUG, meeting=None, words=(), limit=10)
        applications = tuple(await uow.membership.applications(SLUG))
        state = await load_state(uow, AFTER, SLUG, 1)
    assert question is not None and material and applications
    listing = MaterialListView(
        network.name, "", (), tuple(item_of(m, "", t, network.zone, towns) for m in material)
    )
    found = Applications(CallState(network, None, False), applications)
    weekly = last_period(DigestFrequency.WEEKLY, AFTER.now(), network.zone)
    digest = Digest(
        network, DigestFrequency.WEEKLY, weekly, tuple(material), None, None, (), None, towns
    )
    cards: dict[str, Element] = {
        "cases": cases_card(cases_view(CasesState(network, meeting, cases, True, True), t), t),
        "question": question_card(question_view(QuestionState(network, question, towns), t), t),
        "material": material_card(listing, t),
        "applications": applications_card(applications_view(found, t), t),
        "attendees": attendees_card(attendees_view(state, LINKS, AFTER.now()), t),
        "agenda": agenda_card(agenda_view(state, LINKS), t),
        "digest": digest_card(digest_view(digest, t), t),
    }
    shown = {view: json.dumps(card, ensure_ascii=False) for view, card in cards.items()}
    # The attendee file is in the network's language (Danish) whoever downloads it.
    return {**shown, "attendees.csv": attendees_csv(state, translator(state.network.language))}


@pytest.mark.parametrize("language", ["da", "sv", "en"])
async def test_an_erased_persons_contributions_read_from_a_participant_of_their_municipality(
    uow_factory: Any, language: str
) -> None:
    await _erased(uow_factory)
    for view, shown in (await _cards(uow_factory, language)).items():
        assert PHRASES["da" if view == "attendees.csv" else language] in shown, view
        assert NAME.casefold() not in shown.casefold(), view
        assert EMAIL not in shown, view


async def test_before_erasure_the_views_show_the_name(uow_factory: Any) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        await uow.membership.save_call(
            SLUG, Call(deadline=AFTER.now().date(), opened_at=AFTER.now()), by="cli"
        )
        await uow.commit()
    for view, shown in (await _cards(uow_factory, "da")).items():
        assert NAME in shown and PHRASES["da"] not in shown, view


def test_a_stand_in_names_the_municipality_only_while_it_fits_an_id_column() -> None:
    assert erased_from(stand_in("odense", "0123abcd")) == "odense"
    assert erased_from(stand_in("hoeje-taastrup", "0123abcd")) == "hoeje-taastrup"
    assert erased_from(stand_in("x" * 60, "0123abcd")) is None
    assert erased_from(stand_in(None, "0123abcd")) is None
    assert erased_from("planner.odense@example.org") is None
