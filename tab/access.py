"""Who may see a network in the tab: the bot's membership and tenant rules, read-only."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import N_, NotAllowed
from domain.model import Meeting, Network, Person, RoleKind
from domain.organisers import is_organiser
from services.networks import Actor, require_tenant
from services.ports import UnitOfWork
from tab.signin import TabReader

MAX_SLUG = 100


def not_a_member() -> NotAllowed:
    """The one refusal for a network that does not exist or that the reader is not in."""
    return NotAllowed(N_("This network's tab is only for its members."))


@dataclass(frozen=True, slots=True)
class Access:
    """A member reading a network, with their roles there."""

    network: Network
    person: Person
    roles: frozenset[RoleKind]

    @property
    def organiser(self) -> bool:
        """Facilitator or secretariat: sees engagement, deliveries, the audit log, diets."""
        return is_organiser(self.roles)

    def sees_diets(self, meeting: Meeting) -> bool:
        """Dietary needs: for the organisers and the hosting municipality's contacts only."""
        host = (
            RoleKind.HOST_CONTACT in self.roles
            and meeting.host is not None
            and self.person.municipality == meeting.host
        )
        return self.organiser or host


def _actor(reader: TabReader) -> Actor:
    return Actor(teams_user_id="", aad_object_id=reader.object_id, tenant_id=reader.tenant_id)


async def find_reader(uow: UnitOfWork, reader: TabReader) -> Person | None:
    """The network person behind the reader: by Entra object id, then by e-mail.

    A person bound to another tenant than the reader's is nobody here."""
    person = None
    if reader.object_id:
        person = await uow.people.find(aad_object_id=reader.object_id)
    if person is None and reader.email:
        person = await uow.people.find(email=reader.email.lower())
    if person is None:
        return None
    tenant = (reader.tenant_id or "").lower()
    if tenant and person.tenant_id and person.tenant_id.lower() != tenant:
        return None
    return person


async def my_networks(uow: UnitOfWork, reader: TabReader) -> list[Network]:
    """The networks the reader belongs to that their tenant may see."""
    person = await find_reader(uow, reader)
    if person is None:
        return []
    found = []
    for slug in await uow.people.networks_of(person.key):
        network = await uow.networks.get(slug)
        if network is None:
            continue
        try:
            await require_tenant(uow, network, _actor(reader))
        except NotAllowed:
            continue
        found.append(network)
    return found


async def open_network(uow: UnitOfWork, reader: TabReader, slug: str) -> Access:
    """The reader's access to a network; NotAllowed alike for a stranger and no such network."""
    network = await uow.networks.get(slug) if 0 < len(slug) <= MAX_SLUG else None
    person = await find_reader(uow, reader)
    if network is None or person is None:
        raise not_a_member()
    if slug not in await uow.people.networks_of(person.key):
        raise not_a_member()
    try:
        await require_tenant(uow, network, _actor(reader))
    except NotAllowed:
        raise not_a_member() from None
    return Access(network, person, await uow.people.roles(person.key, slug))
