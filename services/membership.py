"""Joining a network: open and close the call, apply (and edit until the deadline), list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from domain.application_form import (
    ApplicationRules,
    municipality_key,
    read_application,
    rules_for,
    same_municipality,
)
from domain.errors import N_, InvalidInput, NotAllowed, NotFound, NotLinked
from domain.membership import (
    Application,
    ApplicationStatus,
    Call,
    NoOpenCall,
    accept,
    ensure_open,
)
from domain.model import (
    ConversationKind,
    ConversationRef,
    Municipality,
    Network,
    Person,
    RoleKind,
    channel_conversation_id,
)
from domain.numbers import small_number
from services import audit
from services.networks import Actor, Directory, identify, network_for, require_tenant
from services.ports import Clock, Notifier, Outbound, UnitOfWork

SECRETARIAT = frozenset({RoleKind.SECRETARIAT})


@dataclass(frozen=True, slots=True)
class CallState:
    """A network with its call for applications and whether it is open now."""

    network: Network
    call: Call | None
    open: bool

    @property
    def closes_at(self) -> datetime | None:
        """When the call closes (or closed)."""
        return self.call.closed_since(self.network.zone) if self.call else None


@dataclass(frozen=True, slots=True)
class ApplicationForm:
    """What the application card needs: the network, its rules, the reader's own application."""

    state: CallState
    rules: ApplicationRules
    current: Application | None = None


@dataclass(frozen=True, slots=True)
class Submitted:
    """A stored application version, and whether it replaced another sender's application."""

    form: ApplicationForm
    application: Application
    replaced: bool


@dataclass(frozen=True, slots=True)
class Applications:
    """The secretariat's list: the call and every application's latest version."""

    state: CallState
    applications: tuple[Application, ...]


async def require_secretariat(
    uow: UnitOfWork,
    network: Network,
    actor: Actor,
    directory: Directory | None,
    clock: Clock,
) -> Person:
    """The reader, who must be the network's secretariat (a refusal is audited)."""
    person = await identify(uow, actor, directory)
    roles = await uow.people.roles(person.key, network.slug) if person else frozenset()
    if person is None or not roles & SECRETARIAT:
        await audit.refused(uow, clock, network.slug, person.key if person else None, "secretariat")
        raise NotAllowed(N_("Only the secretariat of {network} can do that."), network=network.name)
    return person


async def secretariat_of(
    uow: UnitOfWork,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    clock: Clock,
) -> tuple[Network, Person]:
    """The network this conversation speaks for and the reader, who must be its secretariat."""
    person = await identify(uow, actor, directory)
    network = await network_for(uow, conversation_id, person, actor)
    return network, await require_secretariat(uow, network, actor, directory, clock)


async def call_state(uow: UnitOfWork, clock: Clock, network: Network) -> CallState:
    """The network's call as it stands now (it closes itself after the deadline)."""
    call = await uow.membership.call(network.slug)
    return CallState(network, call, call is not None and call.is_open(clock.now(), network.zone))


def _deadline(argument: str, network: Network, today: date) -> date:
    text = argument.strip()
    if not text and network.registration_deadline and network.registration_deadline >= today:
        return network.registration_deadline  # the network file's declared deadline
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            N_("Write the deadline as YYYY-MM-DD, e.g. call open {example}."),
            example=f"{today.year}-12-31",
        ) from None
    if day < today:
        raise InvalidInput(N_("The deadline {deadline} has already passed."), deadline=day)
    return day


async def open_call(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    argument: str,
) -> CallState:
    """Open the network's call with a deadline, or move the deadline of the open one."""
    async with uow:
        network, person = await secretariat_of(uow, conversation_id, actor, directory, clock)
        now = clock.now()
        deadline = _deadline(argument, network, now.astimezone(network.zone).date())
        await uow.membership.save_call(network.slug, Call(deadline, now), by=person.key)
        await audit.record(uow, clock, network.slug, person.key, "call.open", f"until {deadline}")
        state = await call_state(uow, clock, network)
        await uow.commit()
    return state


async def close_call(
    uow: UnitOfWork, clock: Clock, conversation_id: str, actor: Actor, directory: Directory | None
) -> CallState:
    """Close the network's call before its deadline."""
    async with uow:
        network, person = await secretariat_of(uow, conversation_id, actor, directory, clock)
        state = await call_state(uow, clock, network)
        if state.call is None or not state.open:
            raise NoOpenCall(N_("{network} is not taking applications."), network=network.name)
        closed = replace(state.call, closed_at=clock.now())
        await uow.membership.save_call(network.slug, closed, by=person.key)
        await audit.record(uow, clock, network.slug, person.key, "call.close")
        state = await call_state(uow, clock, network)
        await uow.commit()
    return state


async def _rules(uow: UnitOfWork, network: Network) -> ApplicationRules:
    towns = await uow.networks.municipalities(network.slug)
    return rules_for(network, tuple(sorted({m.region for m in towns})))


async def _network_to_apply(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    person: Person | None,
    argument: str,
    actor: Actor,
) -> Network:
    """The network named, else the conversation's, else the only one taking applications."""
    if argument:
        found = await uow.networks.get(argument.strip().lower())
        if found is None:
            raise NotFound(
                N_("There is no network called '{name}'. Known networks: {known}"),
                name=argument[:80],
                known=", ".join(n.slug for n in await uow.networks.all()) or "-",
            )
        await require_tenant(uow, found, actor)
        return found
    try:
        return await network_for(uow, conversation_id, person, actor)
    except NotLinked:
        taking = [n for n in await uow.networks.all() if (await call_state(uow, clock, n)).open]
        if len(taking) == 1:
            await require_tenant(uow, taking[0], actor)
            return taking[0]
        raise NotFound(
            N_("Write the network's short name after apply, e.g. apply {example}."),
            example=taking[0].slug if taking else "kompakte-groenne-byer",
        ) from None


async def application_form(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    argument: str = "",
) -> ApplicationForm:
    """The application card's content: refused when the network takes no applications."""
    async with uow:
        person = await identify(uow, actor, directory)
        network = await _network_to_apply(uow, clock, conversation_id, person, argument, actor)
        state = await call_state(uow, clock, network)
        ensure_open(network, state.call, clock.now())
        mine = await uow.membership.application_by(network.slug, actor.teams_user_id)
        current = mine if mine and mine.status is ApplicationStatus.SUBMITTED else None
        form = ApplicationForm(state, await _rules(uow, network), current)
        await uow.commit()
    return form


async def network_of(uow: UnitOfWork, slug: object) -> Network:
    """The network a card names; never trust a card payload."""
    if isinstance(slug, str) and 0 < len(slug) <= 80:
        found = await uow.networks.get(slug)
        if found is not None:
            return found
    raise InvalidInput(N_("This card does not belong to a network I know."))


def parse_base(value: object) -> tuple[str, int] | None:
    """The '<municipality>:<version>' an edit started from, or None for a new application."""
    if isinstance(value, str) and value.count(":") == 1:
        key, _, text = value.partition(":")
        version = small_number(text)
        if key and version is not None and len(value) <= 100:
            return key, version
    return None


def _known(wanted: Application, towns: list[Municipality]) -> Application:
    """Use the key, name and region of a municipality the network already knows."""
    key = wanted.municipality_key
    for town in towns:
        if same_municipality(key, town.key) or same_municipality(key, municipality_key(town.name)):
            return replace(
                wanted, municipality_key=town.key, municipality_name=town.name, region=town.region
            )
    return wanted


async def _existing(uow: UnitOfWork, slug: str, wanted: Application) -> Application | None:
    """The stored application of the same municipality, however its name was written."""
    key = wanted.municipality_key
    for candidate in (key, f"{key}s", key.removesuffix("s")):
        found = await uow.membership.application(slug, candidate) if candidate else None
        if found is not None:
            return found
    return None


async def submit_application(
    uow: UnitOfWork,
    clock: Clock,
    slug: object,
    actor: Actor,
    raw: Mapping[str, object],
    *,
    base: object = None,
    replace_existing: object = False,
) -> Submitted:
    """Store an application (or a new version of one); every rule checked, nothing half-saved."""
    async with uow:
        network = await network_of(uow, slug)
        rules = await _rules(uow, network)
        wanted = _known(
            read_application(raw, rules), await uow.networks.municipalities(network.slug)
        )
        call = await uow.membership.lock_call(network.slug)
        existing = await _existing(uow, network.slug, wanted)
        if existing is not None:  # one municipality, one application: keep its first key
            wanted = replace(wanted, municipality_key=existing.municipality_key)
        stored = accept(
            network,
            call,
            existing,
            wanted,
            base=parse_base(base),
            replace_existing=replace_existing in (True, "true"),
            now=clock.now(),
            by=actor.teams_user_id,
        )
        await uow.membership.save_application(network.slug, stored)
        state = await call_state(uow, clock, network)
        await uow.commit()
    replaced = existing is not None and existing.submitted_by != actor.teams_user_id
    return Submitted(ApplicationForm(state, rules, stored), stored, replaced)


async def list_applications(
    uow: UnitOfWork, clock: Clock, conversation_id: str, actor: Actor, directory: Directory | None
) -> Applications:
    """Every application to the conversation's network, for its secretariat."""
    async with uow:
        network, _ = await secretariat_of(uow, conversation_id, actor, directory, clock)
        state = await call_state(uow, clock, network)
        found = await uow.membership.applications(network.slug)
        await uow.commit()
    return Applications(state, tuple(found))


async def form_of(uow: UnitOfWork, clock: Clock, slug: object) -> ApplicationForm:
    """The application form of the network a card names, open or not (to show a refusal on)."""
    async with uow:
        network = await network_of(uow, slug)
        return ApplicationForm(await call_state(uow, clock, network), await _rules(uow, network))


async def personal_chat(
    uow: UnitOfWork, conversation_id: str, teams_user_id: str
) -> tuple[bool, ConversationRef | None]:
    """Whether this conversation is the user's personal chat, and that chat if it is stored."""
    async with uow:
        here = await uow.conversations.get(channel_conversation_id(conversation_id))
        if here is not None and here.kind is ConversationKind.PERSONAL:
            return True, here
        return False, await uow.conversations.personal_for(teams_user_id)


async def announce_call(
    uow: UnitOfWork, notifier: Notifier, state: CallState, message: Outbound
) -> int:
    """Post the opened call in the network's channels; returns how many got it."""
    async with uow:
        channels = [
            r
            for r in await uow.conversations.linked_to(state.network.slug)
            if r.kind is ConversationKind.CHANNEL and r.installed
        ]
    for ref in channels:
        await notifier.send(ref, message)
    return len(channels)
