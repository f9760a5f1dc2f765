"""Commands for problem statements, the host prompt, summaries, evaluations and the report."""

from __future__ import annotations

from bot.features.sparring.final import final_message, final_view
from bot.features.sparring.report import report_link
from bot.features.sparring.views import (
    case_form_view,
    cases_view,
    evaluation_view,
    host_message,
    host_view,
    summary_view,
)
from bot.routing.commands import Command, CommandContext, Reply
from cards.final_evaluation import final_form_card, final_results_card
from cards.sparring import case_form_card, cases_card, host_card
from cards.summary import evaluation_form_card, evaluation_results_card, summary_form_card
from domain.errors import N_, NotAllowed
from netpuls.i18n import translator
from services import cases, evaluations, final_evaluation, host, report, rsvp, summaries
from services.networks import identify, network_for
from services.sparring_support import latest_meeting


async def _next(ctx: CommandContext, args: str) -> str:
    return await rsvp.resolve_meeting(ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, args)


async def _latest(ctx: CommandContext, args: str) -> str:
    return await latest_meeting(ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, args)


async def case_command(ctx: CommandContext, args: str) -> Reply:
    """`case [meeting]`: the card to submit a problem statement (the next meeting by default)."""
    form = await cases.case_form(
        ctx.uow(), ctx.clock, await _next(ctx, args), ctx.actor, ctx.directory
    )
    return Reply(card=case_form_card(case_form_view(form, ctx.t), ctx.t))


async def cases_command(ctx: CommandContext, args: str) -> Reply:
    """`cases [meeting]`: every case for the facilitator, your own otherwise."""
    key = await _next(ctx, args)
    state = await cases.list_cases(ctx.uow(), ctx.clock, key, ctx.actor, ctx.directory)
    return Reply(card=cases_card(cases_view(state, ctx.t), ctx.t))


async def host_command(ctx: CommandContext, args: str) -> Reply:
    """`host [meeting]`: the facilitator sends the host card; a host contact gets it here."""
    key = await _next(ctx, args)
    try:
        sent = await host.send_host_prompt(
            ctx.uow(), ctx.clock, ctx.edge.notifier, key, ctx.actor, ctx.directory, host_message
        )
    except NotAllowed:
        state = await host.host_state(ctx.uow(), key, ctx.actor, ctx.directory)
        return Reply(card=host_card(host_view(state), ctx.t))
    lines = [
        ctx.t("Sent the host card to: {names}.", names=", ".join(sent.sent))
        if sent.sent
        else ctx.t("Nobody got the host card.")
    ]
    if sent.unreachable:
        lines.append(
            ctx.t(
                "No personal chat with me yet: {names}. Ask them to write to me once, "
                "then send the card again.",
                names=", ".join(sent.unreachable),
            )
        )
    return Reply(text="\n\n".join(lines), card=host_card(host_view(sent.state), ctx.t))


async def summary_command(ctx: CommandContext, args: str) -> Reply:
    """`summary [meeting]`: the summary form (the latest meeting by default)."""
    key = await _latest(ctx, args)
    state = await summaries.open_summary(ctx.uow(), ctx.clock, key, ctx.actor, ctx.directory)
    return Reply(card=summary_form_card(summary_view(state), ctx.t))


async def evaluate_command(ctx: CommandContext, args: str) -> Reply:
    """`evaluate [meeting]`: an attendee's evaluation card (the latest meeting by default)."""
    key = await _latest(ctx, args)
    state = await evaluations.evaluation_form(ctx.uow(), ctx.clock, key, ctx.actor, ctx.directory)
    return Reply(card=evaluation_form_card(evaluation_view(state), ctx.t))


async def evaluation_command(ctx: CommandContext, args: str) -> Reply:
    """`evaluation [meeting]`: the totals for the facilitator."""
    key = await _latest(ctx, args)
    state = await evaluations.evaluation_results(
        ctx.uow(), ctx.clock, key, ctx.actor, ctx.directory, ctx.edge.evaluation_min_answers
    )
    return Reply(card=evaluation_results_card(evaluation_view(state), ctx.t))


async def report_command(ctx: CommandContext, args: str) -> Reply:
    """`report`: the final product as DOCX and Markdown; `report <meeting>`: a LinkedIn text."""
    async with ctx.uow() as uow:
        person = await identify(uow, ctx.actor, ctx.directory)
        network = await network_for(uow, ctx.conversation_id, person, ctx.actor)
        await uow.commit()
    built = await report.build_report(
        ctx.uow(),
        ctx.clock,
        network.slug,
        ctx.actor,
        ctx.directory,
        ctx.edge.evaluation_min_answers,
    )
    wording = translator(network.language)  # the product speaks the network's language
    if args.strip():
        key = await _next(ctx, args)
        number = int(key.rpartition(":")[2])
        chapter = next((c for c in built.chapters if c.meeting.number == number), None)
        if chapter is None:
            return Reply(text=ctx.t("Meeting {number} has nothing to tell yet.", number=number))
        return Reply(text=report.linkedin_text(built, chapter, wording))
    summaries_posted = sum(1 for c in built.chapters if c.summary is not None)
    now = ctx.clock.now()
    lines = [
        ctx.t(
            "{network}: {meetings} meeting(s) in the report; posted summaries: {summaries}; "
            "problem statements: {cases}.",
            network=network.name,
            meetings=len(built.chapters),
            summaries=summaries_posted,
            cases=sum(len(c.cases) for c in built.chapters),
        ),
        ctx.t(
            "Download it as [Word]({docx}) or [Markdown]({md}); the links work for an hour.",
            docx=report_link(ctx.edge.links, network.slug, "docx", now),
            md=report_link(ctx.edge.links, network.slug, "md", now),
        ),
        ctx.t("For a LinkedIn text about one meeting, write report <number>."),
    ]
    return Reply(text="\n\n".join(lines))


OPEN_WORDS = ("open", "åbn", "öppna")


async def _network_slug(ctx: CommandContext) -> str:
    async with ctx.uow() as uow:
        person = await identify(uow, ctx.actor, ctx.directory)
        network = await network_for(uow, ctx.conversation_id, person, ctx.actor)
        await uow.commit()
    return network.slug


async def final_command(ctx: CommandContext, args: str) -> Reply:
    """`final`: a member's final evaluation card, or the totals; `final open` sends it now."""
    slug = await _network_slug(ctx)
    if args.strip().lower() in OPEN_WORDS:
        opened = await final_evaluation.open_final(
            ctx.uow(), ctx.clock, slug, ctx.actor, ctx.directory, final_message
        )
        lines = [
            ctx.t(
                "The final evaluation is open: {count} member(s) get the card in a personal chat.",
                count=opened.queued,
            )
        ]
        if opened.unreachable:
            lines.append(
                ctx.t(
                    "{count} member(s) have no personal chat with me yet; they can write "
                    "final to answer.",
                    count=opened.unreachable,
                )
            )
        return Reply(text="\n\n".join(lines))
    try:
        totals = await final_evaluation.final_results(
            ctx.uow(), ctx.clock, slug, ctx.actor, ctx.directory, ctx.edge.evaluation_min_answers
        )
    except NotAllowed:
        form = await final_evaluation.final_form(ctx.uow(), slug, ctx.actor, ctx.directory)
        return Reply(card=final_form_card(final_view(form), ctx.t))
    hint = "" if totals.opened_at else ctx.t("Write final open to send the card to the members.")
    return Reply(text=hint, card=final_results_card(final_view(totals), ctx.t))


COMMANDS = (
    Command(
        "case",
        N_("submit a problem statement for a meeting"),
        N_("case [meeting]"),
        case_command,
        ("sag", "ärende"),
    ),
    Command(
        "cases",
        N_("the problem statements of a meeting; the facilitator accepts or declines them"),
        N_("cases [meeting]"),
        cases_command,
        ("sager", "ärenden"),
    ),
    Command(
        "host",
        N_("send the host municipality the card to co-plan its meeting (facilitator)"),
        N_("host [meeting]"),
        host_command,
        ("vært", "värd"),
    ),
    Command(
        "summary",
        N_("write and post a meeting's summary (facilitator)"),
        N_("summary [meeting]"),
        summary_command,
        ("referat", "sammanfattning", "opsamling"),
    ),
    Command(
        "evaluate",
        N_("evaluate a meeting you attended"),
        N_("evaluate [meeting]"),
        evaluate_command,
        ("evaluer", "utvärdera"),
    ),
    Command(
        "evaluation",
        N_("the evaluation totals of a meeting (facilitator)"),
        N_("evaluation [meeting]"),
        evaluation_command,
        ("evaluering", "utvärdering"),
    ),
    Command(
        "final",
        N_("the network's final evaluation: answer it, or see the totals (facilitator)"),
        N_("final [open]"),
        final_command,
        ("slutevaluering", "slututvärdering"),
    ),
    Command(
        "report",
        N_("the network's final product as Word and Markdown (facilitator)"),
        N_("report [meeting]"),
        report_command,
        ("rapport",),
    ),
)
