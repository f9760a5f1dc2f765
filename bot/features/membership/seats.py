"""Commands for members: their municipality's seat (colleagues, usual attendee), the welcome."""

from __future__ import annotations

from bot.features.membership.welcome import welcome_view
from bot.routing.commands import Command, CommandContext, Reply
from cards.seats import SeatLine, SeatView, seat_card
from cards.welcome import welcome_card
from domain.errors import N_, InvalidInput
from domain.seats import SeatRole
from services import seats, welcome
from services.seats import SeatAction, SeatState

# The sub-commands in each language; what precedes one names the municipality (organisers).
ACTIONS = {
    "add": SeatAction.ADD,
    "tilføj": SeatAction.ADD,
    "lägg": SeatAction.ADD,
    "remove": SeatAction.REMOVE,
    "fjern": SeatAction.REMOVE,
    "ta": SeatAction.REMOVE,
    "usual": SeatAction.USUAL,
    "fast": SeatAction.USUAL,
    "ordinarie": SeatAction.USUAL,
    "holder": SeatAction.HOLDER,
    "indehaver": SeatAction.HOLDER,
    "innehavare": SeatAction.HOLDER,
}
FILLERS = ("till", "bort")
MAX_ARGS = 500


def parse_seat(args: str) -> tuple[str, SeatAction | None, str, str]:
    """'[municipality] [add|remove|usual|holder <e-mail> [name]]' -> its parts."""
    words = args[:MAX_ARGS].split()
    at = next((i for i, w in enumerate(words) if w.lower() in ACTIONS), None)
    if at is None:
        return " ".join(words), None, "", ""
    rest = words[at + 1 :]
    if rest and rest[0].lower() in FILLERS:
        rest = rest[1:]  # 'lägg till', 'ta bort'
    if not rest:
        raise InvalidInput(
            N_("Write the e-mail address too, e.g. seat add {example}."), example="name@example.org"
        )
    return " ".join(words[:at]), ACTIONS[words[at].lower()], rest[0], " ".join(rest[1:])


def seat_view(state: SeatState, notice: str = "") -> SeatView:
    """The seat card's view."""
    return SeatView(
        network_name=state.network.name,
        municipality=state.seat.municipality.name,
        people=tuple(
            SeatLine(p.name, p.email, p.role is SeatRole.HOLDER, p.usual) for p in state.seat.people
        ),
        may_change=state.may_change,
        notice=notice,
    )


async def seat_command(ctx: CommandContext, args: str) -> Reply:
    """`seat [municipality] [add|remove|usual|holder <e-mail> [name]]`."""
    municipality, action, email, name = parse_seat(args)
    if action is None:
        state = await seats.show_seat(
            ctx.uow(), ctx.conversation_id, ctx.actor, ctx.directory, municipality
        )
        return Reply(card=seat_card(seat_view(state), ctx.t))
    change = await seats.change_seat(
        ctx.uow(),
        ctx.clock,
        ctx.conversation_id,
        ctx.actor,
        ctx.directory,
        municipality=municipality,
        action=action,
        email=email,
        name=name,
    )
    facts = {"name": change.person.name, "municipality": change.state.seat.municipality.name}
    notice = {
        SeatAction.ADD: ctx.t("{name} now shares {municipality}'s seat.", **facts),
        SeatAction.REMOVE: ctx.t("{name} is no longer on {municipality}'s seat.", **facts),
        SeatAction.USUAL: ctx.t("{name} usually attends for {municipality}.", **facts),
        SeatAction.HOLDER: ctx.t("{name} now holds {municipality}'s seat.", **facts),
    }[action]
    return Reply(card=seat_card(seat_view(change.state, notice), ctx.t))


async def welcome_command(ctx: CommandContext, _args: str) -> Reply:
    """`welcome`: the welcome card again, in the reader's language."""
    found = await welcome.welcome_for(
        ctx.uow(), ctx.conversation_id, ctx.actor, ctx.directory, ctx.t.language
    )
    return Reply(card=welcome_card(welcome_view(found, ctx.edge.links, ctx.t, ctx.registry), ctx.t))


SEAT_COMMANDS = (
    Command(
        "seat",
        N_("your municipality's seat: colleagues and who usually attends"),
        N_("seat [municipality] [add|remove|usual|holder <e-mail> [name]]"),
        seat_command,
        ("plads", "plats"),
    ),
    Command(
        "welcome",
        N_("the welcome: meetings with a calendar file, themes, how to use me"),
        N_("welcome"),
        welcome_command,
        ("velkommen", "välkommen", "velkomst"),
    ),
)
