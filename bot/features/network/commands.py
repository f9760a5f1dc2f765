"""Commands for the conversation: help, link a channel to a network, the reader's language,
and the network's audit log for its organisers."""

from __future__ import annotations

from bot.routing.commands import Command, CommandContext, Reply, help_reply, in_private
from domain.errors import N_
from domain.model import local_day
from domain.numbers import small_number
from domain.organisers import OrganiserAction
from domain.text import literal
from netpuls.i18n import translator
from services import audit, networks


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
        ctx.uow(), ctx.conversation_id, ctx.actor, args, ctx.directory, clock=ctx.clock
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


async def audit_command(ctx: CommandContext, args: str) -> Reply:
    """`audit [n]`: the newest n entries of the network's audit log (organisers), always in
    the reader's personal chat."""
    if args.strip() and small_number(args, digits=3) is None:
        return Reply(text=ctx.t("Write e.g.: audit 20"))
    return await in_private(ctx, await _audit(ctx, small_number(args, digits=3)), "")


async def _audit(ctx: CommandContext, limit: int | None) -> Reply:
    async with ctx.uow() as uow:
        person = await networks.identify(uow, ctx.actor, ctx.directory)
        network = await networks.network_for(uow, ctx.conversation_id, person)
        roles = await uow.people.roles(person.key, network.slug) if person else frozenset()
        who = person.key if person else audit.UNKNOWN
        await audit.require(uow, ctx.clock, network.slug, who, roles, OrganiserAction.SEE_AUDIT)
        entries = await audit.latest(uow, network.slug, limit or audit.DEFAULT_LISTING)
        await uow.commit()  # identify() may have remembered the person's Teams ids
    if not entries:
        return Reply(
            text=ctx.t("The audit log of {network} is empty.", network=literal(network.name))
        )
    lines = [
        ctx.t(
            "The newest {count} entries of the audit log of {network}:",
            count=len(entries),
            network=literal(network.name),
        )
    ]
    for e in entries:
        local = e.at.astimezone(network.zone)
        when = f"{ctx.t.date(local_day(local, network.zone), 'medium')} {ctx.t.time(local)}"
        detail = f": {literal(e.subject)}" if e.subject else ""
        lines.append(f"- {when} {literal(e.action)} {literal(e.actor)}{detail}")
    return Reply(text="\n".join(lines))


COMMANDS = (
    Command("help", N_("show this list"), N_("help"), help_reply, ("hjælp", "hjälp", "?")),
    Command(
        "link",
        N_("link this channel to a network (facilitator or secretariat)"),
        N_("link <network>"),
        link_command,
        ("tilknyt", "koppla"),
    ),
    Command(
        "language",
        N_("answer me in Danish, Swedish or English"),
        N_("language <da|sv|en>"),
        language_command,
        ("sprog", "språk"),
    ),
    Command(
        "audit",
        N_("the newest entries of the network's audit log (facilitator or secretariat)"),
        N_("audit [n]"),
        audit_command,
        ("revision", "granskning"),
    ),
)
