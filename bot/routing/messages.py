"""Messages as the features see them (no SDK types), and where each one goes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.routing.commands import (
    MAX_COMMAND_LENGTH,
    CommandContext,
    CommandRegistry,
    unknown_reply,
)
from domain.errors import DomainError
from domain.model import ConversationRef
from services.networks import Actor
from services.ports import Outbound


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


@dataclass(frozen=True, slots=True)
class Handled:
    """A hook took the message: its reply (None: nothing to say in the conversation)."""

    reply: Outbound | None = None


# A hook sees a message before or after the commands; None lets the next hook look at it.
Hook = Callable[[CommandContext, Incoming], Awaitable[Handled | None]]


class MessageRouter:
    """Where a message goes: files and posts first, then a command, then what is left.

    Features add hooks at start (composition root); the Teams edge hands every message here.
    """

    def __init__(self, registry: CommandRegistry) -> None:
        self.registry = registry
        self._attachments: list[Hook] = []
        self._overheard: list[Hook] = []
        self._unmatched: list[Hook] = []

    def on_attachments(self, hook: Hook) -> None:
        """Look at every message first (files in a personal chat, file posts in a channel)."""
        self._attachments.append(hook)

    def on_overheard(self, hook: Hook) -> None:
        """Messages not addressed to the bot: people talking to each other in a channel."""
        self._overheard.append(hook)

    def on_unmatched(self, hook: Hook) -> None:
        """Messages to the bot that name no command."""
        self._unmatched.append(hook)

    async def route(self, ctx: CommandContext, message: Incoming) -> Outbound | None:
        """The reply to a message, or None when the bot says nothing."""
        handled = await _first(self._attachments, ctx, message)
        if handled is not None:
            return handled.reply
        text = message.text
        if not text:
            return None
        if not message.addressed_to_bot:
            # Never a command and never a reply: the bot only listens (thread answers).
            await _first(self._overheard, ctx, message)
            return None
        if len(text) > MAX_COMMAND_LENGTH:
            return Outbound(
                text=ctx.t(
                    "That message is too long for me ({length} characters; at most {limit}).",
                    length=len(text),
                    limit=MAX_COMMAND_LENGTH,
                )
            )
        try:
            found = self.registry.find(text)
            if found is not None:
                command, args = found
                return await command.handle(ctx, args)
            handled = await _first(self._unmatched, ctx, message)
        except DomainError as exc:  # a user-safe refusal, in the reader's language
            return Outbound(text=ctx.t.refusal(exc.msgid, **exc.params))
        if handled is not None:
            return handled.reply
        return unknown_reply(ctx.t, text)


async def _first(hooks: list[Hook], ctx: CommandContext, message: Incoming) -> Handled | None:
    for hook in hooks:
        handled = await hook(ctx, message)
        if handled is not None:
            return handled
    return None
