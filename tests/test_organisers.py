"""The one organiser check: facilitator and secretariat pass, anyone else hears what was refused."""

from __future__ import annotations

import pytest

from domain.errors import NotAllowed
from domain.model import RoleKind
from domain.organisers import OrganiserAction, require_organiser


@pytest.mark.parametrize("role", [RoleKind.FACILITATOR, RoleKind.SECRETARIAT])
def test_the_facilitator_and_the_secretariat_may_take_every_organiser_action(
    role: RoleKind,
) -> None:
    for action in OrganiserAction:
        require_organiser(frozenset({role, RoleKind.PARTICIPANT}), action)  # does not raise


@pytest.mark.parametrize(
    "roles", [frozenset(), frozenset({RoleKind.PARTICIPANT, RoleKind.HOST_CONTACT})]
)
def test_anyone_else_is_refused_with_the_message_of_that_action(
    roles: frozenset[RoleKind],
) -> None:
    with pytest.raises(NotAllowed) as caught:
        require_organiser(roles, OrganiserAction.MOVE_STEP)

    assert caught.value.msgid == OrganiserAction.MOVE_STEP.value
    assert "move a step" in str(caught.value)
