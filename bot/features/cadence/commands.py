"""Commands for the network's year: see the cadence, pause and resume it, and the deliveries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.routing.commands import Command, CommandContext, Reply
from cards.cadence import CadenceView, StepRow, cadence_card
from domain.errors import N_
from domain.model import Meeting, MeetingKind, local_day
from domain.numbers import small_number
from domain.organisers import OrganiserAction
from domain.text import literal
from domain.trips import is_trip_word, the_trip
from services import audit, cadence
from services.cadence_preview import timeline
from services.networks import identify, network_for

UPCOMING_DAYS = 120
RECENT = timedelta(days=7)  # the last week's steps too: what was sent, skipped or missed


async def cadence_command(ctx: CommandContext, args: str) -> Reply:
    """`cadence [pause|resume]`: the coming steps, or pause/resume them (organisers)."""
    async with ctx.uow() as uow:
        person = await identify(uow, ctx.actor, ctx.directory)
        network = await network_for(uow, ctx.conversation_id, person, ctx.actor)
        meetings = await uow.networks.meetings(network.slug)
    trips = frozenset(m.number for m in meetings if m.kind is MeetingKind.STUDY_TRIP)
    word = args.strip().lower()
    if word.startswith(("move ", "flyt ", "flytta ")):
        return await _move(ctx, network.slug, network.zone, word.split()[1:], meetings)
    if word in ("pause", "resume", "pausér", "genoptag", "pausa", "återuppta"):
        paused = word in ("pause", "pausér", "pausa")
        count = await cadence.set_paused(
            ctx.uow(), network.slug, ctx.actor, ctx.directory, paused, ctx.clock
        )
        msgid = (
            N_("Paused {count} coming steps of {network}.")
            if paused
            else N_("Resumed {count} steps of {network}.")
        )
        return Reply(text=ctx.t(msgid, count=count, network=literal(network.name)))
    now = ctx.clock.now()
    _, steps = await timeline(
        ctx.uow(), network.slug, now - RECENT, now + timedelta(days=UPCOMING_DAYS), now
    )
    rows = []
    for step in steps:
        when = step.due.astimezone(network.zone)
        rows.append(
            StepRow(
                local_day(when, network.zone),
                when.time(),
                step.kind,
                step.meeting,
                step.theme,
                step.status,
                step.is_meeting,
                trip=step.meeting in trips,
            )
        )
    return Reply(card=cadence_card(CadenceView(network.name, tuple(rows)), ctx.t))


async def _move(
    ctx: CommandContext, slug: str, zone: ZoneInfo, parts: list[str], meetings: list[Meeting]
) -> Reply:
    """`cadence move <step> <meeting|trip> <YYYY-MM-DD> [HH:MM]`: move one step."""
    trip = (
        the_trip(meetings, zone, ctx.clock.now()) if parts[1:] and is_trip_word(parts[1]) else None
    )
    try:
        kind, day = parts[0], date.fromisoformat(parts[2])
        number = trip.number if trip else int(parts[1])
        clock = time.fromisoformat(parts[3]) if len(parts) > 3 else time(9, 0)
    except (IndexError, ValueError):
        return Reply(text=ctx.t("Write e.g.: cadence move agenda 3 2024-05-10 09:00"))
    when = datetime.combine(day, clock, zone)
    moved = await cadence.move_step(
        ctx.uow(), slug, ctx.actor, ctx.directory, kind, number, when, ctx.clock
    )
    if not moved:
        return Reply(text=ctx.t("That step has already run or is not planned."))
    if trip is not None:
        return Reply(text=ctx.t("Moved {kind} of the study trip to {when}.", kind=kind, when=when))
    return Reply(
        text=ctx.t(
            "Moved {kind} of meeting {number} to {when}.", kind=kind, number=number, when=when
        )
    )


async def deliveries_command(ctx: CommandContext, args: str) -> Reply:
    """`deliveries [retry <id>]`: messages that failed or are unconfirmed, and retrying one."""
    async with ctx.uow() as uow:
        person = await identify(uow, ctx.actor, ctx.directory)
        network = await network_for(uow, ctx.conversation_id, person, ctx.actor)
        roles = await uow.people.roles(person.key, network.slug) if person else frozenset()
        who = person.key if person else audit.UNKNOWN
        await audit.require(
            uow, ctx.clock, network.slug, who, roles, OrganiserAction.SEE_DELIVERIES
        )
        word, _, rest = args.strip().partition(" ")
        delivery = small_number(rest)
        if word.lower() == "retry" and delivery is not None:
            ok = await uow.outbox.requeue(delivery, ctx.clock.now())
            detail = f"delivery {delivery}" + ("" if ok else " not retried")
            await audit.record(uow, ctx.clock, network.slug, who, "deliveries.retry", detail)
            await uow.commit()
            msgid = (
                N_("Delivery {id} will be sent again.")
                if ok
                else N_("Delivery {id} cannot be retried.")
            )
            return Reply(text=ctx.t(msgid, id=rest.strip()))
        stuck = await uow.outbox.listing(network.slug, ("failed", "blocked", "unconfirmed"))
        waiting = await uow.outbox.listing(network.slug, ("pending", "claimed", "sending"))
        held = await uow.outbox.listing(network.slug, ("waiting",))
    lines = [ctx.t("{count} messages are waiting to be sent.", count=len(waiting))]
    if held:
        # Teams would not open a personal chat with them: @mentioned in the channel instead.
        lines.append(
            ctx.t(
                "{count} messages wait for people to open a chat with netpuls; they were "
                "@mentioned in the channel.",
                count=len(held),
            )
        )
        lines += [f"- #{d.id}: {d.key.split('|')[0]}" for d in held[:20]]
    if not stuck:
        lines.append(ctx.t("No message has failed."))
    for d in stuck[:20]:
        lines.append(f"- #{d.id} {d.status}: {d.key.split('|')[0]} ({d.last_error[:120]})")
    if stuck:
        lines.append(ctx.t("Write deliveries retry <id> to send one again."))
    return Reply(text="\n".join(lines))


COMMANDS = (
    Command(
        "cadence",
        N_("the coming steps of the network's year; pause or resume them"),
        N_("cadence [pause|resume|move]"),
        cadence_command,
        ("kadence", "kadens"),
    ),
    Command(
        "deliveries",
        N_("messages that could not be delivered, and retrying them (facilitator)"),
        N_("deliveries [retry <id>]"),
        deliveries_command,
        ("leveringer", "leveranser"),
    ),
)
