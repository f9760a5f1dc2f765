"""The example networks with answers and material, signing in to the tab as someone, and the
reader a session cookie names as a page handler sees it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp.test_utils import TestClient, make_mocked_request

from domain.material import Material, MaterialKind
from domain.model import ConversationKind, ConversationRef, NetworkFile
from domain.rsvp import Answer, Rsvp, Standing
from domain.sparring import Summary
from services import cadence
from services.network_file import load_network_file
from services.networks import import_network
from services.ports import NewDelivery, Outbound, UnitOfWorkFactory
from tab.context import CLOCK, SETTINGS
from tab.signin import COOKIE, TabReader, reader_from_request, signed_tab_url

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = date(2024, 3, 1)
NETWORKS = {
    # slug: (file, facilitator, participant, first municipality to answer, its planner)
    "demo": (
        "demo.yaml",
        "demo.facilitator@example.org",
        "planner.aalborg@example.org",
        "odense",
        "planner.odense@example.org",
    ),
    "kompakte-groenne-byer": (
        "plan22-kompakte-groenne-byer.yaml",
        "facilitator@example.org",
        "planlaegger.koebenhavn@example.org",
        "koebenhavn",
        "planlaegger.koebenhavn@example.org",
    ),
    "skl-medborgardialog": (
        "skl-medborgardialog.yaml",
        "processledare@example.org",
        "projektledare.uppsala@example.org",
        "botkyrka",
        "projektledare.botkyrka@example.org",
    ),
}
SHARED_TITLE = "Byomdannelse og grønne kiler (slides)"
KEY_POINTS = "Density works where the green links come first."
FAILED_ERROR = "403 Forbidden: the bot was removed from the team"


def example(slug: str) -> NetworkFile:
    return load_network_file(EXAMPLES / NETWORKS[slug][0], today=TODAY)


async def seed(uow: UnitOfWorkFactory, slug: str) -> NetworkFile:
    """Import the example, plan its cadence, one answer (with a diet) and one shared file
    for its first meeting."""
    declared = example(slug)
    await import_network(uow(), declared)
    await cadence.sync_all(uow)
    first = min(declared.meetings, key=lambda m: m.day)
    _, _, _, town, planner = NETWORKS[slug]
    name = next(p.name for p in declared.people if p.email == planner)
    town_name = next(m.name for m in declared.municipalities if m.key == town)
    at = datetime(2024, 3, 1, 8, tzinfo=UTC)  # inside the period, before the clock
    async with uow() as work:
        answer = Rsvp(
            planner, name, town, town_name, Answer.ATTENDING, Standing.CONFIRMED, at, "vegetarian"
        )
        await work.rsvps.save(slug, first.number, answer, changed_by=planner, at=at)
        await work.material.add(
            slug,
            Material(
                SHARED_TITLE,
                MaterialKind.LINK,
                "https://example.org/slides",
                planner,
                name,
                at,
                meeting_number=first.number,
                themes=declared.network.themes[:1],
            ),
        )
        await work.summaries.save(slug, first.number, Summary(KEY_POINTS, posted=True))
        await _failed_delivery(work, slug, at)
        await work.commit()
    return declared


async def _failed_delivery(work: Any, slug: str, at: datetime) -> None:
    """A channel post that failed after its retries, as the outbox records it."""
    channel = ConversationRef(
        f"19:{slug}@thread.tacv2", ConversationKind.CHANNEL, "https://smba.example.org", "msteams"
    )
    delivery = NewDelivery(f"agenda:{slug}:1", channel, Outbound(text="Agenda"), network=slug)
    await work.outbox.enqueue([delivery], at)
    (stored,) = await work.outbox.listing(slug, ("pending",))
    await work.outbox.mark_failed(stored.id, "failed", FAILED_ERROR)


async def sign_in(client: TestClient[Any, Any], slug: str | None, email: str) -> str:
    """Open the signed link as a browser would; the session cookie stays on the client.
    Returns where the link led."""
    app = client.app
    url = signed_tab_url(app[SETTINGS], slug, email, app[CLOCK].now())
    parts = urlsplit(url)
    response = await client.get(f"{parts.path}?{parts.query}", allow_redirects=False)
    assert response.status == 303, await response.text()
    return response.headers["Location"]


async def reader(bot: TestClient[Any, Any], cookie: str) -> TabReader | None:
    """What reader_from_request makes of a request to the bot carrying this session cookie."""
    request = make_mocked_request(
        "GET", "/tab/personal", headers={"Cookie": f"{COOKIE}={cookie}"}, app=bot.app
    )
    return await reader_from_request(request)
