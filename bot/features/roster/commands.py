"""`roster sync`: compare the team's members with the network's people (organisers)."""

from __future__ import annotations

from bot.routing.commands import Command, CommandContext, Reply
from cards.roster import RosterView, Someone, roster_card
from domain.errors import N_
from services import roster

SYNC_WORDS = ("sync", "synk", "synka", "")


async def roster_command(ctx: CommandContext, args: str) -> Reply:
    """`roster sync`: who is in the network but not the team, and the reverse."""
    if args.strip().lower() not in SYNC_WORDS:
        return Reply(text=ctx.t("Write: roster sync"))
    port = ctx.edge.graph.roster if ctx.edge.graph else None
    found = await roster.sync_roster(
        ctx.uow, port, ctx.conversation_id, ctx.actor, ctx.directory, ctx.clock
    )
    view = RosterView(
        network_name=found.network.name,
        matched=found.matched,
        learnt=found.learnt,
        not_in_team=tuple(Someone(p.name, p.email) for p in found.not_in_team),
        not_in_network=tuple(Someone(m.display_name, m.email) for m in found.not_in_network),
    )
    return Reply(card=roster_card(view, ctx.t))


COMMANDS = (
    Command(
        "roster",
        N_("compare the team's members with the network's people"),
        N_("roster sync"),
        roster_command,
        ("medlemsliste", "medlemslista"),
    ),
)
