"""The day's world: networks of municipalities and people, each network's Teams channel.

Every name is derived from numbers, so the fake Connector (its roster) and the traffic
(who clicks) rebuild the same people without sharing state with this process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from domain.model import ConversationKind, ConversationRef
from services.network_file import parse_network_file
from services.networks import import_network
from services.ports import UnitOfWorkFactory
from tests.support import activities as act

TENANT = act.TENANT  # the tenant the activity factories speak for: one tenant in all
BOT_ID = act.BOT_ID
ZONE = "Europe/Copenhagen"
MUNICIPALITIES = 25
PEOPLE_PER_MUNICIPALITY = 3
STEP_HOUR = 9  # cadence steps go out at 09:00 local


@dataclass(frozen=True, slots=True)
class Member:
    """One person of one network, as Teams knows them."""

    network: int
    municipality: int
    number: int

    @property
    def user_id(self) -> str:
        """The Teams user id."""
        return f"29:day-{self.network}-{self.municipality}-{self.number}"

    @property
    def email(self) -> str:
        """The e-mail the roster gives them (how netpuls finds the person)."""
        return f"day-{self.network}-{self.municipality}-{self.number}@example.org"

    @property
    def aad(self) -> str:
        """The Entra object id."""
        return f"aad-day-{self.network}-{self.municipality}-{self.number}"


def slug(network: int) -> str:
    """A network's slug."""
    return f"day-{network:03d}"


def channel_id(network: int) -> str:
    """The conversation id of a network's channel."""
    return f"19:day-{network:03d}@thread.tacv2"


def team_id(network: int) -> str:
    """The team a network's channel belongs to."""
    return f"19:day-team-{network:03d}@thread.tacv2"


def members(networks: int) -> list[Member]:
    """Everyone in the first `networks` networks."""
    return [p for n in range(networks) for p in members_of(n)]


def members_of(network: int) -> list[Member]:
    """Everyone in one network."""
    return [
        Member(network, m, k) for m in range(MUNICIPALITIES) for k in range(PEOPLE_PER_MUNICIPALITY)
    ]


def agenda_day(now: dt.datetime) -> dt.date:
    """The day the D-21 agenda is due so that its 09:00 local passed within the last day."""
    local = now.astimezone(ZoneInfo(ZONE))
    today = local.date()
    return today if local.hour >= STEP_HOUR else today - dt.timedelta(days=1)


def network_file(network: int, agenda: dt.date) -> str:
    """A network file: 25 municipalities, 3 participants each, meeting 1 three weeks on."""
    meeting = agenda + dt.timedelta(days=21)
    lines = [
        "network:",
        f"  slug: {slug(network)}",
        f"  name: Day network {network}",
        "  language: en",
        f"  timezone: {ZONE}",
        f"  period: {{start: {agenda.isoformat()}, end: {(agenda + dt.timedelta(days=300))}}}",
        f"  seats: {MUNICIPALITIES}",
        "municipalities:",
        *(
            f"  - {{key: day-{network}-{m}, name: Town {network}-{m}, region: Day}}"
            for m in range(MUNICIPALITIES)
        ),
        "people:",
        *(
            f"  - {{name: Person {p.network}-{p.municipality}-{p.number}, email: {p.email},"
            f" municipality: day-{network}-{p.municipality}, roles: [participant]}}"
            for p in members_of(network)
        ),
        "meetings:",
        "  - number: 1",
        f"    date: {meeting.isoformat()}",
        "    time: 10:00-15:00",
        "    skip: [host_prompt, call_for_cases]",
        "    region: Day",
        f"    host: day-{network}-0",
        "    place: Town hall",
    ]
    return "\n".join(lines) + "\n"


def channel(network: int, service_url: str) -> ConversationRef:
    """The network's channel, where the bot is installed."""
    return ConversationRef(
        conversation_id=channel_id(network),
        kind=ConversationKind.CHANNEL,
        service_url=service_url,
        channel_id="msteams",
        tenant_id=TENANT,
        bot_id=BOT_ID,
        bot_name="netpuls",
    )


async def build(uow: UnitOfWorkFactory, networks: int, service_url: str, now: dt.datetime) -> None:
    """Import every network and link its channel (the bot installed in each team)."""
    agenda = agenda_day(now)
    for network in range(networks):
        text = network_file(network, agenda)
        declared = parse_network_file(text, name=f"{slug(network)}.yaml", today=agenda)
        await import_network(uow(), declared)
        async with uow() as work:
            await work.conversations.save(channel(network, service_url))
            await work.conversations.link(channel_id(network), slug(network))
            await work.commit()
