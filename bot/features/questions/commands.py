"""Commands to ask the network: `ask`, `questions`, `answered`, and replies in a thread."""

from __future__ import annotations

from bot.features.questions.views import ask_view, channel_post, listing_card
from bot.routing.commands import Command, CommandContext, Reply
from bot.routing.messages import Handled, Incoming
from cards.questions import ask_card
from domain.errors import N_
from services import questions


async def ask_command(ctx: CommandContext, args: str) -> Reply:
    """`ask [#theme]… <question>`: post the question to the channel as a new thread."""
    if not args.strip():
        network = await questions.ask_form(ctx.uow(), ctx.conversation_id, ctx.actor, ctx.directory)
        return Reply(card=ask_card(ask_view(network), ctx.t))
    state, channels = await questions.ask(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, args, channel_post
    )
    return Reply(
        text=ctx.t(
            "Question {number} is on its way to {count} channel(s); the answers will be its "
            "thread. When one helps, write answered {number}.",
            number=state.question.number,
            count=channels,
        )
    )


async def questions_command(ctx: CommandContext, args: str) -> Reply:
    """`questions [theme]`: the network's questions, open and answered."""
    listing = await questions.questions(
        ctx.uow(), ctx.conversation_id, ctx.actor, ctx.directory, args
    )
    return listing_card(listing, ctx.t)


async def answered_command(ctx: CommandContext, args: str) -> Reply:
    """`answered <question> [answer]`: the asker marks the helpful answer; without a
    question, the command explains itself as `help` does."""
    if not args.strip():
        return Reply(text=ctx.registry.named("answered").help_line(ctx.t))
    key, answer = await questions.resolve_question(
        ctx.uow(), ctx.conversation_id, ctx.actor, ctx.directory, args
    )
    state = await questions.mark_helpful(
        ctx.uow(), ctx.clock, key, ctx.actor, ctx.directory, answer
    )
    await questions.refresh_posts(ctx.uow(), ctx.edge.notifier, state, channel_post)
    return Reply(
        text=ctx.t("Question {number} is answered. Thank you!", number=state.question.number)
    )


async def overheard(ctx: CommandContext, message: Incoming) -> Handled | None:
    """People talking in a question's thread: a reply is kept as an answer, silently."""
    await thread_reply(ctx, message.text)
    return Handled()


async def thread_answer(ctx: CommandContext, message: Incoming) -> Handled | None:
    """A message to the bot in a question's thread that names no command is an answer."""
    heard = await thread_reply(ctx, message.text)
    return Handled(heard) if heard is not None else None


async def thread_reply(ctx: CommandContext, text: str) -> Reply | None:
    """A reply in a question's thread that names no command: recorded as an answer."""
    heard = await questions.hear_reply(
        ctx.uow(), ctx.clock, ctx.conversation_id, ctx.actor, ctx.directory, text
    )
    if heard is None:
        return None
    number = heard.state.question.number
    if heard.answer is None:
        return Reply(
            text=ctx.t(
                "This is your own question. When an answer helps, write answered {number}.",
                number=number,
            )
        )
    await questions.refresh_posts(ctx.uow(), ctx.edge.notifier, heard.state, channel_post)
    return Reply(
        text=ctx.t(
            "Thank you: noted as answer {answer} to question {number}.",
            answer=heard.answer.number,
            number=number,
        )
    )


COMMANDS = (
    Command(
        "ask",
        N_("ask the network a question; #2 tags it with the network's theme 2"),
        N_("ask [#theme] <question>"),
        ask_command,
        ("spørg", "fråga"),
    ),
    Command(
        "questions",
        N_("the questions asked in the network, open and answered"),
        N_("questions [theme]"),
        questions_command,
        ("spørgsmål", "frågor"),
    ),
    Command(
        "answered",
        N_("mark the answer that helped you (the asker)"),
        N_("answered <question> [answer]"),
        answered_command,
        ("besvaret", "besvarad"),
    ),
)
