"""Text messages (which Teams reads as Markdown) quote typed text as typed, never as Markdown."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.features.material.views import recorded_text
from bot.features.membership.views import decision_message as application_decision
from bot.features.sparring.views import decision_message as case_decision
from bot.features.sparring.views import notes_message
from bot.routing.commands import unknown_reply
from domain.membership import Application
from domain.model import Network
from domain.sparring import Case, CaseStatus
from netpuls.i18n import translator
from services.material_intake import Recorded
from tests.support.hostile import HOSTILE, hostile, markdown_made_of_typed_text

NETWORK = replace(hostile(Network), language="en")


def made(text: str) -> list[str]:
    """What the typed text made of the message: every Markdown element, per paragraph."""
    return [p for part in text.split("\n\n") for p in markdown_made_of_typed_text(part)]


def test_the_check_sees_markdown_in_an_unescaped_message() -> None:
    assert made(f"Your problem statement '{HOSTILE}' is accepted.")


@pytest.mark.parametrize("status", list(CaseStatus))
def test_the_submitter_sees_their_case_title_and_the_note_as_typed(status: CaseStatus) -> None:
    case = replace(hostile(Case), status=status)
    assert made(case_decision(case, NETWORK).text) == []
    assert made(notes_message(case, NETWORK).text) == []


@pytest.mark.parametrize("admitted", [True, False])
def test_an_applicant_sees_network_and_municipality_names_as_typed(admitted: bool) -> None:
    message = application_decision(NETWORK, hostile(Application), admitted)
    assert made(message.text) == []


def test_recorded_material_titles_are_quoted_as_typed() -> None:
    recorded = replace(hostile(Recorded), network=NETWORK, meeting=None)
    assert made(recorded_text(recorded, translator("en"))) == []


def test_an_unknown_command_is_quoted_as_typed() -> None:
    reply = unknown_reply(translator("en"), "[Confirm](https://evil.example/phish) now")
    assert made(reply.text) == []
