"""The command registry: each command is a pure `matches()` plus an async `handle()`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from domain.errors import N_
from netpuls.i18n import Translator
from services.networks import Actor, Directory
from services.ports import Clock, UnitOfWorkFactory

MAX_COMMAND_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Reply:
    """What a command answers: text, an Adaptive Card, or both."""

    text: str = ""
    card: dict[str, Any] | None = None


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


Handler = Callable[[CommandContext, str], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    """A named command with its aliases (one per language) and localised help."""

    name: str
    help: str
    usage: str
    handle: Handler
    aliases: tuple[str, ...] = ()

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

    def register(self, command: Command) -> None:
        """Add a command; names and aliases must be unique."""
        taken = {n for c in self.commands for n in (c.name, *c.aliases)}
        clash = taken & {command.name, *command.aliases}
        if clash:
            raise ValueError(f"command name already registered: {sorted(clash)}")
        self.commands.append(command)

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
    lines = [ctx.t("Here is what I can do:")]
    lines += [f"- **{c.usage}**: {ctx.t(c.help)}" for c in ctx.registry]
    return Reply(text="\n".join(lines))


def unknown_reply(t: Translator, text: str) -> Reply:
    """The answer to a message that names no command."""
    word = text.strip().split(" ", 1)[0][:40]
    return Reply(
        text=t("I don't know the command '{word}'. Write help to see what I can do.", word=word)
    )


HELP_TEXTS: dict[str, str] = {
    "help": N_("show this list"),
    "next": N_("the next meeting of the network"),
    "link": N_("link this channel to a network (facilitator or secretariat)"),
    "language": N_("answer me in Danish, Swedish or English"),
}


def all_commands(entries: Iterable[tuple[str, str, Handler, tuple[str, ...]]]) -> CommandRegistry:
    """A registry from (name, usage, handler, aliases) entries, help texts from HELP_TEXTS."""
    registry = CommandRegistry()
    for name, usage, handler, aliases in entries:
        registry.register(
            Command(name=name, help=HELP_TEXTS[name], usage=usage, handle=handler, aliases=aliases)
        )
    return registry
