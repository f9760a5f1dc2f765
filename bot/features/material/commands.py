"""Material commands: `material [meeting] [words]` lists, `share <url> [title]` adds a link."""

from __future__ import annotations

from bot.features.material.views import item_of
from bot.routing.commands import Command, CommandContext, Reply
from cards.material import FiledView, MaterialListView, filed_card, material_card
from cards.meeting import meeting_name
from domain.errors import N_
from services import material, material_search


async def material_command(ctx: CommandContext, args: str) -> Reply:
    """`material [meeting] [words]`: the next (or named) meeting's material, or a search."""
    found = await material_search.find_material(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, args
    )
    names = {m.number: meeting_name(m, ctx.t) for m in found.meetings}
    zone = found.network.zone
    items = tuple(
        item_of(m, names.get(m.meeting_number or 0, ""), ctx.t, zone, found.towns)
        for m in found.items
    )
    view = MaterialListView(
        network_name=found.network.name,
        meeting=names.get(found.meeting.number, "") if found.meeting else "",
        words=found.words,
        items=items,
        more=found.more,
    )
    return Reply(card=material_card(view, ctx.t))


async def share_command(ctx: CommandContext, args: str) -> Reply:
    """`share <url> [#meeting] [title]`: record a link as material for a meeting."""
    filed = await material.share_link(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, args
    )
    meeting = meeting_name(filed.meeting, ctx.t) if filed.meeting else ""
    view = FiledView(
        filed.network.name,
        item_of(filed.material, meeting, ctx.t, filed.network.zone),
        duplicate=filed.duplicate,
    )
    return Reply(card=filed_card(view, ctx.t))


COMMANDS = (
    Command(
        "material",
        N_("the material shared for a meeting, or a search in all of it"),
        N_("material [meeting] [words]"),
        material_command,
        ("materiale", "underlag"),
    ),
    Command(
        "share",
        N_("save a link as material for the next meeting (or #number)"),
        N_("share <link> [#meeting] [title]"),
        share_command,
        ("del", "dela"),
    ),
)
