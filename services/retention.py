"""Retention: dietary needs go some days after each meeting, a network's people and applications
some months after its end; the secretariat is told what was done."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from domain.model import Network, RoleKind
from domain.privacy import RetentionReport
from domain.sparring import AuditEntry
from services.conversations import personal_chat
from services.ports import Clock, NewDelivery, Outbound
from services.privacy_ports import PrivacyUnitOfWork, PrivacyUnitOfWorkFactory

RETENTION = "privacy.retention"
ACTOR = "netpuls:retention"
# Who is told: the organisers of the network, in their personal chats.
TOLD = (RoleKind.SECRETARIAT, RoleKind.FACILITATOR)

# The report in the network's language: the network and what was done, per kind.
RetentionWording = Callable[[Network, Mapping[str, int]], Outbound]


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier, or later when negative (the month's last day
    when it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


async def run_retention(
    uows: PrivacyUnitOfWorkFactory,
    clock: Clock,
    *,
    months: int,
    diet_days: int,
    wording: RetentionWording,
    dry_run: bool = False,
) -> RetentionReport:
    """Delete and anonymise what has been kept long enough; a dry run says what it would do."""
    today = clock.now().date()
    async with uows() as uow:
        done: dict[str, dict[str, int]] = {}
        for slug, n in (await uow.retention.clear_diets(today - timedelta(days=diet_days))).items():
            done.setdefault(slug, {})["dietary"] = n
        ends = await uow.retention.network_ends()
        expired = sorted(s for s, end in ends.items() if months_before(end, -months) <= today)
        for slug in expired:
            for kind, n in (await uow.retention.expire_network(slug, expired, today)).items():
                counts = done.setdefault(slug, {})
                counts[kind] = counts.get(kind, 0) + n
        report = RetentionReport(done, dry_run)
        if dry_run:
            return report  # leaving the unit rolls everything back
        for slug, counts in done.items():
            await _tell(uow, clock, slug, counts, wording)
        await uow.commit()
    return report


async def _tell(
    uow: PrivacyUnitOfWork,
    clock: Clock,
    slug: str,
    counts: Mapping[str, int],
    wording: RetentionWording,
) -> None:
    summary = " ".join(f"{kind}={n}" for kind, n in sorted(counts.items()))
    await uow.audit.record(AuditEntry(slug, ACTOR, RETENTION, summary, clock.now()))
    network = await uow.networks.get(slug)
    if network is None:
        return
    message = wording(network, counts)
    day = clock.now().date().isoformat()
    items = []
    for person in await uow.networks.people(slug):
        if not person.roles.intersection(TOLD):
            continue
        chat = await personal_chat(uow, person.key)
        if chat is not None:
            key = f"{RETENTION}:{slug}:{day}:{chat.conversation_id}"
            items.append(NewDelivery(key=key, ref=chat, message=message, network=slug))
    if items:
        await uow.outbox.enqueue(items, clock.now())
