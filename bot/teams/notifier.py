"""The Notifier port on botbuilder: post and update messages in stored conversations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import CardFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AttachmentLayoutTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    InputHints,
    Mention,
)

from domain.model import ConversationKind, ConversationRef
from services.ports import Outbound


def to_activity(message: Outbound) -> Activity:
    """A message activity for an outbound text and/or card."""
    # What MessageFactory.attachment / .text build.
    if message.card is not None:
        activity = Activity(
            type=ActivityTypes.message,
            attachment_layout=AttachmentLayoutTypes.list,
            attachments=[CardFactory.adaptive_card(message.card)],
        )
        if message.text:
            activity.text = message.text
    else:
        activity = Activity(
            type=ActivityTypes.message,
            text=message.text,
            input_hint=InputHints.accepting_input,
            text_format="markdown",
        )
    if message.mentions:
        # Teams notifies a person named as <at>name</at> in the text with a matching entity.
        activity.entities = [
            Mention(
                mentioned=ChannelAccount(id=m.teams_id, name=m.name),
                text=f"<at>{m.name}</at>",
                type="mention",
            )
            for m in message.mentions
        ]
    return activity


def to_reference(ref: ConversationRef) -> ConversationReference:
    """botbuilder's reference for a stored conversation (a new post, not a reply)."""
    kind = {
        ConversationKind.CHANNEL: "channel",
        ConversationKind.GROUP: "groupChat",
        ConversationKind.PERSONAL: "personal",
    }[ref.kind]
    return ConversationReference(
        channel_id=ref.channel_id,
        service_url=ref.service_url,
        conversation=ConversationAccount(
            id=ref.conversation_id,
            conversation_type=kind,
            is_group=ref.kind is not ConversationKind.PERSONAL,
            tenant_id=ref.tenant_id,
        ),
        bot=ChannelAccount(id=ref.bot_id, name=ref.bot_name),
        user=ChannelAccount(id=ref.user_id, aad_object_id=ref.user_aad_object_id)
        if ref.user_id
        else None,
    )


class BotNotifier:
    """Sends through CloudAdapter.continue_conversation, as the bot's own app id."""

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id

    async def send(self, ref: ConversationRef, message: Outbound) -> str:
        """Post a new message (a new thread in a channel); returns its activity id."""
        sent: list[str] = []

        async def post(turn_context: TurnContext) -> None:
            response = await turn_context.send_activity(to_activity(message))
            sent.append(response.id if response and response.id else "")

        await self._proactive(ref, post)
        return sent[0]

    async def update(self, ref: ConversationRef, activity_id: str, message: Outbound) -> None:
        """Replace the content of a message the bot posted earlier."""

        async def edit(turn_context: TurnContext) -> None:
            activity = to_activity(message)
            activity.id = activity_id
            await turn_context.update_activity(activity)

        await self._proactive(ref, edit)

    async def _proactive(
        self, ref: ConversationRef, action: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        """Run `action` in the conversation; its failure reaches the caller, as raised."""
        failed: list[Exception] = []

        async def guarded(turn_context: TurnContext) -> None:
            try:
                await action(turn_context)
            except Exception as exc:
                # Left to botbuilder, the adapter's turn-error handler would swallow it and
                # post an apology into the very conversation that just refused a message.
                failed.append(exc)

        await self._adapter.continue_conversation(to_reference(ref), guarded, self._app_id)
        if failed:
            raise failed[0]
