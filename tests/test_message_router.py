"""Where a message goes: hooks before the commands, a command, hooks for what is left."""

from __future__ import annotations

from typing import Any, cast

from bot.routing.commands import Command, CommandContext, CommandRegistry, Reply, registry_of
from bot.routing.messages import Attachment, Handled, Incoming, MessageRouter
from domain.errors import N_, NotAllowed
from domain.model import ConversationKind, ConversationRef
from netpuls.i18n import translator
from services.networks import Actor

WHERE = ConversationRef(
    "19:c@thread.tacv2", ConversationKind.CHANNEL, "http://127.0.0.1:1/", "msteams"
)
PERSON = Actor("29:ada", None, "Ada")


def message(text: str, *, to_bot: bool = True, files: int = 0) -> Incoming:
    attachments = tuple(Attachment("application/pdf", f"f{i}.pdf") for i in range(files))
    return Incoming("1", WHERE.conversation_id, WHERE, PERSON, text, to_bot, attachments)


def context(registry: CommandRegistry, language: str = "en") -> CommandContext:
    unused = cast(Any, None)
    return CommandContext(
        translator(language), unused, unused, "c", PERSON, unused, registry, unused
    )


async def echo(_ctx: CommandContext, args: str) -> Reply:
    return Reply(text=f"echo {args}")


async def refuse(_ctx: CommandContext, _args: str) -> Reply:
    raise NotAllowed(N_("I don't know that card action."))


def router() -> tuple[MessageRouter, list[str]]:
    seen: list[str] = []
    messages = MessageRouter(
        registry_of([Command("echo", "", "echo", echo), Command("refuse", "", "refuse", refuse)])
    )

    async def files(_ctx: CommandContext, m: Incoming) -> Handled | None:
        if not m.attachments:
            return None
        seen.append("files")
        return Handled(Reply(text=f"{len(m.attachments)} files"))

    async def overheard(_ctx: CommandContext, m: Incoming) -> Handled | None:
        seen.append(f"overheard {m.text}")
        return Handled()

    async def links(_ctx: CommandContext, m: Incoming) -> Handled | None:
        return Handled(Reply(text="links")) if "https://" in m.text else None

    messages.on_attachments(files)
    messages.on_overheard(overheard)
    messages.on_unmatched(links)
    return messages, seen


async def test_a_message_with_files_goes_to_the_files_before_any_command() -> None:
    messages, seen = router()
    reply = await messages.route(context(messages.registry), message("echo hi", files=2))
    assert reply == Reply(text="2 files")
    assert seen == ["files"]


async def test_a_command_is_answered_and_what_names_none_goes_to_the_next_hook() -> None:
    messages, _ = router()
    ctx = context(messages.registry)
    assert await messages.route(ctx, message("echo hi")) == Reply(text="echo hi")
    assert await messages.route(ctx, message("see https://example.org")) == Reply(text="links")
    unknown = await messages.route(ctx, message("hello"))
    assert unknown is not None and "hello" in (unknown.text or "")


async def test_people_talking_to_each_other_are_heard_but_never_answered() -> None:
    messages, seen = router()
    assert (
        await messages.route(context(messages.registry), message("echo hi", to_bot=False)) is None
    )
    assert seen == ["overheard echo hi"]


async def test_a_refusal_is_answered_in_the_readers_language_and_too_long_is_refused() -> None:
    messages, _ = router()
    danish = context(messages.registry, "da")
    refused = await messages.route(danish, message("refuse"))
    assert refused is not None
    assert refused.text == "Den handling på kortet kender jeg ikke."
    too_long = await messages.route(danish, message("echo " + "x" * 3000))
    assert too_long is not None and "3005" in (too_long.text or "")
