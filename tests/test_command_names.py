"""Commands in the reader's language: every command name that help, cards and messages mention,
in Danish, Swedish and English, works as a command when written to the bot."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.features import default_registry
from bot.routing.commands import CommandRegistry
from domain.model import LANGUAGES
from netpuls.i18n import read_catalog, translator
from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network

LOCALES = {"da": "da-DK", "sv": "sv-SE", "en": "en-GB"}

# A command is mentioned as the word after "write"/"skriv", "e.g."/"f.eks."/"fx"/"t.ex.",
# and "with:"/"med:" (an example may follow "write": "Skriv f.eks.: kadence").
_MENTION = re.compile(
    r"(?i)(?:\b(?:write|skriv)\b|\bwith:|\bmed:|\be\.g\.|\bf\.eks\.|\bfx\b|\bt\.ex\.)"
    r"(?:\s+(?:e\.g\.|f\.eks\.|fx|t\.ex\.))?:?\s+([\w?-]+)"
)
# Ordinary words that follow those, per language ("Skriv antal uger ...", "Write your ...").
# A new word here is a decision: it is not a command the reader is asked to write.
NOT_COMMANDS = {
    "da": {
        "1", "alle", "ankommer", "ansøgningen", "antal", "antallet", "at", "dagsordenen",
        "dem", "den", "denne", "det", "dig", "dit", "en", "fra", "fristen", "først", "gode",
        "hjem", "hvilket", "i", "igen", "invitationen", "kommandoen", "kommunens", "kortet",
        "kostbehov", "kosthensyn", "links", "mig", "mindst", "mødet", "mødets", "navnet",
        "netpuls", "netværket", "netværkets", "og", "også", "opsamlingen", "planchefens",
        "planlægger", "så", "spørgsmålets", "til", "vegetar", "værtskommunen", "csv",
        "skriv",
    },
    "sv": {
        "1", "alla", "antal", "antalet", "dem", "den", "dig", "din", "e-postadressen", "en",
        "finns", "frågans", "frågeställningar", "först", "goda", "hur", "i", "igen",
        "kommandot", "kommer", "kommunens", "kostbehov", "länkar", "mig", "minst", "mötet",
        "mötets", "netpuls", "nu", "nätverket", "nätverkets", "och", "planchefens",
        "planerare", "på", "samma", "sig", "sista", "specialkost", "vegetarisk", "vilket",
        "csv",
    },
    "en": {"the", "which", "your", "a", "it", "that", "them", "these", "me", "to"},
}  # fmt: skip


def mentioned(language: str, registry: CommandRegistry) -> dict[str, str]:
    """Every command name the language's catalogs mention, with a text that mentions it:
    the usage each command shows in help and cards, and the words after "write" and the like."""
    t = translator(language)
    names = {c.local_name(t): c.local_usage(t) for c in registry}
    for message in read_catalog(language):
        if not message.id:
            continue
        text = message.string if isinstance(message.string, str) else " ".join(message.string)
        for word in _MENTION.findall(text):
            if word.lower() not in NOT_COMMANDS[language]:
                names.setdefault(word, text)
    return names


@pytest.fixture
async def bot(start_bot: BotStarter) -> TestClient[Any, Any]:
    """The anonymous bot on the test database, with the small network imported (and the
    demo's persona switch, whose `demo` command the catalogs name too)."""
    return await start_bot({}, network=small_network(), demo_personas=True)


async def ask(bot: TestClient[Any, Any], fake: Any, url: str, text: str, language: str) -> str:
    """What the bot sends back to `text` in a personal chat, all messages together."""
    before = len(fake.sent)
    response = await bot.post(
        "/api/messages", json=act.message(act.personal(url), text, locale=LOCALES[language])
    )
    assert response.status < 500, text
    return "\n".join(str(s.activity) for s in fake.sent[before:])


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_command_name_the_catalogs_mention_is_a_command(
    bot: Any, connector: Any, language: str
) -> None:
    fake, url = connector
    unknown = translator(language)(
        "I don't know the command '{word}'. Write help to see what I can do.", word=""
    )
    unknown_start = unknown.split("''")[0]
    names = mentioned(language, default_registry())
    assert len(names) >= 30
    unknown_names = {}
    for name, text in sorted(names.items()):
        if unknown_start in await ask(bot, fake, url, name, language):
            unknown_names[name] = text
    assert unknown_names == {}


@pytest.mark.parametrize("language", ["da", "sv"])
def test_danish_and_swedish_texts_name_the_local_commands(language: str) -> None:
    registry = default_registry()
    t = translator(language)
    english_only = {c.name for c in registry} - {c.local_name(t) for c in registry}
    wrong = {n: text for n, text in mentioned(language, registry).items() if n in english_only}
    assert wrong == {}


def test_help_lists_the_local_command_names() -> None:
    registry = default_registry()
    danish = registry.help_text(translator("da"))
    swedish = registry.help_text(translator("sv"))
    assert "**hjælp**" in danish and "**næste**" in danish and "**next**" not in danish
    assert "**opsamling [møde]**" in danish and "**velkomst**" in danish
    assert "**nästa**" in swedish and "**plats [kommun]" in swedish
    assert "**next**" in registry.help_text(translator("en"))


@pytest.mark.parametrize("word", ["opsamling", "velkomst", "referat", "velkommen"])
def test_the_words_the_danish_help_uses_are_commands(word: str) -> None:
    assert default_registry().find(word) is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_hints_keep_their_placeholders_as_teams_shows_markdown(language: str) -> None:
    t = translator(language)
    line = default_registry().named("seat").help_line(t)
    assert "\\<e-" in line and line.count("\\<") == line.count("\\>") == 1
    hint = t(
        "Change the seat with: seat add <e-mail> [name], seat remove <e-mail>, "
        "seat usual <e-mail>, seat holder <e-mail>"
    )
    assert hint.count("\\<e-") == 4


def test_mentions_stay_mentions() -> None:
    text = translator("da")(
        "<at>{name}</at>, I have a personal message for you from {network}. Open a chat with me "
        "to read it: select my name and choose Chat.",
        name="Alex",
        network="N",
    )
    assert text.startswith("<at>Alex</at>")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_answered_alone_explains_itself_as_help_does(
    bot: Any, connector: Any, language: str
) -> None:
    fake, url = connector
    t = translator(language)
    word = default_registry().named("answered").local_name(t)
    await ask(bot, fake, url, word, language)
    line = default_registry().named("answered").help_line(t)
    assert fake.texts()[-1] == line
    assert line in default_registry().help_text(t)
