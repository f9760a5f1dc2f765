"""Meeting commands: the next meeting, the agenda card, who is coming."""

from __future__ import annotations

from bot.features.meetings.views import attendees_view
from bot.routing.commands import (
    Command,
    CommandContext,
    Reply,
    in_private,
)
from cards.attendees import attendees_card
from cards.meeting import meeting_view, next_meeting_card
from domain.errors import N_
from domain.model import MeetingKind
from domain.text import literal
from services import networks, rsvp


async def next_command(ctx: CommandContext, _args: str) -> Reply:
    """`next`: the next meeting of the network this conversation speaks for."""
    found = await networks.find_next_meeting(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory
    )
    if found.meeting is None:
        return Reply(
            text=ctx.t(
                "{network} has no more meetings planned.", network=literal(found.network.name)
            )
        )
    async with ctx.uow() as uow:
        towns = {m.key: m.name for m in await uow.networks.municipalities(found.network.slug)}
        phases = await uow.networks.phases(found.network.slug)
    view = meeting_view(found.network, found.meeting, towns, phases)
    return Reply(card=next_meeting_card(view, ctx.t))


async def agenda_command(ctx: CommandContext, args: str) -> Reply:
    """`agenda [n]`: post the meeting's agenda card to the linked channel, or update it."""
    key = await rsvp.resolve_meeting(ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, args)
    created, updated = await rsvp.post_agenda(
        ctx.uow(),
        ctx.clock,
        ctx.edge.notifier,
        key,
        ctx.actor,
        ctx.directory,
        ctx.edge.agenda,
    )
    if ctx.edge.graph is not None:
        ctx.edge.graph.poke()  # the Outlook event follows the agenda (no-op without a mailbox)
    if created:
        return Reply(text=ctx.t("Posted the agenda to {count} channel(s).", count=created))
    return Reply(
        text=ctx.t(
            "Updated the agenda that was already posted in {count} channel(s).", count=updated
        )
    )


async def attendees_command(ctx: CommandContext, args: str) -> Reply:
    """`attendees [n]`: who is coming from which municipality, dietary needs, who is silent."""
    key = await rsvp.resolve_meeting(ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, args)
    state = await rsvp.attendees(ctx.uow(), ctx.clock, key, ctx.actor, ctx.directory)
    view = attendees_view(state, ctx.edge.links, ctx.clock.now())
    # Names with dietary needs (health, religion) are for the organisers and the host only:
    # never in a channel or a group chat, where every member reads them.
    counts = ctx.t(
        N_(
            "Study trip: {attending} attending, {maybe} maybe, {waitlist} on the waitlist; "
            "{silent} municipalities have not answered."
        )
        if state.meeting.kind is MeetingKind.STUDY_TRIP
        else N_(
            "Meeting {number}: {attending} attending, {maybe} maybe, {waitlist} on the "
            "waitlist; {silent} municipalities have not answered."
        ),
        number=state.meeting.number,
        attending=len(view.attending),
        maybe=len(view.maybe),
        waitlist=len(view.waitlist),
        silent=len(view.no_answer),
    )
    return await in_private(ctx, Reply(card=attendees_card(view, ctx.t)), counts)


COMMANDS = (
    Command(
        "next", N_("the next meeting of the network"), N_("next"), next_command, ("næste", "nästa")
    ),
    Command(
        "agenda",
        N_("post or update a meeting's agenda card in the channel (facilitator)"),
        N_("agenda [meeting]"),
        agenda_command,
        ("dagsorden", "dagordning"),
    ),
    Command(
        "attendees",
        N_("who is coming to a meeting, with dietary needs (facilitator, host)"),
        N_("attendees [meeting]"),
        attendees_command,
        ("deltagere", "deltagare"),
    ),
)
