"""The cadence renderer's messages as the app wires them, with the agenda card replaced."""

from __future__ import annotations

from collections.abc import Callable

from bot.features.cadence.messages import StepMessages
from bot.features.material.pack import material_pack
from bot.features.sparring.final import final_message
from bot.features.sparring.views import evaluation_message
from services.ports import Outbound
from services.rsvp import MeetingState


def step_messages(agenda: Callable[[MeetingState], Outbound]) -> StepMessages:
    """Every step's real message but the agenda card, which the test supplies."""
    return StepMessages(
        agenda=agenda,
        material_pack=material_pack,
        evaluation=evaluation_message,
        final_evaluation=final_message,
    )
