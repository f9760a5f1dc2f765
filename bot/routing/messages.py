"""A message as the features see it: read from the activity by the Teams edge, no SDK types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.model import ConversationRef
from services.networks import Actor


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attachment of a message: its content type, file name and content as sent."""

    content_type: str
    name: str = ""
    content: Any = None  # the attachment's JSON content (a dict for file download info)


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message activity: who wrote what, where, with which attachments."""

    activity_id: str | None
    conversation_id: str  # as sent: a channel thread's id ends in ;messageid=<root>
    where: ConversationRef  # the conversation's stored reference (thread part removed)
    actor: Actor
    text: str  # the bot's @mention removed, stripped
    addressed_to_bot: bool  # a personal chat, or a message that @mentions the bot
    attachments: tuple[Attachment, ...] = ()
