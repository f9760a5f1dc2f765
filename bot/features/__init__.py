"""The bot's features, one package each; this module lists them and the command menus."""

from __future__ import annotations

from bot.features.cadence import commands as cadence
from bot.features.engagement import commands as engagement
from bot.features.material import commands as material
from bot.features.meetings import commands as meetings
from bot.features.membership import commands as membership
from bot.features.network import commands as network
from bot.features.pairs import commands as pairs
from bot.features.privacy import commands as privacy
from bot.features.questions import commands as questions
from bot.features.roster import commands as roster
from bot.features.sparring import commands as sparring
from bot.routing.commands import CommandRegistry, registry_of

# In the order `help` lists their commands.
FEATURES = (
    network,
    meetings,
    cadence,
    membership,
    sparring,
    material,
    roster,
    questions,
    pairs,
    engagement,
    privacy,
)


# Which commands Teams shows in its command menu per scope (at most 10 each); every command
# still works when typed. Channels get the shared work and the organisers' tools, chats the
# members' own: in the personal chat that includes `privacy` (a person's rights), while the
# facilitator's `host` is typed.
MENU: dict[str, tuple[str, ...]] = {
    # The channel is where members ask the network; `link` and `cadence` are typed once.
    "team": (
        "help",
        "next",
        "ask",
        "questions",
        "material",
        "agenda",
        "attendees",
        "cases",
        "summary",
        "report",
    ),
    "personal": (
        "help",
        "next",
        "case",
        "evaluate",
        "material",
        "share",
        "apply",
        "language",
        "pairs",
        "privacy",
    ),
    "groupChat": ("help", "next", "case", "material", "share", "ask", "questions", "language"),
}


def menu_scopes(name: str) -> frozenset[str]:
    """The scopes whose command menu lists this command."""
    return frozenset(scope for scope, names in MENU.items() if name in names)


def default_registry() -> CommandRegistry:
    """Every command of every feature, in the order `help` lists them."""
    return registry_of(*(feature.COMMANDS for feature in FEATURES))
