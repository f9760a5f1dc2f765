"""Use cases around networks: import, identify, link a conversation, the next meeting."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from domain.errors import N_, InvalidInput, NotAllowed, NotFound, NotLinked
from domain.model import (
    ConversationRef,
    Meeting,
    Network,
    NetworkFile,
    Person,
    channel_conversation_id,
    next_meeting,
    normalise_language,
)
from domain.organisers import OrganiserAction
from domain.sparring import AuditEntry
from services import audit
from services.ports import Clock, ImportCounts, UnitOfWork
from services.reach import release_for

log = logging.getLogger(__name__)


class KnownEmails:
    """A directory answering from look-ups already made (no network call)."""

    def __init__(self, emails: dict[str, str | None]) -> None:
        self._emails = emails

    async def email_of(self, teams_user_id: str) -> str | None:
        """The e-mail looked up before, or None."""
        return self._emails.get(teams_user_id)


async def roster_first(uow: UnitOfWork, actor: Actor, directory: Directory) -> Directory:
    """The directory for this turn's units of work, which must never wait on the network.

    Who someone is comes from storage by their Teams ids; only when storage does not know
    them is the roster asked, here, before any transaction holds a connection (on SQLite the
    process has one), and the answer is handed on.
    """
    async with uow:
        known = await uow.people.find(
            aad_object_id=actor.aad_object_id, teams_user_id=actor.teams_user_id
        )
    if known is not None:
        return KnownEmails({})
    return KnownEmails({actor.teams_user_id: await directory.email_of(actor.teams_user_id)})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sent an activity, as Teams names them."""

    teams_user_id: str
    aad_object_id: str | None = None
    name: str = ""
    locale: str | None = None
    tenant_id: str | None = None  # the tenant the activity came from, as Teams names it


class Directory(Protocol):
    """Looks up what Teams knows about a member (the e-mail, through the roster)."""

    async def email_of(self, teams_user_id: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class NextMeeting:
    """The answer to `next`: the network and its next meeting, if any."""

    network: Network
    meeting: Meeting | None


async def import_network(uow: UnitOfWork, declared: NetworkFile) -> ImportCounts:
    """Create or update a network from its file, all or nothing."""
    async with uow:
        counts = await uow.networks.save_file(declared)
        await uow.commit()
    return counts


async def identify(uow: UnitOfWork, actor: Actor, directory: Directory | None) -> Person | None:
    """The network person behind a Teams user: by Teams ids, else by roster e-mail.

    Nobody is found for an actor of another tenant than the person's: a person is bound to
    the tenant they are first identified in (if their networks allow it), and their Teams
    ids are never taken over from another tenant. A new id inside the tenant is logged and
    audited.
    """
    person = await uow.people.find(
        aad_object_id=actor.aad_object_id, teams_user_id=actor.teams_user_id
    )
    if person is not None:
        if not _same_tenant(person, actor):
            log.warning("refused: Teams ids of a person seen from another tenant")
            return None
        if person.tenant_id is None and actor.tenant_id:
            if not await tenant_allowed_for(uow, person, actor.tenant_id):
                return None
            await uow.people.remember_teams_ids(
                person.key, teams_user_id=None, aad_object_id=None, tenant_id=actor.tenant_id
            )
        return person
    if directory is None:
        return None
    email = await directory.email_of(actor.teams_user_id)
    person = await uow.people.find(email=email) if email else None
    if person is None:
        return None
    if not _same_tenant(person, actor) or (
        person.tenant_id is None
        and actor.tenant_id
        and not await tenant_allowed_for(uow, person, actor.tenant_id)
    ):
        log.warning("refused: a roster e-mail of a person bound to another tenant")
        return None
    if person.teams_user_id or person.aad_object_id:
        await _audit_rebind(uow, person)
    await uow.people.remember_teams_ids(
        person.key,
        teams_user_id=actor.teams_user_id,
        aad_object_id=actor.aad_object_id,
        tenant_id=actor.tenant_id,
    )
    return person


def _same_tenant(person: Person, actor: Actor) -> bool:
    """Whether the actor may be this person: a bound person only from their own tenant."""
    return person.tenant_id is None or person.tenant_id == actor.tenant_id


async def tenant_allowed_for(uow: UnitOfWork, person: Person, tenant_id: str) -> bool:
    """Whether a person may be bound to this tenant: it is allowed in one of their networks,
    or none of their networks is bound to a tenant yet."""
    bound = False
    for slug in await uow.people.networks_of(person.key):
        network = await uow.networks.get(slug)
        if network is None:
            continue
        allowed = await allowed_tenants(uow, network)
        if tenant_id in allowed:
            return True
        bound = bound or bool(allowed)
    return not bound


async def _audit_rebind(uow: UnitOfWork, person: Person) -> None:
    """A person's Teams ids replaced by others of the same tenant: logged and audited."""
    log.warning("Teams ids of a person re-bound inside their tenant")
    at = datetime.now(UTC)
    for slug in await uow.people.networks_of(person.key):
        await uow.audit.record(AuditEntry(slug, person.key, "teams_ids_rebound", person.key, at))


async def allowed_tenants(uow: UnitOfWork, network: Network) -> frozenset[str]:
    """The tenants a network is bound to: those its channels were linked in, and those its
    file allows. Empty while neither names one."""
    refs = await uow.conversations.linked_to(network.slug)
    linked = {ref.tenant_id.lower() for ref in refs if ref.tenant_id}
    return frozenset(linked | set(network.tenants))


async def require_tenant(uow: UnitOfWork, network: Network, actor: Actor | None) -> None:
    """Refuse an actor from a tenant the network is not bound to; changes nothing."""
    if actor is None or not actor.tenant_id:
        return
    allowed = await allowed_tenants(uow, network)
    if allowed and actor.tenant_id not in allowed:
        log.warning("refused: an activity from a tenant network %s is not bound to", network.slug)
        raise NotAllowed(
            N_("{network} is run in another organisation's Teams; it cannot be used from here."),
            network=network.name,
        )


async def require_member(uow: UnitOfWork, network: Network, person: Person | None) -> None:
    """Refuse a reader who is neither a member nor an organiser of the network."""
    if person is None or not await uow.people.roles(person.key, network.slug):
        raise NotAllowed(N_("Only members of {network} can see this."), network=network.name)


def no_linked_channel(network: Network) -> NotFound:
    """The error for something that must be posted in the network's channel, before any
    channel is linked to the network."""
    return NotFound(
        N_(
            "No channel is linked to {network} yet. Write link {slug} in the "
            "network's channel first."
        ),
        network=network.name,
        slug=network.slug,
    )


async def network_for(
    uow: UnitOfWork, conversation_id: str, person: Person | None, actor: Actor | None = None
) -> Network:
    """The network a conversation speaks for: its link, the person's, or the only one.

    An actor from a tenant the network is not bound to is refused (NotAllowed)."""
    ref = await uow.conversations.get(channel_conversation_id(conversation_id))
    slug = ref.network_slug if ref else None
    if slug is None and person is not None:
        mine = await uow.people.networks_of(person.key)
        slug = mine[0] if len(mine) == 1 else None
    if slug is None:
        networks = await uow.networks.all()
        if len(networks) == 1:
            await require_tenant(uow, networks[0], actor)
            return networks[0]
        raise NotLinked(
            N_(
                "This conversation is not linked to a network yet. "
                "A facilitator can link it with: link <network>"
            )
        )
    network = await uow.networks.get(slug)
    if network is None:
        raise NotLinked(
            N_(
                "This conversation is not linked to a network yet. "
                "A facilitator can link it with: link <network>"
            )
        )
    await require_tenant(uow, network, actor)
    return network


async def find_next_meeting(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None = None,
) -> NextMeeting:
    """The next meeting of the network this conversation speaks for."""
    async with uow:
        person = await identify(uow, actor, directory)
        network = await network_for(uow, conversation_id, person, actor)
        await require_member(uow, network, person)
        meetings = await uow.networks.meetings(network.slug)
        await uow.commit()
    return NextMeeting(network, next_meeting(meetings, network.zone, clock.now()))


async def link_conversation(
    uow: UnitOfWork,
    conversation_id: str,
    actor: Actor,
    slug: str,
    directory: Directory | None = None,
    *,
    clock: Clock,
) -> Network:
    """Link this conversation to a network; only its facilitator or secretariat may."""
    slug = slug.strip().lower()
    async with uow:
        network = await uow.networks.get(slug)
        if network is None:
            known = ", ".join(n.slug for n in await uow.networks.all()) or "-"
            raise NotFound(
                N_("There is no network called '{name}'. Known networks: {known}"),
                name=slug,
                known=known,
            )
        await require_tenant(uow, network, actor)
        person = await identify(uow, actor, directory)
        roles = await uow.people.roles(person.key, slug) if person else frozenset()
        who = person.key if person else audit.UNKNOWN
        await audit.require(
            uow, clock, slug, who, roles, OrganiserAction.LINK_CONVERSATION, network=network.name
        )
        if not await uow.conversations.link(channel_conversation_id(conversation_id), slug):
            raise NotFound(
                N_(
                    "I don't know this conversation yet. Remove and add the app "
                    "again, then try once more."
                )
            )
        await audit.record(uow, clock, slug, who, "link", "conversation linked")
        await uow.commit()
    return network


async def claim_activity(uow: UnitOfWork, conversation_id: str, activity_id: str) -> bool:
    """True the first time an inbound activity is seen; Teams may resend it."""
    async with uow:
        fresh = await uow.activities.claim(conversation_id, activity_id)
        await uow.commit()
    return fresh


async def preferred_language(
    uow: UnitOfWork, conversation_id: str, actor: Actor, default: str
) -> str:
    """The reader's language, read in its own unit of work (a card action: nothing written)."""
    async with uow:
        return await _language(uow, conversation_id, actor, default)


async def _language(uow: UnitOfWork, conversation_id: str, actor: Actor, default: str) -> str:
    """The reader's own choice, else their Teams client's, else their stored locale, else
    the network's, else `default`."""
    chosen = await uow.preferences.language(actor.teams_user_id)
    if chosen:
        return chosen
    client = normalise_language(actor.locale)
    if client:
        return client
    person = await uow.people.find(
        aad_object_id=actor.aad_object_id, teams_user_id=actor.teams_user_id
    )
    stored = normalise_language(person.locale) if person else None
    if stored:
        return stored
    try:
        network = await network_for(uow, conversation_id, person, actor)
    except (NotLinked, NotAllowed):
        return default
    return network.language


@dataclass(frozen=True, slots=True)
class TurnStart:
    """What every message turn needs first: is it new, and in which language to answer."""

    fresh: bool
    language: str
    where: ConversationRef | None = field(default=None, compare=False)  # as stored


async def begin_turn(
    uow: UnitOfWork, ref: ConversationRef, activity_id: str | None, actor: Actor, default: str
) -> TurnStart:
    """One unit of work per turn: claim the activity, refresh the chat's reference, pick the
    language.

    The claim is decided by the database's unique key, so a redelivery (Teams may resend an
    activity, to this replica or another) starts no second turn and writes nothing. Every
    message refreshes the reference (its service URL may have changed; ids it lacks are kept).
    """
    async with uow:
        if activity_id and not await uow.activities.claim(ref.conversation_id, activity_id):
            return TurnStart(False, default)
        await uow.conversations.save(ref)
        stored = await uow.conversations.get(ref.conversation_id)
        await release_for(uow, ref)  # messages that waited for this personal chat
        language = await _language(uow, ref.conversation_id, actor, default)
        await uow.commit()
    return TurnStart(True, language, stored)


async def choose_language(uow: UnitOfWork, actor: Actor, language: str) -> str:
    """Remember the language a user wants answers in; da, sv or en."""
    chosen = normalise_language(language.strip())
    if chosen is None:
        raise InvalidInput(
            N_("I speak da (dansk), sv (svenska) and en (English). Write e.g.: language da")
        )
    async with uow:
        await uow.preferences.set_language(actor.teams_user_id, chosen)
        await uow.commit()
    return chosen


async def release_activity(uow: UnitOfWork, conversation_id: str, activity_id: str) -> None:
    """Forget a claim, so the same key can be claimed again (e.g. greet after a re-install)."""
    async with uow:
        await uow.activities.release(channel_conversation_id(conversation_id), activity_id)
        await uow.commit()
