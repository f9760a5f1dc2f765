"""The command registry's help: one line per command, in the reader's language."""

from __future__ import annotations

import gettext
from typing import Any, cast

from bot.features import default_registry
from bot.routing.commands import Command, CommandContext, Reply, help_reply
from netpuls.i18n import Translator, translator


class CountingCatalog(gettext.NullTranslations):
    """A catalog that counts the messages looked up in it."""

    def __init__(self, wrapped: gettext.NullTranslations) -> None:
        super().__init__()
        self.wrapped = wrapped
        self.lookups = 0

    def gettext(self, message: str) -> str:
        self.lookups += 1
        return self.wrapped.gettext(message)


def context(t: Translator, registry: Any) -> CommandContext:
    unused = cast(Any, None)
    return CommandContext(t, unused, unused, "c", unused, unused, registry, unused)


async def nothing(_ctx: CommandContext, _args: str) -> Reply:
    return Reply(text="")


async def test_help_is_translated_once_per_language_and_lists_a_command_added_later() -> None:
    registry = default_registry()
    catalog = CountingCatalog(translator("da").catalog)
    danish = Translator("da", catalog)

    first = (await help_reply(context(danish, registry), "")).text
    looked_up = catalog.lookups
    second = (await help_reply(context(danish, registry), "")).text
    english = (await help_reply(context(translator("en"), registry), "")).text

    assert first == second and first is not None
    assert first.startswith("Det kan jeg hjælpe med") and "- **hjælp**: " in first
    assert english is not None and english.startswith("Here is what I can do:")
    assert (
        looked_up == 2 * len(registry.commands) + 1 and catalog.lookups == looked_up
    )  # usage and help
    registry.register(Command("wave", "wave back", "wave", nothing))
    third = (await help_reply(context(danish, registry), "")).text
    assert third is not None and third.endswith("- **wave**: wave back")
