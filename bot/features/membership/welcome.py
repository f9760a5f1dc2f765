"""The welcome card's view and the renderer the admission hands to the outbox. No I/O."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from bot.routing.commands import Command
from bot.routing.links import Links
from cards.welcome import WelcomeMeeting, WelcomeView, welcome_card
from domain.model import MeetingKind, Network
from netpuls.i18n import Translator, translator
from services.ports import Outbound
from services.welcome import Welcome, WelcomeRenderer

# What a new member needs first, in the order the card lists them (names as registered).
MAIN_COMMANDS = (
    "next",
    "case",
    "material",
    "share",
    "seat",
    "evaluate",
    "language",
    "privacy",
    "help",
)


def network_calendar_path(slug: str) -> str:
    """Where every meeting of the network is served as one .ics file."""
    return f"/calendar/{slug}.ics"


def calendar_link(links: Links, network: Network) -> str:
    """A signed link to the network's calendar, valid until a month after the network ends."""
    until = datetime.combine(network.ends_on, time(23, 59), network.zone) + timedelta(days=30)
    return links.make(network_calendar_path(network.slug), until)


def command_lines(t: Translator, commands: Iterable[Command]) -> tuple[tuple[str, str], ...]:
    """The main commands in the reader's language, each with its one line of help."""
    by_name = {c.name: c for c in commands}
    out: list[tuple[str, str]] = []
    for name in MAIN_COMMANDS:
        command = by_name.get(name)
        if command is None:
            continue  # a feature that is not installed
        out.append((command.local_name(t), t(command.help)))
    return tuple(out)


def welcome_view(
    found: Welcome, links: Links, t: Translator, commands: Iterable[Command]
) -> WelcomeView:
    """The welcome card's view for one member."""
    towns = {m.key: m.name for m in found.municipalities}
    meetings = tuple(
        WelcomeMeeting(
            number=m.number,
            day=m.day,
            place=", ".join(p for p in (m.place, towns.get(m.host or "", "")) if p) or m.region,
            study_trip=m.kind is MeetingKind.STUDY_TRIP,
        )
        for m in sorted(found.meetings, key=lambda m: m.day)
    )
    return WelcomeView(
        network_name=found.network.name,
        municipality=found.municipality_name,
        themes=found.network.themes,
        meetings=meetings,
        calendar_url=calendar_link(links, found.network),
        commands=command_lines(t, commands),
    )


def welcome_renderer(links: Links, commands: Iterable[Command]) -> WelcomeRenderer:
    """Renders a welcome as a card in the member's language (for the outbox)."""

    def render(found: Welcome) -> Outbound:
        t = translator(found.language)
        return Outbound(card=welcome_card(welcome_view(found, links, t, commands), t))

    return render
