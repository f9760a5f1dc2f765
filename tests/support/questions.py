"""A network for questions: eight members, two themes, contacts with and without Teams ids."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.membership import Application, ApplicationStatus
from services.network_file import parse_network_file
from services.networks import import_network
from services.ports import UnitOfWorkFactory

SLUG = "kompakte-groenne-byer"
TOWNS = ("aarhus", "esbjerg", "koege", "odense", "randers", "svendborg", "vejle", "aalborg")
_TOWNS = "".join(
    f"  - {{key: {k}, name: {k.capitalize()} Kommune, region: Syddanmark}}\n" for k in TOWNS
)
_PEOPLE = "".join(
    f"  - {{name: Planner {k.capitalize()}, email: planner.{k}@example.org, municipality: {k}}}\n"
    for k in TOWNS
)
NETWORK = f"""\
network:
  slug: {SLUG}
  name: Kompakte, grønne byer
  language: en
  timezone: Europe/Copenhagen
  period: {{start: 2024-01-01, end: 2026-03-31}}
  seats: 25
  themes:
    - Densification
    - Green space
municipalities:
{_TOWNS}people:
  - {{name: Facilitator, email: facilitator@example.org, roles: [facilitator]}}
{_PEOPLE}meetings:
  - {{number: 1, date: 2024-03-14, time: 10:00-15:00, region: Fyn, host: odense}}
"""
NOW = datetime(2024, 4, 2, 9, tzinfo=UTC)
# Whose Teams account the bot has seen: these planners can be @mentioned.
TEAMS_IDS = {"planner.aarhus@example.org": "29:aarhus", "planner.koege@example.org": "29:koege"}


def email(town: str) -> str:
    """The placeholder planner of a town."""
    return f"planner.{town}@example.org"


async def prepared(uow: UnitOfWorkFactory, interests: dict[str, tuple[str, ...]]) -> None:
    """Import the network, remember some Teams ids, and store the members' listed themes."""
    await import_network(uow(), parse_network_file(NETWORK, name="q.yaml", today=date(2024, 1, 2)))
    async with uow() as work:
        for key, teams_id in TEAMS_IDS.items():
            await work.people.remember_teams_ids(key, teams_user_id=teams_id, aad_object_id=None)
        for town, themes in interests.items():
            await work.membership.save_application(SLUG, application(town, themes))
        await work.commit()


def application(town: str, themes: tuple[str, ...]) -> Application:
    """A submitted application that lists `themes` as the town's interests."""
    return Application(
        municipality_key=town,
        municipality_name=f"{town.capitalize()} Kommune",
        region="Syddanmark",
        head_of_planning="Head of planning",
        email=email(town),
        interest="We want to learn from the others.",
        themes=themes,
        version=1,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=datetime(2024, 1, 5, tzinfo=UTC),
        submitted_by=f"29:{town}",
    )


def channel_ref(**extra: Any) -> Any:
    """The network's channel, linked."""
    from domain.model import ConversationKind, ConversationRef

    return ConversationRef(
        conversation_id="19:general@thread.tacv2",
        kind=ConversationKind.CHANNEL,
        service_url="https://smba.example.org/",
        channel_id="msteams",
        tenant_id="tenant-1",
        **extra,
    )
