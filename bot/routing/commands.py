"""The command registry: each command is a pure `matches()` plus an async `handle()`."""

from __future__ import annotations

import gettext
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.routing.links import Links
from domain.text import literal
from netpuls.i18n import Translator
from services import conversations
from services.engagement import DEFAULT_QUIET_DAYS
from services.networks import Actor, Directory
from services.ports import Clock, Notifier, Outbound, UnitOfWorkFactory
from services.rsvp import MeetingState

if TYPE_CHECKING:
    from scheduler.graph_jobs import GraphJobs

MAX_COMMAND_LENGTH = 2000


# What a command answers: text, an Adaptive Card, or both (the same shape as a proactive post).
Reply = Outbound


@dataclass(frozen=True, slots=True)
class Edge:
    """What commands may use beyond the services: posting, signed links, settings."""

    notifier: Notifier
    links: Links
    agenda: Callable[[MeetingState], Outbound]  # the agenda card as the channel shows it
    graph: GraphJobs | None = None  # meeting events and the roster through Graph
    evaluation_min_answers: int = 3  # evaluation totals are shown from this many answers
    quiet_after: timedelta = timedelta(days=DEFAULT_QUIET_DAYS)  # engagement's "quiet"
    diet_days: int = 14  # dietary needs are deleted this many days after each meeting
    retention_months: int = 6  # people are anonymised this many months after a network ends


@dataclass(frozen=True, slots=True)
class CommandContext:
    """Everything a command handler may use for one turn."""

    t: Translator
    uow: UnitOfWorkFactory
    clock: Clock
    conversation_id: str
    actor: Actor
    directory: Directory
    registry: CommandRegistry
    edge: Edge


Handler = Callable[[CommandContext, str], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    """A named command with its aliases and localised help.

    `usage` is a message too (marked with N_): its translation starts with the command's
    name in that language, so help and cards show the local name,
    and a test runs every name the catalogs mention as a command.
    """

    name: str
    help: str
    usage: str
    handle: Handler
    aliases: tuple[str, ...] = ()

    def local_usage(self, t: Translator) -> str:
        """How to write the command in t's language, e.g. `næste` or `plads [kommune]`."""
        return t(self.usage)

    def local_name(self, t: Translator) -> str:
        """The command's name in t's language."""
        return self.local_usage(t).split(" ", 1)[0]

    def help_line(self, t: Translator) -> str:
        """The command's line in `help`: its usage and what it does."""
        return f"**{self.local_usage(t)}**: {t(self.help)}"

    def matches(self, text: str) -> str | None:
        """The arguments if `text` invokes this command, else None."""
        word, _, rest = text.strip().partition(" ")
        if word.lower() in (self.name, *self.aliases):
            return rest.strip()
        return None


@dataclass(slots=True)
class CommandRegistry:
    """The commands the bot knows, in the order `help` lists them."""

    commands: list[Command] = field(default_factory=list)
    # The help text per catalog: the same every time, and asked for more than any command.
    _help: dict[gettext.NullTranslations, str] = field(default_factory=dict, repr=False)

    def register(self, command: Command) -> None:
        """Add a command; names and aliases must be unique."""
        taken = {n for c in self.commands for n in (c.name, *c.aliases)}
        clash = taken & {command.name, *command.aliases}
        if clash:
            raise ValueError(f"command name already registered: {sorted(clash)}")
        self.commands.append(command)
        self._help.clear()

    def help_text(self, t: Translator) -> str:
        """The list of commands with one line of help each, in t's language."""
        text = self._help.get(t.catalog)
        if text is None:
            lines = [t("Here is what I can do:")]
            lines += [f"- {c.help_line(t)}" for c in self.commands]
            text = self._help[t.catalog] = "\n".join(lines)
        return text

    def named(self, name: str) -> Command:
        """The command registered under `name`."""
        return next(c for c in self.commands if c.name == name)

    def find(self, text: str) -> tuple[Command, str] | None:
        """The command `text` invokes, with its arguments."""
        for command in self.commands:
            args = command.matches(text)
            if args is not None:
                return command, args
        return None

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands)


async def help_reply(ctx: CommandContext, _args: str) -> Reply:
    """The list of commands with one line of help each."""
    return Reply(text=ctx.registry.help_text(ctx.t))


def unknown_reply(t: Translator, text: str) -> Reply:
    """The answer to a message that names no command."""
    word = text.strip().split(" ", 1)[0][:40]
    return Reply(
        text=t(
            "I don't know the command '{word}'. Write help to see what I can do.",
            word=literal(word),
        )
    )


def registry_of(*groups: Iterable[Command]) -> CommandRegistry:
    """A registry of the commands of every feature, in the order `help` lists them."""
    registry = CommandRegistry()
    for group in groups:
        for command in group:
            registry.register(command)
    return registry


async def in_private(ctx: CommandContext, reply: Reply, shared: str) -> Reply:
    """`reply` where only the reader sees it: as the answer in their personal chat with the
    bot; asked anywhere else, sent to that chat (`shared` is said where they asked), or,
    with no such chat yet, only `shared` and where to ask."""
    personal, chat = await conversations.private_chat(ctx.uow(), ctx.conversation_id, ctx.actor)
    if personal:
        return reply
    if chat is None:
        hint = ctx.t("Write the same to me in a personal chat to see the rest.")
        return Reply(text=f"{shared} {hint}".strip())
    await ctx.edge.notifier.send(chat, reply)
    sent = ctx.t("I sent you the rest in our personal chat.")
    return Reply(text=f"{shared} {sent}".strip())
