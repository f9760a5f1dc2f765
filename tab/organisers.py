"""For the organisers only: engagement, deliveries, the audit log and the cadence's controls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.engagement import EngagementTable
from domain.organisers import OrganiserAction
from domain.sparring import AuditEntry
from services import audit
from services.engagement import collect
from services.ports import Clock, DeliveryRecord, UnitOfWork
from tab.access import Access

STUCK = ("failed", "blocked", "unconfirmed")
WAITING = ("pending", "claimed", "sending", "waiting")
AUDIT_SHOWN = 50


@dataclass(frozen=True, slots=True)
class Organisers:
    """The organisers' page."""

    access: Access
    table: EngagementTable
    stuck: tuple[DeliveryRecord, ...]
    waiting: tuple[DeliveryRecord, ...]
    audit: tuple[AuditEntry, ...]

    @property
    def busiest(self) -> int:
        """The highest monthly total, to scale the chart's bars."""
        return max((sum(self.table.per_month[m].values()) for m in self.table.months), default=0)


async def organisers(
    uow: UnitOfWork, clock: Clock, access: Access, quiet_after: timedelta
) -> Organisers:
    """The page, for a facilitator or the secretariat; anyone else is refused and audited."""
    slug = access.network.slug
    await audit.require(
        uow, clock, slug, access.person.key, access.roles, OrganiserAction.SEE_ENGAGEMENT
    )
    return Organisers(
        access,
        await collect(uow, clock, access.network, quiet_after),
        tuple(await uow.outbox.listing(slug, STUCK)),
        tuple(await uow.outbox.listing(slug, WAITING)),
        tuple(await audit.latest(uow, slug, AUDIT_SHOWN)),
    )
