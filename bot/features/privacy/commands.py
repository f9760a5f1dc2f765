"""`privacy`: what netpuls holds about you and why, with export and erasure; personal chat only."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from bot.features.privacy.files import export_link
from bot.routing.commands import Command, CommandContext, Reply, in_private
from bot.routing.links import Links
from cards.privacy import LeavingView, PrivacyView, leaving_card, privacy_card
from domain.errors import N_
from services import privacy
from services.privacy_ports import PrivacyUnitOfWorkFactory


def privacy_uows(ctx: CommandContext) -> PrivacyUnitOfWorkFactory:
    """The app's units of work reach every table (the composition root builds SQL ones, which
    do); the routing context types them by the narrower port every feature shares."""
    return cast(PrivacyUnitOfWorkFactory, ctx.uow)


async def privacy_view(
    uows: PrivacyUnitOfWorkFactory,
    links: Links,
    now: datetime,
    teams_user_id: str,
    retention: tuple[int, int],
    *,
    confirming: bool = False,
    notice: str = "",
) -> PrivacyView:
    """The reader's overview with a fresh export link; `retention` is (diet days, months)."""
    found = await privacy.held(uows, teams_user_id=teams_user_id)
    return PrivacyView(
        tuple(sorted(found.items())),
        export_link(links, teams_user_id, now),
        diet_days=retention[0],
        retention_months=retention[1],
        confirming=confirming,
        notice=notice,
    )


async def leaving_command(ctx: CommandContext, municipality: str) -> Reply:
    """`privacy <municipality>`: the secretariat's confirmation card before a municipality's
    people in the conversation's network are erased (refused for anyone else)."""
    found = await privacy.leaving(
        privacy_uows(ctx),
        ctx.clock,
        conversation_id=ctx.conversation_id,
        actor=ctx.actor,
        directory=ctx.directory,
        municipality=municipality,
    )
    view = LeavingView(
        found.network.slug,
        found.network.name,
        found.municipality.key,
        found.municipality.name,
        found.people,
    )
    return await in_private(ctx, Reply(card=leaving_card(view, ctx.t)), "")


async def privacy_command(ctx: CommandContext, args: str) -> Reply:
    """`privacy`: the card, only where only the reader sees it; `privacy <municipality>`: the
    secretariat erases a leaving municipality's people."""
    if args.strip():
        return await leaving_command(ctx, args)
    view = await privacy_view(
        privacy_uows(ctx),
        ctx.edge.links,
        ctx.clock.now(),
        ctx.actor.teams_user_id,
        (ctx.edge.diet_days, ctx.edge.retention_months),
    )
    return await in_private(ctx, Reply(card=privacy_card(view, ctx.t)), "")


COMMANDS = (
    Command(
        "privacy",
        N_("what netpuls holds about you, to export or erase"),
        N_("privacy"),
        privacy_command,
        ("privatliv", "integritet"),
    ),
)
