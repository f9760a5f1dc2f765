"""Conversation references and actors read from inbound activities."""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.schema import Activity
from botbuilder.schema.teams import TeamsChannelData

from bot.routing.messages import Attachment, Incoming
from domain.model import ConversationKind, ConversationRef, channel_conversation_id
from domain.text import clean
from services.networks import Actor


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
    return ConversationRef(
        conversation_id=channel_conversation_id(conversation.id),
        kind=kind,
        service_url=activity.service_url,
        channel_id=activity.channel_id,
        tenant_id=(data.tenant.id if data.tenant else None) or conversation.tenant_id,
        bot_id=activity.recipient.id if activity.recipient else None,
        bot_name=activity.recipient.name if activity.recipient else None,
        team_id=data.team.id if data.team else None,
        team_aad_group_id=data.team.aad_group_id if data.team else None,
        teams_channel_id=data.channel.id if data.channel else None,
        user_id=user.id if personal and user else None,
        user_aad_object_id=user.aad_object_id if personal and user else None,
    )


def actor(activity: Activity) -> Actor:
    """Who sent the activity."""
    user = activity.from_property
    return Actor(
        teams_user_id=user.id if user else "",
        aad_object_id=getattr(user, "aad_object_id", None) if user else None,
        name=clean(user.name or "") if user else "",
        locale=activity.locale,
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


def incoming(activity: Activity) -> Incoming:
    """The message as the features see it."""
    return Incoming(
        activity_id=activity.id,
        conversation_id=activity.conversation.id,
        where=conversation_ref(activity),
        actor=actor(activity),
        text=clean(TurnContext.remove_recipient_mention(activity) or "", multiline=True),
        addressed_to_bot=addressed_to_bot(activity),
        attachments=tuple(
            Attachment(str(a.content_type or ""), str(a.name or ""), a.content)
            for a in activity.attachments or []
        ),
    )
