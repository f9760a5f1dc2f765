"""Commands for the conversation: help, link a channel to a network, the reader's language."""

from __future__ import annotations

from bot.routing.commands import Command, CommandContext, Reply, help_reply
from domain.errors import N_
from domain.text import literal
from netpuls.i18n import translator
from services import networks


async def link_command(ctx: CommandContext, args: str) -> Reply:
    """`link <network>`: link this channel to a network."""
    if not args:
        return Reply(
            text=ctx.t(
                "Write the network's short name after link, e.g. link {example}.",
                example="kompakte-groenne-byer",
            )
        )
    network = await networks.link_conversation(
        ctx.uow(), ctx.conversation_id, ctx.actor, args, ctx.directory
    )
    return Reply(
        text=ctx.t("This conversation is now linked to {network}.", network=literal(network.name))
    )


async def language_command(ctx: CommandContext, args: str) -> Reply:
    """`language <da|sv|en>`: answer this person in that language from now on."""
    if not args:
        return Reply(
            text=ctx.t("I answer you in English. To change it, write language da, sv or en.")
        )
    chosen = await networks.choose_language(ctx.uow(), ctx.actor, args)
    t = translator(chosen)  # answer in the language just chosen
    return Reply(text=t("From now on I answer you in English."))


COMMANDS = (
    Command("help", N_("show this list"), "help", help_reply, ("hjælp", "hjälp", "?")),
    Command(
        "link",
        N_("link this channel to a network (facilitator or secretariat)"),
        "link <network>",
        link_command,
        ("tilknyt", "koppla"),
    ),
    Command(
        "language",
        N_("answer me in Danish, Swedish or English"),
        "language <da|sv|en>",
        language_command,
        ("sprog", "språk"),
    ),
)
