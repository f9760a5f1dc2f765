"""Material use cases against in-memory fakes: who may file, where it goes, what is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.material import FileRefused, FileRules, MaterialKind
from domain.model import ConversationKind, ConversationRef, Meeting, Network
from services import conversations, networks
from services.graph_port import GraphFailure
from services.material import (
    FilingFailed,
    FilingPlan,
    IncomingFile,
    file_material,
    plan_filing,
    share_link,
)
from services.material_search import find_material
from services.network_file import parse_network_file
from services.networks import Actor
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeStore, FakeUnitOfWork
from tests.fakes_material import FakeGraphFiles
from tests.support.networks import SMALL, TRIP, small_network

SLUG = "kompakte-groenne-byer"
CHANNEL = "19:general@thread.tacv2"
PERSONAL = "a:personal-29:odense"
ODENSE = Actor(teams_user_id="29:odense")
STRANGER = Actor(teams_user_id="29:stranger")
ROSTER = FakeDirectory(
    {"29:odense": "planner.odense@example.org", "29:stranger": "someone@example.org"}
)
URL = "https://download.example.org/file?tempauth=x"
RULES = FileRules(max_bytes=1000)


def label(network: Network, meeting: Meeting) -> str:
    return f"Netværksmøde {meeting.number}"


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
async def uow(store: FakeStore) -> FakeUnitOfWork:
    await networks.import_network(FakeUnitOfWork(store), small_network())
    ref = ConversationRef(
        conversation_id=CHANNEL,
        kind=ConversationKind.CHANNEL,
        service_url="http://127.0.0.1:9/",
        channel_id="msteams",
        team_id=CHANNEL,
        team_aad_group_id="group-1",
        teams_channel_id=CHANNEL,
    )
    await conversations.record_conversation(FakeUnitOfWork(store), ref)
    await FakeUnitOfWork(store).conversations.link(CHANNEL, SLUG)
    return FakeUnitOfWork(store)


@pytest.fixture
def graph() -> FakeGraphFiles:
    fake = FakeGraphFiles()
    fake.downloads[URL] = b"%PDF-1.7 notes"
    return fake


async def plan(uow: FakeUnitOfWork, clock: FixedClock, name: str, caption: str = "") -> FilingPlan:
    return await plan_filing(
        uow, clock, PERSONAL, ODENSE, ROSTER, IncomingFile(name, URL, "pdf", caption), RULES, label
    )


async def test_a_file_goes_into_the_next_meetings_folder_under_netpuls(
    uow: FakeUnitOfWork, clock: FixedClock, graph: FakeGraphFiles
) -> None:
    planned = await plan(uow, clock, "Noter.pdf", "#grøn Noter fra Odense")
    filed = await file_material(uow, clock, graph, RULES, planned, URL)
    assert list(graph.files) == [
        "group-1/19:general@thread.tacv2/netpuls/2024-03-14 Netværksmøde 1/Noter.pdf"
    ]
    material = filed.material
    assert (material.kind, material.meeting_number, material.themes) == (
        MaterialKind.FILE,
        1,
        ("grøn",),
    )
    assert (
        material.title == "#grøn Noter fra Odense"
        and material.shared_by_name == "Planlægger Odense"
    )
    assert material.size == 14 and material.drive_item_id == "item-1" and not filed.duplicate


async def test_a_number_first_in_the_caption_picks_the_meeting(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    planned = await plan(uow, clock, "Noter.pdf", "2 oplæg")
    assert planned.folders == ("netpuls", "2024-05-30 Netværksmøde 2")
    assert planned.title == "oplæg"


async def test_after_the_last_meeting_material_goes_to_the_latest(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    clock.current = datetime(2025, 1, 1, tzinfo=UTC)
    planned = await plan(uow, clock, "Noter.pdf")
    assert planned.meeting.number == 2


async def test_the_same_file_twice_is_recorded_and_uploaded_once(
    uow: FakeUnitOfWork, clock: FixedClock, graph: FakeGraphFiles
) -> None:
    first = await file_material(uow, clock, graph, RULES, await plan(uow, clock, "a.pdf"), URL)
    again = await file_material(uow, clock, graph, RULES, await plan(uow, clock, "b.pdf"), URL)
    assert again.duplicate and again.material == first.material and graph.uploads == 1


async def test_a_file_type_not_on_the_list_is_refused_before_anything_else(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(FileRefused):
        await plan_filing(
            uow, clock, PERSONAL, ODENSE, ROSTER, IncomingFile("run.exe", URL, "exe"), RULES, label
        )


async def test_an_oversized_download_is_refused_and_nothing_is_uploaded(
    uow: FakeUnitOfWork, clock: FixedClock, graph: FakeGraphFiles
) -> None:
    graph.downloads[URL] = b"x" * 1001
    planned = await plan(uow, clock, "big.pdf")
    with pytest.raises(FileRefused) as refused:
        await file_material(uow, clock, graph, RULES, planned, URL)
    assert refused.value.params["limit"] == 0 and graph.uploads == 0


async def test_a_graph_failure_becomes_a_message_and_records_nothing(
    uow: FakeUnitOfWork, clock: FixedClock, graph: FakeGraphFiles
) -> None:
    graph.fail_with = GraphFailure(403, "accessDenied", "no")
    with pytest.raises(FilingFailed) as failed:
        await file_material(uow, clock, graph, RULES, await plan(uow, clock, "a.pdf"), URL)
    assert failed.value.params["code"] == "accessDenied"
    assert (await find_material(uow, clock, PERSONAL, ODENSE, ROSTER, "")).items == ()


async def test_someone_outside_the_network_may_not_file(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(NotAllowed):
        await plan_filing(
            uow, clock, PERSONAL, STRANGER, ROSTER, IncomingFile("a.pdf", URL), RULES, label
        )


async def test_without_a_linked_channel_filing_is_refused(
    store: FakeStore, clock: FixedClock
) -> None:
    await networks.import_network(FakeUnitOfWork(store), small_network())
    with pytest.raises(NotFound):
        await plan_filing(
            FakeUnitOfWork(store),
            clock,
            PERSONAL,
            ODENSE,
            ROSTER,
            IncomingFile("a.pdf", URL),
            RULES,
            label,
        )


async def test_a_shared_link_is_recorded_once_for_the_meeting_it_names(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    first = await share_link(
        uow,
        clock,
        PERSONAL,
        ODENSE,
        ROSTER,
        "https://example.org/rapport #2 Rapport om #fortætning",
    )
    again = await share_link(uow, clock, PERSONAL, ODENSE, ROSTER, "https://example.org/rapport #2")
    other = await share_link(uow, clock, PERSONAL, ODENSE, ROSTER, "https://example.org/rapport")
    assert first.material.meeting_number == 2 and first.material.title == "Rapport om #fortætning"
    assert first.material.themes == ("fortætning",)
    assert again.duplicate and again.material.id == first.material.id
    # The same address for another meeting (here the next one) is that meeting's material too.
    assert not other.duplicate and other.material.meeting_number == 1
    with pytest.raises(InvalidInput):
        await share_link(uow, clock, PERSONAL, ODENSE, ROSTER, "not-a-link")


async def test_a_link_shared_for_the_study_trip_is_the_trips_material(
    store: FakeStore, clock: FixedClock
) -> None:
    # The trip's messages say "share trip <link>" (del studietur, dela studieresa).
    with_trip = parse_network_file(SMALL + TRIP, name="small.yaml", today=date(2024, 3, 1))
    await networks.import_network(FakeUnitOfWork(store), with_trip)
    uow = FakeUnitOfWork(store)
    for words in ("trip", "studietur", "Studieresa"):
        url = f"https://example.org/{words}"
        filed = await share_link(uow, clock, PERSONAL, ODENSE, ROSTER, f"{words} {url} Program")
        assert filed.material.meeting_number == 3 and filed.material.title == "Program"


async def test_sharing_for_a_study_trip_the_network_lacks_is_refused(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(NotFound, match="study trip"):
        await share_link(uow, clock, PERSONAL, ODENSE, ROSTER, "studietur https://example.org/a")


async def test_material_is_found_by_meeting_and_by_words(
    uow: FakeUnitOfWork, clock: FixedClock, graph: FakeGraphFiles
) -> None:
    await share_link(uow, clock, PERSONAL, ODENSE, ROSTER, "https://example.org/a #2 Grøn by")
    await share_link(uow, clock, PERSONAL, ODENSE, ROSTER, "https://example.org/b Trafik")
    by_default = await find_material(uow, clock, PERSONAL, ODENSE, ROSTER, "")
    by_number = await find_material(uow, clock, PERSONAL, ODENSE, ROSTER, "2")
    by_words = await find_material(uow, clock, PERSONAL, ODENSE, ROSTER, "#GRØN by")
    assert [m.title for m in by_default.items] == ["Trafik"] and by_default.meeting is not None
    assert [m.title for m in by_number.items] == ["Grøn by"]
    assert [m.title for m in by_words.items] == ["Grøn by"] and by_words.meeting is None
    with pytest.raises(NotFound):
        await find_material(uow, clock, PERSONAL, ODENSE, ROSTER, "9")
