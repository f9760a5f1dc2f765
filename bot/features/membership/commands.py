"""Commands for joining a network: call, apply, applications, selection, fees."""

from __future__ import annotations

from dataclasses import replace

from bot.features.membership.seats import SEAT_COMMANDS
from bot.features.membership.views import (
    applications_view,
    call_announcement,
    form_view,
    selection_view,
)
from bot.routing.commands import Command, CommandContext, Reply
from cards.fees import FeeRow, FeesView, fees_card
from cards.membership import application_card, applications_card
from cards.selection import selection_card
from domain.errors import N_, InvalidInput
from domain.numbers import small_number
from domain.text import literal
from netpuls.i18n import translator
from services import admission, membership, selection
from services.ports import Outbound

OPEN_WORDS = ("open", "åbn", "öppna")
CLOSE_WORDS = ("close", "luk", "stäng")


async def call_command(ctx: CommandContext, args: str) -> Reply:
    """`call open <YYYY-MM-DD>` / `call close`: the secretariat opens or closes applications."""
    word, _, rest = args.strip().partition(" ")
    if word.lower() in OPEN_WORDS:
        state = await membership.open_call(
            ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, rest
        )
        posted = await membership.announce_call(
            ctx.uow(), ctx.edge.notifier, state, call_announcement(state)
        )
        return Reply(
            text=ctx.t(
                "Applications to {network} are open until {deadline}. "
                "Announced in {count} channel(s).",
                network=literal(state.network.name),
                deadline=state.closes_at,
                count=posted,
            )
        )
    if word.lower() in CLOSE_WORDS:
        state = await membership.close_call(
            ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory
        )
        return Reply(
            text=ctx.t("Applications to {network} are closed.", network=literal(state.network.name))
        )
    raise InvalidInput(N_("Write call open YYYY-MM-DD or call close."))


async def apply_command(ctx: CommandContext, args: str) -> Reply:
    """`apply [network]`: the application form, in a personal chat."""
    found = await membership.application_form(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, args
    )
    t = translator(found.state.network.language)
    card = application_card(form_view(found), t)
    personal, chat = await membership.personal_chat(
        ctx.uow(), ctx.conversation_id, ctx.actor.teams_user_id
    )
    if personal:
        return Reply(card=card)
    if chat is not None:
        await ctx.edge.notifier.send(chat, Outbound(card=card))
        return Reply(text=ctx.t("I sent you the application form in our personal chat."))
    return Reply(
        text=ctx.t(
            "Applications are made in a personal chat: write apply {slug} to me there.",
            slug=found.state.network.slug,
        )
    )


async def applications_command(ctx: CommandContext, args: str) -> Reply:
    """`applications [page]`: every application with word counts and themes (secretariat)."""
    page = args.strip()
    found = await membership.list_applications(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory
    )
    view = applications_view(found, ctx.t)
    number = small_number(page, digits=3)
    if number is not None:
        view = replace(view, page=number)
    return Reply(card=applications_card(view, ctx.t))


async def selection_command(ctx: CommandContext, args: str) -> Reply:
    """`selection [seats]`: the proposed selection as a card to adjust and confirm."""
    text = args.strip()
    if text and small_number(text) is None:
        raise InvalidInput(N_("Write the number of seats, e.g. selection 25."))
    async with ctx.uow() as uow:
        network, _ = await membership.secretariat_of(
            uow, ctx.conversation_id, ctx.actor, ctx.directory, ctx.clock
        )
    found = await selection.propose_selection(
        ctx.uow(),
        ctx.clock,
        network.slug,
        seats=int(text) if text else None,
        actor=ctx.actor,
        directory=ctx.directory,
    )
    return Reply(card=selection_card(selection_view(found), ctx.t))


async def fees_command(ctx: CommandContext, args: str) -> Reply:
    """`fees [invoiced|paid|open <municipality> <year>]`: the yearly fees (secretariat)."""
    if args.strip():
        network, line = await admission.mark_fee(
            ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, args
        )
        return Reply(
            text=ctx.t(
                "{municipality}, {year}: {state}.",
                municipality=literal(line.municipality.name),
                year=line.record.year,
                state=fee_state(ctx, line.record.state.value),
            )
        )
    network, lines = await admission.fee_lines(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory
    )
    rows = tuple(
        FeeRow(
            municipality=x.municipality.name,
            year=x.record.year,
            amount=f"{x.amount:,}".replace(",", "\u00a0") + f" {x.currency}",
            state=fee_state(ctx, x.record.state.value),
            invoiced_on=x.record.invoiced_on,
            paid_on=x.record.paid_on,
        )
        for x in lines
    )
    return Reply(card=fees_card(FeesView(network.name, rows), ctx.t))


def fee_state(ctx: CommandContext, state: str) -> str:
    """'open', 'invoiced' or 'paid' in the reader's language."""
    return {
        "open": ctx.t("not invoiced"),
        "invoiced": ctx.t("invoiced"),
        "paid": ctx.t("paid"),
    }[state]


COMMANDS = (
    Command(
        "call",
        N_("open or close the call for applications (secretariat)"),
        N_("call open <YYYY-MM-DD> | call close"),
        call_command,
        ("opslag", "utlysning"),
    ),
    Command(
        "apply",
        N_("apply for a seat in the network"),
        N_("apply [network]"),
        apply_command,
        ("ansøg", "ansök"),
    ),
    Command(
        "applications",
        N_("the applications with word counts and themes (secretariat)"),
        N_("applications [page]"),
        applications_command,
        ("ansøgninger", "ansökningar"),
    ),
    Command(
        "selection",
        N_("propose and confirm who gets the seats (secretariat)"),
        N_("selection [seats]"),
        selection_command,
        ("udvælgelse", "urval"),
    ),
    Command(
        "fees",
        N_("the yearly fees, invoiced and paid (secretariat)"),
        N_("fees [invoiced|paid|open <municipality> <year>]"),
        fees_command,
        ("gebyrer", "avgifter"),
    ),
    *SEAT_COMMANDS,
)
