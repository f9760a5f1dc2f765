"""`engagement [csv|chart]`: who takes part, per municipality, for the organisers."""

from __future__ import annotations

import asyncio
from datetime import date

from bot.features.engagement.files import csv_link
from bot.routing.commands import Command, CommandContext, Reply, in_private
from cards.engagement import (
    ChartView,
    EngagementRow,
    EngagementView,
    chart_card,
    engagement_card,
    kind_label,
)
from domain.engagement import EngagementTable
from domain.errors import N_
from domain.model import Network, local_day
from domain.text import literal
from netpuls.i18n import Translator
from services.engagement import engagement
from services.engagement_chart import activity_chart

CSV_WORDS = ("csv",)
CHART_WORDS = ("chart", "graf", "diagram")


def engagement_view(
    network: Network, table: EngagementTable, csv_url: str = "", png: bytes = b""
) -> EngagementView:
    """The table as the card shows it, days in the network's time zone."""
    rows = tuple(
        EngagementRow(
            name=r.name,
            counts=tuple(r.counts[k] for k in table.kinds),
            last_active=local_day(r.last_activity, network.zone) if r.last_activity else None,
            quiet=r.quiet,
        )
        for r in table.rows
    )
    kinds = tuple(k.value for k in table.kinds)
    return EngagementView(
        network.name, table.start, table.end, table.quiet_days, kinds, rows, csv_url, png
    )


def chart_png(table: EngagementTable, t: Translator) -> bytes:
    """The activity chart in the reader's language."""
    labels = {k: kind_label(k.value, t) for k in table.kinds}
    months = [t.date(date(year, month, 1), "MMM yy") for year, month in table.months]
    return activity_chart(table, labels, months, t("Activity per month"))


async def engagement_command(ctx: CommandContext, args: str) -> Reply:
    """`engagement [csv|chart]`: the table, a CSV link, or the chart per month (organisers),
    always in the organiser's personal chat: it names every municipality's activity."""
    return await in_private(ctx, await _engagement(ctx, args), "")


async def _engagement(ctx: CommandContext, args: str) -> Reply:
    found = await engagement(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, ctx.edge.quiet_after
    )
    word = args.strip().lower()
    network, table = found.network, found.table
    link = csv_link(ctx.edge.links, network.slug, ctx.clock.now())
    if word in CSV_WORDS:
        return Reply(
            text=ctx.t(
                "Download the engagement of {network} as [CSV]({url}); the link works for an hour.",
                network=literal(network.name),
                url=link,
            )
        )
    if word and word not in CHART_WORDS:
        return Reply(text=ctx.t("Write engagement, engagement csv or engagement chart."))
    # Drawing takes a few hundred milliseconds of CPU: not on the event loop.
    png = await asyncio.to_thread(chart_png, table, ctx.t)
    if word in CHART_WORDS:
        totals = tuple((k.value, sum(r.counts[k] for r in table.rows)) for k in table.kinds)
        view = ChartView(network.name, table.start, table.end, png, totals)
        return Reply(card=chart_card(view, ctx.t))
    return Reply(card=engagement_card(engagement_view(network, table, link, png), ctx.t))


COMMANDS = (
    Command(
        "engagement",
        N_("who takes part, per municipality, with a CSV and a chart (facilitator)"),
        N_("engagement [csv|chart]"),
        engagement_command,
        ("aktivitet", "engagemang"),
    ),
)
