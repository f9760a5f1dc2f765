"""The activity handler: stores references, greets on install and dispatches commands."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount
from botbuilder.schema.teams import TeamInfo, TeamsChannelAccount

from bot.routing.card_actions import (
    CARD_TYPE,
    CardAction,
    CardActions,
    action_from_invoke,
    action_from_submit,
    error_body,
    notice_of,
)
from bot.routing.commands import (
    CommandContext,
    Edge,
    Reply,
)
from bot.routing.messages import MessageRouter
from bot.teams.demo import DemoPersonas, persona_email
from bot.teams.notifier import to_activity
from bot.teams.references import actor, conversation_ref, incoming, team_group_id
from cards.ids import VERB_RSVP
from domain.errors import DomainError
from domain.model import ConversationRef
from domain.text import literal
from netpuls.i18n import Translator, translator
from services import conversations, networks
from services.networks import Directory
from services.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)
GREETING_KEY = "netpuls:greeting"


class RosterDirectory:
    """Reads a member's e-mail from the Teams roster for the current turn."""

    def __init__(self, turn_context: TurnContext) -> None:
        self._turn = turn_context

    async def email_of(self, teams_user_id: str) -> str | None:
        """The member's e-mail or UPN, or None when the roster does not say."""
        worn = persona_email(self._turn, teams_user_id)  # the demo's persona switch
        if worn is not None:
            return worn
        try:
            member = await TeamsInfo.get_member(self._turn, teams_user_id)
        except Exception as exc:  # the roster is a convenience: never fail a turn on it
            log.info("roster lookup failed for %s: %s", teams_user_id, exc)
            return None
        return member.email or member.user_principal_name or None


class NetpulsBot(TeamsActivityHandler):  # type: ignore[misc]
    """Thin: parses the activity, calls one service, renders one reply."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        messages: MessageRouter,
        default_language: str,
        edge: Edge,
        actions: CardActions,
        demo: DemoPersonas | None = None,
    ) -> None:
        self._uow = uow
        self._demo = demo
        self._clock = clock
        self._messages = messages
        self._default_language = default_language
        self._edge = edge
        self._actions = actions

    async def _directory(self, turn_context: TurnContext) -> Directory:
        """Who wrote, from storage or (once, outside any transaction) the Teams roster."""
        roster = RosterDirectory(turn_context)
        return await networks.roster_first(self._uow(), actor(turn_context.activity), roster)

    async def translator_for(self, turn_context: TurnContext) -> Translator:
        """The reader's translator for this turn."""
        activity = turn_context.activity
        language = await networks.preferred_language(
            self._uow(), activity.conversation.id, actor(activity), self._default_language
        )
        return translator(language)

    async def on_turn(self, turn_context: TurnContext) -> None:
        if self._demo is not None and await self._demo.turn(turn_context, self.translator_for):
            return  # the demo's `demo <role>` (only in the Playground demo, see bot/teams/demo.py)
        # Invokes and conversation updates refresh the reference too (a new service URL, ids
        # a message lacks); messages do it in begin_turn, installation updates in _installed.
        activity = turn_context.activity
        refreshing = activity.type in (ActivityTypes.invoke, ActivityTypes.conversation_update)
        if refreshing and not _leaving(activity):
            await self._remember(turn_context)
        await super().on_turn(turn_context)

    async def _remember(self, turn_context: TurnContext) -> ConversationRef:
        """Store the activity's reference, completed with the team's aadGroupId if missing."""
        stored = await conversations.record_conversation(
            self._uow(), conversation_ref(turn_context.activity)
        )
        return await self._completed(turn_context, stored)

    async def _completed(self, turn_context: TurnContext, ref: ConversationRef) -> ConversationRef:
        """Ask the Connector once for a team's aadGroupId that no event brought yet; outside
        any transaction, and a failure only leaves it for a later activity to ask again."""
        if not conversations.lacks_team_group(ref) or ref.team_id is None:
            return ref
        group = await team_group_id(turn_context, ref.team_id)
        if group is None:
            return ref
        await conversations.complete_team(self._uow(), ref.team_id, group)
        return dataclasses.replace(ref, team_aad_group_id=group)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        # Claim, first-message reference and language in one transaction: Teams may deliver
        # an activity twice, and a chat can start without an install event reaching us.
        start = await networks.begin_turn(
            self._uow(),
            conversation_ref(activity),
            activity.id,
            actor(activity),
            self._default_language,
        )
        if not start.fresh:
            log.info("duplicate activity %s ignored", activity.id)
            return
        t = translator(start.language)
        where = start.where and await self._completed(turn_context, start.where)
        message = incoming(activity, where)
        if not message.text and activity.value is not None:  # an Action.Submit fallback
            await self._submitted(turn_context, t)
            return
        ctx = CommandContext(
            t=t,
            uow=self._uow,
            clock=self._clock,
            conversation_id=activity.conversation.id,
            actor=actor(activity),
            directory=await self._directory(turn_context),
            registry=self._messages.registry,
            edge=self._edge,
        )
        reply = await self._messages.route(ctx, message)
        if reply is not None:
            await self._send(turn_context, reply)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        try:
            verb, data = action_from_invoke(turn_context.activity.value)
        except DomainError as exc:
            t = await self.translator_for(turn_context)
            body = error_body(t(exc.msgid, **exc.params))
        else:
            body = await self._actions.run(await self._card_action(turn_context, None, verb, data))
        return InvokeResponse(status=200, body=body)

    async def _submitted(self, turn_context: TurnContext, t: Translator) -> None:
        """An Action.Submit fallback (older clients): act, then show the outcome."""
        try:
            verb, data = action_from_submit(turn_context.activity.value)
        except DomainError as exc:
            await self._send(turn_context, Reply(text=t.refusal(exc.msgid, **exc.params)))
            return
        body = await self._actions.run(await self._card_action(turn_context, t, verb, data))
        if body.get("type") != CARD_TYPE:
            await self._send(turn_context, Reply(text=literal(str(body["value"]["message"]))))
        elif verb == VERB_RSVP:
            # In a shared conversation one reader's copy must not replace everyone's card:
            # the posted card is refreshed for all, the reader gets the outcome as a reply.
            await self._send(turn_context, Reply(text=notice_of(body["value"])))
        else:
            await self._send(turn_context, Reply(card=body["value"]))

    async def _card_action(
        self,
        turn_context: TurnContext,
        t: Translator | None,
        verb: str,
        data: Mapping[str, Any],
    ) -> CardAction:
        activity = turn_context.activity
        reader = actor(activity)

        async def read_language() -> str:
            return await networks.preferred_language(
                self._uow(), activity.conversation.id, reader, self._default_language
            )

        return CardAction(
            actor=reader,
            conversation_id=activity.conversation.id,
            directory=await self._directory(turn_context),
            verb=verb,
            data=data,
            translator=t,
            read_language=read_language,
        )

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._removed(turn_context)

    async def on_teams_members_added(
        self, members: list[TeamsChannelAccount], team_info: TeamInfo, turn_context: TurnContext
    ) -> None:
        if _is_bot(members, turn_context):
            await self._installed(turn_context)

    async def on_teams_members_removed(
        self, members: list[TeamsChannelAccount], team_info: TeamInfo, turn_context: TurnContext
    ) -> None:
        if _is_bot(members, turn_context):
            await self._removed(turn_context)

    async def _installed(self, turn_context: TurnContext) -> None:
        """Store the reference and greet once per installation (Teams announces it twice)."""
        ref = await self._remember(turn_context)
        if not await networks.claim_activity(self._uow(), ref.conversation_id, GREETING_KEY):
            return
        t = await self.translator_for(turn_context)
        lines = [
            t("Hello! I am netpuls, the network's assistant between meetings."),
            t("Write help to see what I can do."),
        ]
        if ref.network_slug is None and ref.kind.value == "channel":
            lines.append(
                t("A facilitator can link this channel to the network with: link <network>")
            )
        await self._send(turn_context, Reply(text="\n\n".join(lines)))

    async def on_teams_team_deleted(self, team_info: TeamInfo, turn_context: TurnContext) -> None:
        await self._removed(turn_context)

    async def on_teams_team_hard_deleted(
        self, team_info: TeamInfo, turn_context: TurnContext
    ) -> None:
        await self._removed(turn_context)

    async def _removed(self, turn_context: TurnContext) -> None:
        conversation_id = turn_context.activity.conversation.id
        await conversations.forget_conversation(self._uow(), conversation_id)
        team_id = conversation_ref(turn_context.activity).team_id
        if team_id:  # Teams names the team; the bot's channel may be another of its channels
            await conversations.forget_team(self._uow(), team_id)
        await networks.release_activity(self._uow(), conversation_id, GREETING_KEY)

    async def _send(self, turn_context: TurnContext, reply: Reply) -> None:
        await turn_context.send_activity(to_activity(reply))


def _leaving(activity: Activity) -> bool:
    """Whether a conversation update removes the bot (team deleted, bot removed)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    event = data.get("eventType")
    bot_id = activity.recipient.id if activity.recipient else None
    removed = any(m.id == bot_id for m in activity.members_removed or [])
    return removed or event in ("teamDeleted", "teamHardDeleted")


def _is_bot(members: list[ChannelAccount], turn_context: TurnContext) -> bool:
    bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
    return any(m.id == bot_id for m in members)


def error_reference() -> str:
    """A short reference that ties a user-facing apology to a log line."""
    return uuid.uuid4().hex[:8]


def apology(activity: Activity, reference: str) -> str:
    """'Something went wrong (ref X)' in the reader's language, without touching storage."""
    from domain.model import normalise_language

    t = translator(normalise_language(activity.locale) or "en")
    return t(
        "Something went wrong on my side (ref {ref}). Please try again in a moment.", ref=reference
    )
