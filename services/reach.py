"""Reaching a person in a personal chat that the bot opens itself.

Teams lets a bot create a 1:1 chat with anyone who shares a team with it (or has installed
it personally); nobody has to write to the bot first. Messages for a person without a stored
chat are queued to `domain.model.chat_to_open`; when the outbox delivers one, the chat is
opened here (the person's Teams id read from the team's roster if not known yet) and stored.
Where Teams refuses (a guest of another tenant, the app blocked for them), the person is
@mentioned in the network's channel with a short notice that says nothing of the content,
and the message waits until they open a chat with the bot; `deliveries` lists who waits.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from domain.model import (
    ConversationKind,
    ConversationRef,
    Network,
    Person,
    chat_to_open,
    person_to_reach,
)
from domain.roster import TeamMember, match_roster
from services.ports import (
    DeliveryRecord,
    NewDelivery,
    Notifier,
    Outbound,
    UnitOfWork,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)


class Unreachable(Exception):
    """Teams will not open a chat with this person (403/404): not a retry."""


class NotNow(Exception):
    """Teams could not be asked now (throttled, unavailable): try again later."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class ChatOpener(Protocol):
    """The Bot Connector's side of reaching people (bot/teams/chats.py)."""

    async def open_chat(self, via: ConversationRef, teams_user_id: str) -> ConversationRef:
        """Create (or get) the 1:1 chat with a user in `via`'s tenant; Unreachable, NotNow."""
        ...

    async def team_members(self, via: ConversationRef) -> list[TeamMember]:
        """Every member of the team `via` is a channel of, with Teams ids; NotNow."""
        ...


@dataclass(frozen=True, slots=True)
class Reach:
    """What the outbox worker needs to reach people without a stored chat."""

    chats: ChatOpener
    notice: Callable[[Person, Network], Outbound]  # the @mention in the channel, localized


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a delivery for a person stands: `ref` when their chat is open; else it is
    `waiting` for them, `gone` (no such person or network channel any more), or to be tried
    again after `retry_after` seconds (None: the worker's backoff)."""

    ref: ConversationRef | None = None
    waiting: bool = False
    gone: bool = False
    retry_after: float | None = None
    reason: str = ""


async def channel_of(work: UnitOfWork, network_slug: str | None) -> ConversationRef | None:
    """The network's first installed channel: the team through which chats are opened."""
    if not network_slug:
        return None
    for ref in await work.conversations.linked_to(network_slug):
        if ref.kind is ConversationKind.CHANNEL and ref.installed:
            return ref
    return None


async def personal_or_to_open(
    work: UnitOfWork, person: Person, network_slug: str | None
) -> ConversationRef | None:
    """The person's stored personal chat; else a chat to open through the network's channel;
    None when neither exists (no channel linked yet)."""
    if person.teams_user_id:
        chat = await work.conversations.personal_for(person.teams_user_id)
        if chat is not None and chat.installed:
            return chat
    via = await channel_of(work, network_slug)
    return chat_to_open(person.key, via) if via is not None else None


def mention_key(network: str, person_key: str, day: str) -> str:
    """One channel notice per person and day, whatever number of messages wait for them."""
    digest = hashlib.sha256(person_key.encode()).hexdigest()[:16]
    return f"{network}:reach-notice:{digest}:{day}"


async def resolve(
    uow: UnitOfWorkFactory,
    now: datetime,
    reach: Reach | None,
    delivery: DeliveryRecord,
    network_slug: str | None,
) -> Resolved:
    """Open the personal chat a delivery for a person needs (network calls outside any
    transaction), or hold the delivery for them."""
    person_key = person_to_reach(delivery.conversation_id)
    assert person_key is not None
    async with uow() as work:
        person = await work.people.find(email=person_key)
        via = await channel_of(work, network_slug)
        chat = await personal_or_to_open(work, person, network_slug) if person else None
        if chat is not None and person_to_reach(chat.conversation_id) is None:
            await work.outbox.readdress(delivery.id, chat.conversation_id)
            await work.commit()
            return Resolved(ref=chat)
    if person is None or via is None:
        return Resolved(gone=True, reason="nobody to deliver to: person or channel gone")
    teams_id = person.teams_user_id
    try:
        if reach is None:
            raise Unreachable("personal chats cannot be opened here")
        teams_id = teams_id or await _learn_teams_id(uow, reach, person, via)
        if teams_id is None:
            raise Unreachable("not a member of the network's team")
        opened = await reach.chats.open_chat(via, teams_id)
    except Unreachable as exc:
        log.info("delivery %s: no personal chat (%s)", delivery.id, exc)
        await _wait(uow, now, reach, delivery, replace(person, teams_user_id=teams_id), via)
        return Resolved(waiting=True, reason=str(exc))
    except NotNow as exc:
        return Resolved(retry_after=exc.retry_after, reason=str(exc))
    async with uow() as work:
        await work.conversations.save(opened)
        await work.outbox.readdress(delivery.id, opened.conversation_id)
        await work.commit()
    return Resolved(ref=opened)


async def _learn_teams_id(
    uow: UnitOfWorkFactory, reach: Reach, person: Person, via: ConversationRef
) -> str | None:
    """Read the team's roster; remember the Teams ids of the network's people found in it."""
    members = [
        m
        for m in await reach.chats.team_members(via)
        if m.teams_user_id and (not via.tenant_id or m.tenant_id in (None, via.tenant_id))
    ]
    tenant = (via.tenant_id or "").lower()
    async with uow() as work:
        people = [
            p
            for p in await _people_of(work, via)
            if not p.teams_user_id and (p.tenant_id or "").lower() in ("", tenant)
        ]  # ids are never bound from another tenant than the person's
        found = match_roster(people, members).matched
        mine: str | None = None
        for someone, member in found:
            taken = await work.people.find(teams_user_id=member.teams_user_id)
            if taken is not None:
                continue  # that Teams id belongs to another person already
            await work.people.remember_teams_ids(
                someone.key,
                teams_user_id=member.teams_user_id,
                aad_object_id=None if someone.aad_object_id else member.user_id or None,
                tenant_id=tenant or None,
            )
            if someone.key == person.key:
                mine = member.teams_user_id
        if mine is None:
            # Deliveries to people of one team resolve side by side: another may have bound
            # this person's id from the same roster a moment ago.
            bound = await work.people.find(email=person.key)
            mine = bound.teams_user_id if bound is not None else None
        await work.commit()
    return mine


async def _people_of(work: UnitOfWork, via: ConversationRef) -> list[Person]:
    return list(await work.networks.people(via.network_slug)) if via.network_slug else []


async def _wait(
    uow: UnitOfWorkFactory,
    now: datetime,
    reach: Reach | None,
    delivery: DeliveryRecord,
    person: Person,
    via: ConversationRef,
) -> None:
    """Hold the message for the person and @mention them once a day in the channel."""
    async with uow() as work:
        await work.outbox.wait(
            delivery.id, "no personal chat: told by @mention in the channel, waiting for them"
        )
        network = await work.networks.get(via.network_slug) if via.network_slug else None
        if reach is not None and network is not None and person.teams_user_id:
            notice = NewDelivery(
                key=mention_key(network.slug, person.key, now.date().isoformat()),
                ref=via,
                message=reach.notice(person, network),
                network=network.slug,
            )
            await work.outbox.enqueue([notice], now)
        await work.commit()


async def release_for(work: UnitOfWork, ref: ConversationRef) -> int:
    """A personal chat became known: what waited for its person goes there (in the caller's
    unit of work)."""
    if ref.kind is not ConversationKind.PERSONAL or not ref.user_id:
        return 0
    person = await work.people.find(aad_object_id=ref.user_aad_object_id, teams_user_id=ref.user_id)
    if person is None:
        return 0
    return await work.outbox.release_waiting(person.key, ref.conversation_id)


async def send_or_queue(
    uow: UnitOfWork,
    now: datetime,
    notifier: Notifier,
    ref: ConversationRef,
    message: Outbound,
    key: str,
    network: str | None,
) -> None:
    """Send now into an open chat; a message for a chat still to open goes through the outbox,
    whose worker opens it (exactly once, by `key`)."""
    if person_to_reach(ref.conversation_id) is None:
        await notifier.send(ref, message)
        return
    async with uow:
        await uow.outbox.enqueue(
            [
                NewDelivery(
                    key=f"{key}|{ref.conversation_id}", ref=ref, message=message, network=network
                )
            ],
            now,
        )
        await uow.commit()
