"""The D-14 material pack and the agenda card show the material recorded for the meeting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.features.cadence.messages import cadence_renderer
from bot.features.meetings.views import agenda_view
from bot.routing.links import Links
from cards.agenda import agenda_card
from domain.material import Material, MaterialKind
from domain.model import ConversationKind, ConversationRef
from netpuls.i18n import translator
from services import networks
from services.cadence import StepContext
from services.meeting_state import load_state
from services.ports import Outbound, StepRecord
from tests.conftest import FixedClock
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.support.cadence_messages import step_messages
from tests.support.networks import small_network

SLUG = "kompakte-groenne-byer"
AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
CHANNEL = ConversationRef(
    conversation_id="19:general@thread.tacv2",
    kind=ConversationKind.CHANNEL,
    service_url="http://127.0.0.1:9/",
    channel_id="msteams",
)
NOTE = Material(
    title="Baggrundsnotat om fortætning",
    kind=MaterialKind.FILE,
    url="https://contoso.sharepoint.com/sites/N/General/netpuls/notat.pdf",
    shared_by="planner.odense@example.org",
    shared_by_name="Planlægger Odense",
    shared_at=AT,
    meeting_number=1,
    file_name="notat.pdf",
    size=2048,
    sha256="a" * 64,
)
LINK = Material(
    title="Rapport om grønne byer",
    kind=MaterialKind.LINK,
    url="https://example.org/rapport",
    shared_by="facilitator@example.org",
    shared_by_name="Netværksfacilitator",
    shared_at=AT + timedelta(hours=1),
    meeting_number=1,
)
ELSEWHERE = Material(
    title="Til møde 2",
    kind=MaterialKind.LINK,
    url="https://example.org/to",
    shared_by="facilitator@example.org",
    shared_by_name="Netværksfacilitator",
    shared_at=AT,
    meeting_number=2,
)


async def pack(*shared: Material) -> tuple[list[Outbound], Any]:
    store = FakeStore()
    uow = FakeUnitOfWork(store)
    await networks.import_network(uow, small_network())
    async with uow:
        for item in shared:
            await uow.material.add(SLUG, item)
        state = await load_state(uow, FixedClock(AT), SLUG, 1)
    network = state.network
    step = StepRecord("k", SLUG, "material_pack", 1, "", AT, "planned", "")
    context = StepContext(step=step, network=network, state=state, channels=(CHANNEL,))
    render = cadence_renderer(step_messages(lambda s: Outbound(text="agenda")))
    return [target.message for target in render(context)], state


def texts_of(card: Any) -> str:
    return str(card)


async def test_the_pack_lists_the_meetings_own_material_with_kind_sharer_and_link() -> None:
    (message,), _ = await pack(NOTE, LINK, ELSEWHERE)
    assert message.text is not None and "Materiale til møde 1" in message.text  # in Danish
    assert "2 indtil nu" in message.text
    card = texts_of(message.card)
    assert f"[Baggrundsnotat om fortætning]({NOTE.url})" in card
    assert f"[Rapport om grønne byer]({LINK.url})" in card
    assert "Planlægger Odense" in card and "Netværksfacilitator" in card
    assert "Fil · Netværksmøde 1 · Planlægger Odense" in card and "2 KB" in card
    assert "Link · Netværksmøde 1 · Netværksfacilitator" in card
    assert "Til møde 2" not in card
    # Newest first.
    assert card.index("Rapport om grønne byer") < card.index("Baggrundsnotat")


async def test_without_material_the_pack_asks_for_it() -> None:
    (message,), _ = await pack(ELSEWHERE)
    assert message.card is None and message.text is not None
    assert "intet er delt endnu" in message.text


async def test_the_agenda_card_links_the_meetings_material() -> None:
    _, state = await pack(NOTE, LINK)
    view = agenda_view(state, Links("http://127.0.0.1:3978", b"k"))
    card = str(agenda_card(view, translator("en")))
    assert "Material" in card and f"[Baggrundsnotat om fortætning]({NOTE.url})" in card
    assert f"({LINK.url})" in card
