"""The Notifier port on botbuilder: post and update messages in stored conversations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp
import requests
from botbuilder.core import CardFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AttachmentLayoutTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
    InputHints,
    Mention,
)

from domain.model import ConversationKind, ConversationRef
from domain.roster import TeamMember
from services.ports import Outbound
from services.reach import NotNow, Unreachable

ROSTER_PAGE = 500  # Teams pages the roster by 50 to 500
ROSTER_PAGES = 100  # 50,000 members: past any team a network lives in
# Teams' answers to creating a 1:1 chat with someone it will not let the bot reach: not
# installed for them and no team in common, a guest whose tenant blocks it, gone from the
# directory. Retrying cannot change them.
UNREACHABLE_STATUSES = frozenset({400, 403, 404})


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

    async def open_chat(self, via: ConversationRef, teams_user_id: str) -> ConversationRef:
        """Create the 1:1 chat with a user of `via`'s tenant, as Company Communicator does:
        `POST /v3/conversations` with the bot, the user and the tenant. Teams answers with
        the existing chat's id when there is one."""
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=via.bot_id, name=via.bot_name),
            members=[ChannelAccount(id=teams_user_id)],
            tenant_id=via.tenant_id,
            channel_data={"tenant": {"id": via.tenant_id}},
        )
        created: list[str] = []

        async def capture(turn_context: TurnContext) -> None:
            created.append(turn_context.activity.conversation.id)

        await _asking(
            self._adapter.create_conversation(
                self._app_id, capture, parameters, via.channel_id, via.service_url
            )
        )
        return ConversationRef(
            conversation_id=created[0],
            kind=ConversationKind.PERSONAL,
            service_url=via.service_url,
            channel_id=via.channel_id,
            tenant_id=via.tenant_id,
            bot_id=via.bot_id,
            bot_name=via.bot_name,
            user_id=teams_user_id,
        )

    async def team_members(self, via: ConversationRef) -> list[TeamMember]:
        """The team's roster from the Bot Connector, every page (Teams user ids included)."""
        if not via.team_id:
            return []
        members: list[TeamMember] = []

        async def read(turn_context: TurnContext) -> None:
            token: str | None = None
            for _ in range(ROSTER_PAGES):
                page = await TeamsInfo.get_paged_team_members(
                    turn_context, via.team_id, token, ROSTER_PAGE
                )
                members.extend(
                    TeamMember(
                        user_id=m.aad_object_id or "",
                        email=m.email or m.user_principal_name or "",
                        display_name=m.name or "",
                        teams_user_id=m.id,
                        tenant_id=m.tenant_id,
                    )
                    for m in page.members or []
                )
                token = page.continuation_token
                if not token:
                    return

        await _asking(self._proactive(via, read))
        return members

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


async def _asking(call: Awaitable[None]) -> None:
    """Run a Connector call; its refusals as the reach service names them."""
    try:
        await call
    except ErrorResponseException as exc:
        status = exc.response.status_code
        if status in UNREACHABLE_STATUSES:
            raise Unreachable(f"{status} {exc.response.reason}") from exc
        retry_after = exc.response.headers.get("Retry-After")
        raise NotNow(
            f"{status} {exc.response.reason}",
            float(retry_after) if retry_after and retry_after.isdigit() else None,
        ) from exc
    except (aiohttp.ClientError, TimeoutError, requests.RequestException) as exc:
        raise NotNow(type(exc).__name__) from exc
