"""Commands for sparring pairs: see your partner, opt out, pause, resume; make a round now."""

from __future__ import annotations

from bot.features.pairs.messages import pair_prompt
from bot.routing.commands import Command, CommandContext, Reply
from domain.errors import N_
from domain.model import local_day
from domain.numbers import small_number
from domain.text import literal
from services import pairs

OPT_OUT = ("optout", "fravælg", "avstå")
PAUSE = ("pause", "pausér", "pausa")
RESUME = ("resume", "genoptag", "återuppta")
NOW = ("now", "nu")


async def pairs_command(ctx: CommandContext, args: str) -> Reply:
    """`pairs [optout|pause <weeks>|resume|now]`: the current round, or change taking part."""
    word, _, rest = args.strip().lower().partition(" ")
    if word in NOW:
        made = await pairs.pairs_now(
            ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, pair_prompt
        )
        return Reply(text=ctx.t("Made a round of {count} sparring groups.", count=len(made.groups)))
    if word in OPT_OUT + PAUSE + RESUME:
        return await _choose(ctx, word, rest.strip())
    if word:
        return Reply(text=ctx.t("Write pairs, pairs optout, pairs pause <weeks> or pairs resume."))
    return _show(
        ctx,
        await pairs.my_pairs(ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory),
    )


async def _choose(ctx: CommandContext, word: str, rest: str) -> Reply:
    choice = "optout" if word in OPT_OUT else "pause" if word in PAUSE else "resume"
    weeks = small_number(rest, digits=3) or 0
    network, town, preference = await pairs.set_choice(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, choice, weeks
    )
    if preference.opted_out:
        return Reply(
            text=ctx.t(
                "{town} is no longer paired in {network}. Write pairs resume to take part again.",
                town=town,
                network=literal(network.name),
            )
        )
    if preference.paused_until:
        return Reply(
            text=ctx.t(
                "{town} is paused from pairs until {date}.", town=town, date=preference.paused_until
            )
        )
    return Reply(
        text=ctx.t(
            "{town} takes part in the pairs of {network} again.",
            town=town,
            network=literal(network.name),
        )
    )


def _show(ctx: CommandContext, mine: pairs.MyPairs) -> Reply:
    if mine.round is None:
        return Reply(
            text=ctx.t("{network} has no sparring pairs yet.", network=literal(mine.network.name))
        )
    lines = [ctx.t("Sparring pairs of {date}:", date=mine.round.day)]
    if mine.mine is not None:
        others = [mine.names.get(k, k) for k in mine.mine.members if k != mine.municipality]
        lines.append(ctx.t("You meet: {names}.", names=literal(", ".join(others))))
        if mine.mine.themes:
            lines.append(
                ctx.t(
                    "You share an interest in: {themes}.",
                    themes=literal(", ".join(mine.mine.themes)),
                )
            )
    elif mine.municipality and not mine.organiser:
        lines.append(ctx.t("Your municipality is not in this round."))
    if mine.organiser:
        lines += [
            "- " + literal(" · ".join(mine.names.get(k, k) for k in g.members))
            for g in mine.round.groups
        ]
    if mine.preference.opted_out:
        lines.append(ctx.t("Your municipality has opted out. Write pairs resume to take part."))
    elif mine.preference.paused_until and mine.preference.paused_until > local_day(
        ctx.clock.now(), mine.network.zone
    ):
        lines.append(
            ctx.t("Your municipality is paused until {date}.", date=mine.preference.paused_until)
        )
    return Reply(text="\n\n".join(lines))


COMMANDS = (
    Command(
        "pairs",
        N_("your sparring partner between meetings; opt out, pause or resume (facilitator: now)"),
        N_("pairs [optout|pause <weeks>|resume|now]"),
        pairs_command,
        ("par", "sparringpar"),
    ),
)
