"""The commands netpuls answers: each parses its arguments, calls one service, renders a reply."""

from __future__ import annotations

from bot.commands import CommandContext, CommandRegistry, Reply, all_commands, help_reply
from cards.meeting import MeetingView, next_meeting_card
from domain.model import Meeting, MeetingKind, Network
from netpuls.i18n import translator
from services import networks


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


def meeting_view(network: Network, meeting: Meeting, towns: dict[str, str]) -> MeetingView:
    """The card view of a meeting, names resolved."""
    programme = tuple(
        (
            f"{p.starts:%H:%M}" if p.starts else "",
            p.title + (f" ({p.speaker})" if p.speaker else ""),
        )
        for p in meeting.programme
    )
    return MeetingView(
        network_name=network.name,
        number=meeting.number,
        is_study_trip=meeting.kind is MeetingKind.STUDY_TRIP,
        day=meeting.day,
        end_day=meeting.end_day,
        starts=meeting.starts,
        ends=meeting.ends,
        timezone_label=network.timezone,
        region=meeting.region,
        place=meeting.place,
        host_name=towns.get(meeting.host or "", ""),
        field_visit=meeting.field_visit,
        programme=programme,
    )


def default_registry() -> CommandRegistry:
    """Every command, in the order `help` lists them."""
    return all_commands(
        [
            ("help", "help", help_reply, ("hjælp", "hjälp", "?")),
            ("next", "next", next_command, ("næste", "nästa")),
            ("link", "link <network>", link_command, ("tilknyt", "koppla")),
            ("language", "language <da|sv|en>", language_command, ("sprog", "språk")),
        ]
    )
