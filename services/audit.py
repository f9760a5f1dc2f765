"""The audit log: every organiser action and every refusal, with who, when, what and the network.

`who` is a person's key (never a name) and `detail` names things (a meeting, a delivery id),
never a person. A refusal is recorded in its own small commit, and if that write fails the
refusal is still answered: a trace that cannot be written never turns a "no" into an error.
"""

from __future__ import annotations

import logging
from collections.abc import Set
from typing import NoReturn

from domain.errors import NotAllowed
from domain.model import RoleKind
from domain.organisers import OrganiserAction, is_organiser
from domain.sparring import AuditEntry
from services.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)

UNKNOWN = "-"  # who, when netpuls does not know the person
REFUSED = "refused."  # prefix of a refusal's action
DEFAULT_LISTING = 20
MAX_LISTING = 200


async def record(
    work: UnitOfWork, clock: Clock, network: str, who: str, action: str, detail: str = ""
) -> None:
    """Write one entry inside the caller's unit of work (committed with the change)."""
    await work.audit.record(AuditEntry(network, who or UNKNOWN, action, detail, clock.now()))


async def require(
    work: UnitOfWork,
    clock: Clock,
    slug: str,
    who: str | None,
    roles: Set[RoleKind],
    action: OrganiserAction,
    **params: object,
) -> None:
    """Refuse `action` unless the roles are an organiser's, leaving a trace of the refusal."""
    if is_organiser(roles):
        return
    await refuse(work, clock, slug, who, action, **params)


async def refuse(
    work: UnitOfWork,
    clock: Clock,
    slug: str,
    who: str | None,
    action: OrganiserAction,
    **params: object,
) -> NoReturn:
    """Record that `action` was refused in network `slug`, then raise the localized refusal."""
    await refused(work, clock, slug, who, action.name.lower())
    raise NotAllowed(action.value, **params)


async def refused(work: UnitOfWork, clock: Clock, slug: str, who: str | None, action: str) -> None:
    """Record a refusal of `action` in its own commit; a failure to write it is only logged."""
    try:
        await work.rollback()  # nothing the refused request began is kept
        await record(work, clock, slug, who or UNKNOWN, REFUSED + action)
        await work.commit()
    except Exception:  # the refusal must be answered even when its trace cannot be written
        log.warning("audit: a refusal of %s in %s was not recorded", action, slug)


async def latest(work: UnitOfWork, network: str, limit: int = DEFAULT_LISTING) -> list[AuditEntry]:
    """The newest `limit` entries of a network, newest first."""
    limit = max(1, min(limit, MAX_LISTING))
    return list(reversed((await work.audit.entries(network))[-limit:]))
