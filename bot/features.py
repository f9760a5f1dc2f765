"""The commands netpuls answers: each parses its arguments, calls one service, renders a reply."""

from __future__ import annotations

from bot.commands import (
    Command,
    CommandContext,
    CommandRegistry,
    Reply,
    help_reply,
    registry_of,
)
from bot.views import attendees_view, meeting_view
from cards.attendees import attendees_card
from cards.meeting import next_meeting_card
from domain.errors import N_
from netpuls.i18n import translator
from services import networks, rsvp


async def next_command(ctx: CommandContext, _args: str) -> Reply:
    """`next`: the next meeting of the network this conversation speaks for."""
    found = await networks.find_next_meeting(ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor)
    if found.meeting is None:
        return Reply(
            text=ctx.t("{network} has no more meetings planned.", network=found.network.name)
        )
    async with ctx.uow() as uow:
        towns = {m.key: m.name for m in await uow.networks.municipalities(found.network.slug)}
    view = meeting_view(found.network, found.meeting, towns)
    return Reply(card=next_meeting_card(view, ctx.t))


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
    return Reply(text=ctx.t("This conversation is now linked to {network}.", network=network.name))


async def language_command(ctx: CommandContext, args: str) -> Reply:
    """`language <da|sv|en>`: answer this person in that language from now on."""
    if not args:
        return Reply(
            text=ctx.t("I answer you in English. To change it, write language da, sv or en.")
        )
    chosen = await networks.choose_language(ctx.uow(), ctx.actor, args)
    t = translator(chosen)  # answer in the language just chosen
    return Reply(text=t("From now on I answer you in English."))


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
        ctx.edge.actions.shared_copy,
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
    return Reply(card=attendees_card(view, ctx.t))


COMMANDS = (
    Command("help", N_("show this list"), "help", help_reply, ("hjælp", "hjälp", "?")),
    Command(
        "next", N_("the next meeting of the network"), "next", next_command, ("næste", "nästa")
    ),
    Command(
        "link",
        N_("link this channel to a network (facilitator or secretariat)"),
        "link <network>",
        link_command,
        ("tilknyt", "koppla"),
    ),
    Command(
        "agenda",
        N_("post or update a meeting's agenda card in the channel (facilitator)"),
        "agenda [meeting]",
        agenda_command,
        ("dagsorden", "dagordning"),
    ),
    Command(
        "attendees",
        N_("who is coming to a meeting, with dietary needs (facilitator, host)"),
        "attendees [meeting]",
        attendees_command,
        ("deltagere", "deltagare"),
    ),
    Command(
        "language",
        N_("answer me in Danish, Swedish or English"),
        "language <da|sv|en>",
        language_command,
        ("sprog", "språk"),
    ),
)


# Which commands Teams shows in its command menu per scope (at most 10 each); every command
# still works when typed. Channels get the shared work and the organisers' tools, chats the
# members' own.
MENU: dict[str, tuple[str, ...]] = {
    # The channel is where members ask the network; `link` and `cadence` are typed once.
    "team": (
        "help",
        "next",
        "ask",
        "questions",
        "material",
        "agenda",
        "attendees",
        "cases",
        "summary",
        "report",
    ),
    "personal": (
        "help",
        "next",
        "case",
        "evaluate",
        "material",
        "share",
        "apply",
        "language",
        "host",
        "pairs",
    ),
    "groupChat": ("help", "next", "case", "material", "share", "ask", "questions", "language"),
}


def menu_scopes(name: str) -> frozenset[str]:
    """The scopes whose command menu lists this command."""
    return frozenset(scope for scope, names in MENU.items() if name in names)


def default_registry() -> CommandRegistry:
    """Every command of every feature, in the order `help` lists them."""
    # Each feature module contributes its COMMANDS here, one line per feature.
    from bot import (
        features_cadence,
        features_engagement,
        features_material,
        features_membership,
        features_pairs,
        features_questions,
        features_roster,
        features_sparring,
    )

    return registry_of(
        COMMANDS,
        features_cadence.COMMANDS,
        features_membership.COMMANDS,
        features_sparring.COMMANDS,
        features_material.COMMANDS,
        features_roster.COMMANDS,
        features_questions.COMMANDS,
        features_pairs.COMMANDS,
        features_engagement.COMMANDS,
    )
