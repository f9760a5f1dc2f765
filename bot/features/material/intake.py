"""Material without a command: files posted in the channel, links in a message to the bot, and
the 'which meeting is this for?' card with its verb."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from bot.features.material.files import MaterialFiles
from bot.features.material.views import choice_view, recorded_reply
from bot.routing.card_actions import CardAction, Verb, error_body, invoke_body
from bot.routing.commands import CommandContext, Reply
from bot.routing.messages import Handled, Hook, Incoming
from cards.material import (
    DATA_MATERIAL,
    INPUT_MATERIAL_MEETING,
    INPUT_MATERIAL_THEMES,
    VERB_MATERIAL_MEETING,
    meeting_choice_card,
)
from cards.meeting import meeting_name
from domain.errors import DomainError, NotAllowed, NotFound, NotLinked
from domain.material import URL_IN_TEXT
from domain.model import ConversationKind, ConversationRef
from netpuls.i18n import Translator
from services import material_intake
from services.material_ports import ChannelPost
from services.networks import Directory
from services.ports import Outbound

log = logging.getLogger(__name__)
# A channel message reaches the bot with its body as an HTML attachment. Teams does not put the
# message's files there (bot APIs deliver files only in personal chats), and its HTML need not
# name them; the Agents Playground writes an <attachment id="..."> stub for each file.
HTML = "text/html"
STUB = "<attachment "


def channel_post(message: Incoming) -> ChannelPost | None:
    """The Graph ids of a message people wrote in a team channel (or a reply in one), else None.

    Any such message may carry files: only Graph tells (GET .../messages/{id}). The team's group
    id is taken from the activity when present, else left for the stored reference.
    """
    where = message.where
    if where.kind is not ConversationKind.CHANNEL or not message.activity_id:
        return None
    channel = where.teams_channel_id or where.conversation_id
    _, _, root = (message.conversation_id or "").partition(";messageid=")
    reply = message.activity_id if root and message.activity_id != root else None
    return ChannelPost(where.team_aad_group_id, channel, root or message.activity_id, reply)


def shows_files(message: Incoming) -> bool:
    """Whether the message's HTML itself names attached files (not something Teams promises)."""
    return any(a.content_type == HTML and STUB in str(a.content or "") for a in message.attachments)


def thread_of(message: Incoming, post: ChannelPost) -> ConversationRef:
    """Where to answer a channel post: in its thread."""
    ref = message.where
    return dataclasses.replace(
        ref, conversation_id=f"{ref.conversation_id};messageid={post.message_id}"
    )


def links_for_the_bot(message: Incoming) -> bool:
    """A message to the bot that holds a web address: in a personal chat, or mentioning it."""
    return URL_IN_TEXT.search(message.text) is not None and message.addressed_to_bot


async def links_command(ctx: CommandContext, args: str) -> Reply:
    """A message with links (no command): each link is recorded as material."""
    recorded = await material_intake.record_links(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, args
    )
    return recorded_reply(recorded, ctx.t)


def material_hooks(files: MaterialFiles) -> tuple[Hook, Hook, Hook]:
    """Files sent to the bot, file posts in a channel (both before any command) and links
    in a message to the bot that names no command."""

    async def sent_files(ctx: CommandContext, message: Incoming) -> Handled | None:
        if not files.accepts(message):
            return None
        return Handled(await files.receive(message, ctx.t, ctx.directory))

    async def posted_files(ctx: CommandContext, message: Incoming) -> Handled | None:
        post = channel_post(message)
        if post is None:
            return None
        named = shows_files(message)
        if not named and not files.reads_channel_messages:
            return None
        await receive_post(files, message, post, ctx.t, ctx.directory, quiet=not named)
        # A message whose HTML names files is a file post; any other goes on to the commands
        # and listeners while Graph is asked, after the turn, whether it carries files.
        return Handled() if named else None

    async def links(ctx: CommandContext, message: Incoming) -> Handled | None:
        if not links_for_the_bot(message):
            return None
        return Handled(await links_command(ctx, message.text))

    return sent_files, posted_files, links


async def receive_post(
    files: MaterialFiles,
    message: Incoming,
    post: ChannelPost,
    t: Translator,
    people: Directory,
    *,
    quiet: bool = False,
) -> None:
    """Read a channel post's files through Graph after the turn, and answer in its thread.

    `quiet`: the message may well have no files (every channel message is read), so a failure
    is logged, not answered; files found are answered all the same.
    """
    where = thread_of(message, post)
    caption = message.text
    sender, conversation = message.actor, message.conversation_id

    async def record() -> None:
        try:
            recorded = await files.record_post(conversation, sender, people, post, caption)
        except (NotAllowed, NotFound, NotLinked):
            # A guest's post, or a channel no network is linked to: not material, and no
            # answer either (every file posted in the channel reaches the bot).
            log.info("channel files of %s not recorded: not a member's", post.message_id)
            return
        except DomainError as exc:
            if quiet:
                log.info("channel files of %s not recorded: %s", post.message_id, exc.msgid)
                return
            await files.notifier.send(where, Outbound(text=t.refusal(exc.msgid, **exc.params)))
            return
        if recorded.items or recorded.known:
            await files.notifier.send(where, recorded_reply(recorded, t))

    files.background.spawn(record(), name=f"channel-files:{post.message_id}")


class MaterialActions:
    """The verb of the 'which meeting?' card."""

    def __init__(self, files: MaterialFiles) -> None:
        self._files = files

    def verbs(self) -> dict[str, Verb]:
        """The verbs this feature adds to the card actions."""
        return {VERB_MATERIAL_MEETING: self._meeting}

    async def _meeting(self, action: CardAction) -> dict[str, Any]:
        data = action.data
        try:
            done = await self._files.reassign(
                action.conversation_id,
                action.actor,
                action.directory,
                data.get(DATA_MATERIAL),
                data.get(INPUT_MATERIAL_MEETING),
                data.get(INPUT_MATERIAL_THEMES, ""),
            )
        except DomainError as exc:
            return error_body(action.t(exc.msgid, **exc.params))
        t = action.t
        meeting = meeting_name(done.meeting, t)
        notice = (
            t("Moved to the folder of {meeting}.", meeting=meeting)
            if done.moved
            else t("Saved: it is material for {meeting}.", meeting=meeting)
        )
        view = choice_view(done.network, done.items, done.meeting, (), t, notice, saved=True)
        return invoke_body(meeting_choice_card(view, t))
