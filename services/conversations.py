"""Use cases around stored conversations: references kept complete, removals, and the
personal chat a message for one person goes to."""

from __future__ import annotations

from domain.model import ConversationKind, ConversationRef, channel_conversation_id
from services.networks import Actor
from services.ports import UnitOfWork
from services.reach import personal_or_to_open, release_for


async def record_conversation(uow: UnitOfWork, ref: ConversationRef) -> ConversationRef:
    """Store (or refresh) a conversation reference; return it with any existing link."""
    async with uow:
        await uow.conversations.save(ref)
        stored = await uow.conversations.get(ref.conversation_id)
        await release_for(uow, ref)  # messages that waited for this personal chat
        await uow.commit()
    assert stored is not None
    return stored


async def forget_conversation(uow: UnitOfWork, conversation_id: str) -> None:
    """Mark a conversation as one the bot was removed from."""
    async with uow:
        await uow.conversations.mark_uninstalled(channel_conversation_id(conversation_id))
        await uow.commit()


def lacks_team_group(ref: ConversationRef) -> bool:
    """Whether a team channel's reference still needs the team's aadGroupId (Teams sends it
    with the bot-added event and the install, not with channel messages)."""
    return (
        ref.kind is ConversationKind.CHANNEL
        and ref.installed
        and bool(ref.team_id)
        and not ref.team_aad_group_id
    )


async def complete_team(uow: UnitOfWork, team_id: str, aad_group_id: str) -> None:
    """Store a team's aadGroupId on every reference of the team that lacks it."""
    async with uow:
        await uow.conversations.complete_team(team_id, aad_group_id)
        await uow.commit()


async def forget_team(uow: UnitOfWork, team_id: str) -> None:
    """Mark every channel of a team as one the bot was removed from (team deleted, bot
    removed from the team: Teams names the team, not the channel chosen at install)."""
    async with uow:
        await uow.conversations.mark_team_uninstalled(team_id)
        await uow.commit()


async def personal_chat(
    uow: UnitOfWork, person_key: str, network: str | None = None
) -> ConversationRef | None:
    """The bot's installed personal chat with a network person; with `network`, where none
    is stored, the chat to open through the network's channel (the outbox opens it)."""
    person = await uow.people.find(email=person_key)
    if person is None:
        return None
    if network is not None:
        return await personal_or_to_open(uow, person, network)
    if not person.teams_user_id:
        return None
    return await uow.conversations.personal_for(person.teams_user_id)


async def private_chat(
    uow: UnitOfWork, conversation_id: str, actor: Actor
) -> tuple[bool, ConversationRef | None]:
    """Whether this conversation is the reader's personal chat with the bot, and if it is
    not, the reader's personal chat where one is installed (for what only they may read)."""
    async with uow:
        here = await uow.conversations.get(channel_conversation_id(conversation_id))
        if here is not None and here.kind is ConversationKind.PERSONAL:
            return True, None
        return False, await uow.conversations.personal_for(actor.teams_user_id)
