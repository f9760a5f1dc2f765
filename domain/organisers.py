"""What only a network's organisers may do, and the one check that refuses everyone else."""

from __future__ import annotations

import enum
from collections.abc import Set

from domain.errors import N_, NotAllowed
from domain.model import ORGANISERS, RoleKind


@enum.unique  # two actions sharing one refusal would not say which was refused
class OrganiserAction(enum.Enum):
    """An action for the facilitator or the secretariat only; its value is the refusal.

    One message per action, because the refusal must say what was refused, and a translated
    sentence cannot take a translated action as a parameter.
    """

    PAUSE_CADENCE = N_("Only the facilitator or the secretariat can pause or resume the cadence.")
    MOVE_STEP = N_("Only the facilitator or the secretariat can move a step of the cadence.")
    LINK_CONVERSATION = N_(
        "Only the facilitator or the secretariat of {network} can link a conversation to it."
    )
    SYNC_ROSTER = N_(
        "Only the facilitator or the secretariat can compare the team with the network."
    )
    MAKE_PAIRS = N_("Only the facilitator or the secretariat can make a round of pairs.")
    FINAL_EVALUATION = N_(
        "Only the facilitator or the secretariat can open or see the final evaluation."
    )
    SEE_EVALUATION = N_("Only the facilitator or the secretariat can see the evaluation.")
    WRITE_SUMMARY = N_("Only the facilitator or the secretariat can write and post the summary.")
    REVIEW_CASES = N_("Only the facilitator or the secretariat can review problem statements.")
    SEE_ENGAGEMENT = N_("Only the facilitator or the secretariat can see the network's engagement.")
    BUILD_REPORT = N_("Only the facilitator or the secretariat can build the network's report.")
    SEND_HOST_PROMPT = N_("Only the facilitator or the secretariat can send the host prompt.")
    POST_AGENDA = N_("Only the facilitator or the secretariat can post the agenda.")
    SEE_DELIVERIES = N_("Only the facilitator or the secretariat can see deliveries.")
    SEE_AUDIT = N_("Only the facilitator or the secretariat can read the audit log.")


def is_organiser(roles: Set[RoleKind]) -> bool:
    """Facilitator or secretariat of the network these roles belong to."""
    return bool(roles & ORGANISERS)


def require_organiser(roles: Set[RoleKind], action: OrganiserAction, **params: object) -> None:
    """Refuse `action` unless the roles include facilitator or secretariat."""
    if not is_organiser(roles):
        raise NotAllowed(action.value, **params)
