"""A person's rights (GDPR art. 15, 17, 20): export what netpuls holds, erase it.

Every privacy action is written to the audit log without the identity of the person it was about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import N_, NotFound
from domain.model import Municipality, Network
from domain.privacy import ERASED, Erasure, ErasureRefused, Subject, UnknownSubject
from domain.sparring import AuditEntry
from services.membership import require_secretariat, secretariat_of
from services.networks import Actor, Directory, require_tenant
from services.ports import Clock
from services.privacy_ports import PrivacyUnitOfWork, PrivacyUnitOfWorkFactory

EXPORT = "privacy.export"
ERASE = "privacy.erase"
ERASE_MUNICIPALITY = "privacy.erase-municipality"
# The audit log's network for an action about someone in no network.
NO_NETWORK = ""


async def _subject(uow: PrivacyUnitOfWork, email: str | None, teams_user_id: str | None) -> Subject:
    if not (email or "").strip() and not teams_user_id:
        raise UnknownSubject()
    return await uow.privacy.subject(email=email, teams_user_id=teams_user_id)


async def _audit(
    uow: PrivacyUnitOfWork, clock: Clock, networks: list[str], actor: str, action: str, what: str
) -> None:
    for network in networks or [NO_NETWORK]:
        await uow.audit.record(AuditEntry(network, actor, action, what, clock.now()))


def _summary(erasure: Erasure) -> str:
    return " ".join(f"{kind}={n}" for kind, n in sorted(erasure.counts.items()))


async def held(uows: PrivacyUnitOfWorkFactory, *, teams_user_id: str) -> dict[str, int]:
    """How many rows each table holds about the person (for their own overview)."""
    async with uows() as uow:
        subject = await _subject(uow, None, teams_user_id)
        return {table: len(rows) for table, rows in (await uow.privacy.export(subject)).items()}


async def export(
    uows: PrivacyUnitOfWorkFactory,
    clock: Clock,
    *,
    email: str | None = None,
    teams_user_id: str | None = None,
    actor: str,
) -> dict[str, Any]:
    """One JSON-ready document with every row about the person, per table."""
    async with uows() as uow:
        subject = await _subject(uow, email, teams_user_id)
        tables = await uow.privacy.export(subject)
        if not tables:
            raise UnknownSubject()
        await _audit(uow, clock, await uow.privacy.networks_of(subject), actor, EXPORT, "")
        await uow.commit()
    return {
        "format": "netpuls-export/1",
        "generated_at": clock.now().isoformat(),
        "person": {"email": subject.email, "teams_user_id": subject.teams_user_id},
        "tables": tables,
    }


async def erase(
    uows: PrivacyUnitOfWorkFactory,
    clock: Clock,
    *,
    email: str | None = None,
    teams_user_id: str | None = None,
    actor: str,
) -> Erasure:
    """Delete the person's profile, diet and applications; anonymise what the network keeps.

    Refused, changing nothing, while a call they applied to is open: the selection needs it.
    """
    async with uows() as uow:
        subject = await _subject(uow, email, teams_user_id)
        if not await uow.privacy.export(subject):
            raise UnknownSubject()
        open_calls = await uow.privacy.open_calls_applied(subject, clock.now().date())
        if open_calls:
            raise ErasureRefused(network=open_calls[0])
        networks = await uow.privacy.networks_of(subject)
        erasure = await uow.privacy.erase(subject, clock.now().date())
        who = ERASED if actor in subject.identifiers else actor
        await _audit(uow, clock, networks, who, ERASE, _summary(erasure))
        await uow.commit()
    return erasure


async def _erase_municipality(
    uow: PrivacyUnitOfWork, clock: Clock, slug: str, municipality: str, actor: str
) -> Erasure:
    """Erase a municipality's people in a network and delete its application; audited with the
    municipality and the counts, never the people."""
    counts: dict[str, int] = {}
    for subject in await uow.privacy.people_of_municipality(slug, municipality):
        for kind, n in (await uow.privacy.erase(subject, clock.now().date())).counts.items():
            counts[kind] = counts.get(kind, 0) + n
    applications = await uow.privacy.delete_application(slug, municipality)
    if applications:
        counts["applications"] = counts.get("applications", 0) + applications
    erasure = Erasure(counts)
    await _audit(
        uow, clock, [slug], actor, ERASE_MUNICIPALITY, f"{municipality} {_summary(erasure)}"
    )
    return erasure


async def erase_municipality(
    uows: PrivacyUnitOfWorkFactory, clock: Clock, *, slug: str, municipality: str, actor: str
) -> Erasure:
    """A municipality leaves a network: its people erased, its application deleted."""
    async with uows() as uow:
        if await uow.networks.get(slug) is None:
            raise UnknownSubject()
        erasure = await _erase_municipality(uow, clock, slug, municipality, actor)
        await uow.commit()
    return erasure


@dataclass(frozen=True, slots=True)
class Leaving:
    """A municipality about to leave a network: who would be erased, counted."""

    network: Network
    municipality: Municipality
    people: int


async def _town(uow: PrivacyUnitOfWork, network: Network, named: str) -> Municipality:
    """The network's municipality by key or name; a refusal names the network."""
    wanted = named.strip().casefold()
    for town in await uow.networks.municipalities(network.slug):
        if wanted in (town.key.casefold(), town.name.casefold()):
            return town
    raise NotFound(
        N_("{network} has no municipality called '{municipality}'."),
        network=network.name,
        municipality=named.strip()[:80],
    )


async def leaving(
    uows: PrivacyUnitOfWorkFactory,
    clock: Clock,
    *,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    municipality: str,
) -> Leaving:
    """What erasing a municipality's people would touch, for the secretariat to confirm."""
    async with uows() as uow:
        network, _ = await secretariat_of(uow, conversation_id, actor, directory, clock)
        town = await _town(uow, network, municipality)
        people = await uow.privacy.people_of_municipality(network.slug, town.key)
        await uow.commit()
    return Leaving(network, town, len(people))


async def erase_leaving(
    uows: PrivacyUnitOfWorkFactory,
    clock: Clock,
    *,
    slug: object,
    municipality: object,
    actor: Actor,
    directory: Directory | None,
) -> tuple[Leaving, Erasure]:
    """The secretariat confirmed: erase the municipality's people in the network (the card's
    data is checked again: the network, its tenant, the reader's role, the municipality)."""
    async with uows() as uow:
        network = await uow.networks.get(slug[:80]) if isinstance(slug, str) else None
        if network is None or not isinstance(municipality, str):
            raise NotFound(N_("This card does not belong to a network I know."))
        await require_tenant(uow, network, actor)
        person = await require_secretariat(uow, network, actor, directory, clock)
        town = await _town(uow, network, municipality)
        people = len(await uow.privacy.people_of_municipality(network.slug, town.key))
        erasure = await _erase_municipality(uow, clock, network.slug, town.key, person.key)
        await uow.commit()
    return Leaving(network, town, people), erasure
