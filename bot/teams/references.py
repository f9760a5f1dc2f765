"""Conversation references and actors read from inbound activities."""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity
from botbuilder.schema.teams import TeamsChannelData

from bot.routing.messages import Attachment, Incoming
from domain.model import ConversationKind, ConversationRef, channel_conversation_id
from domain.text import clean
from services.networks import Actor

log = logging.getLogger(__name__)


def conversation_ref(activity: Activity) -> ConversationRef:
    """The reference to store for the activity's conversation, Teams ids included."""
    conversation = activity.conversation
    data: TeamsChannelData = TeamsChannelData.deserialize(activity.channel_data or {})
    conversation_type = (conversation.conversation_type or "").lower()
    if conversation_type == "channel" or data.team is not None:
        kind = ConversationKind.CHANNEL
    elif conversation_type == "groupchat" or conversation.is_group:
        kind = ConversationKind.GROUP
    else:
        kind = ConversationKind.PERSONAL
    personal = kind is ConversationKind.PERSONAL
    user = activity.from_property
    channel = channel_conversation_id(conversation.id)
    return ConversationRef(
        conversation_id=channel,
        kind=kind,
        service_url=activity.service_url,
        channel_id=activity.channel_id,
        tenant_id=(data.tenant.id if data.tenant else None) or conversation.tenant_id,
        bot_id=activity.recipient.id if activity.recipient else None,
        bot_name=activity.recipient.name if activity.recipient else None,
        team_id=data.team.id if data.team else None,
        team_aad_group_id=data.team.aad_group_id if data.team else None,
        # The bot-added event names no channel: its conversation is the channel chosen at
        # install, as a channel message's conversation is its channel plus ';messageid='.
        teams_channel_id=data.channel.id
        if data.channel and data.channel.id
        else (channel if kind is ConversationKind.CHANNEL else None),
        user_id=user.id if personal and user else None,
        user_aad_object_id=user.aad_object_id if personal and user else None,
    )


def tenant_of(activity: Activity) -> str | None:
    """The tenant the activity was sent in (channelData.tenant.id, else conversation.tenantId),
    lower case. A guest's activities name the tenant of the conversation, the host's."""
    data: TeamsChannelData = TeamsChannelData.deserialize(activity.channel_data or {})
    conversation = activity.conversation
    tenant = (data.tenant.id if data.tenant else None) or (
        conversation.tenant_id if conversation else None
    )
    return (str(tenant).strip().lower() or None) if tenant else None


def actor(activity: Activity) -> Actor:
    """Who sent the activity, and from which tenant."""
    user = activity.from_property
    return Actor(
        teams_user_id=user.id if user else "",
        aad_object_id=getattr(user, "aad_object_id", None) if user else None,
        name=clean(user.name or "") if user else "",
        locale=activity.locale,
        tenant_id=tenant_of(activity),
    )


def addressed_to_bot(activity: Activity) -> bool:
    """Whether a message speaks to the bot: any message in a personal chat, elsewhere one
    that @mentions it. With resource-specific consent the bot also hears every channel
    message; those that do not mention it are people talking to each other."""
    if activity.conversation.conversation_type == "personal":
        return True
    bot_id = activity.recipient.id if activity.recipient else None
    return any(
        e.type == "mention"
        and (e.additional_properties or {}).get("mentioned", {}).get("id") == bot_id
        for e in activity.entities or []
    )


async def team_group_id(turn_context: TurnContext, team_id: str) -> str | None:
    """The team's aadGroupId from the Connector (GET /v3/teams/{id}), or None if it fails.

    botbuilder's Teams client is synchronous (requests): it runs in a thread, off the loop.
    """
    try:
        client = await TeamsInfo.get_teams_connector_client(turn_context)
        details = await asyncio.to_thread(client.teams.get_team_details, team_id)
    except Exception as exc:  # the id completes a reference: never fail a turn on it
        log.warning("team details for %s unavailable, asked again later: %s", team_id, exc)
        return None
    return str(details.aad_group_id) if details and details.aad_group_id else None


def incoming(activity: Activity, where: ConversationRef | None = None) -> Incoming:
    """The message as the features see it; `where` is the stored reference, when known
    (it holds ids that earlier events brought and this message lacks)."""
    return Incoming(
        activity_id=activity.id,
        conversation_id=activity.conversation.id,
        where=where or conversation_ref(activity),
        actor=actor(activity),
        text=clean(TurnContext.remove_recipient_mention(activity) or "", multiline=True),
        addressed_to_bot=addressed_to_bot(activity),
        attachments=tuple(
            Attachment(str(a.content_type or ""), str(a.name or ""), a.content)
            for a in activity.attachments or []
        ),
    )
