"""Links without `share`, files posted in the channel, and 'which meeting is this for?' (fakes)."""

# The fixtures come from test_services_material; their parameters shadow the imports on purpose.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.material import MaterialKind, links_in
from domain.model import ConversationKind, ConversationRef
from services.graph_port import GraphFailure
from services.material import FilingFailed, file_material, meeting_candidates
from services.material_intake import reassign, record_channel_files, record_links
from services.material_ports import ChannelPost
from tests.conftest import FixedClock
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.fakes_material import FakeChannelFiles, FakeGraphFiles, material_state
from tests.test_services_material import (  # noqa: F401 (fixtures)
    CHANNEL,
    ODENSE,
    PERSONAL,
    ROSTER,
    RULES,
    SLUG,
    STRANGER,
    URL,
    graph,
    label,
    plan,
    store,
    uow,
)

POST = ChannelPost("group-1", CHANNEL, "1700000000001")
# Meeting 1 is 2024-03-14 10:00-15:00 and meeting 2 2024-05-30 (Europe/Copenhagen).
AFTER_MEETING_1 = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)


def test_links_are_found_in_text_without_trailing_punctuation() -> None:
    urls, rest, too_long = links_in(
        "Se https://example.org/a, og (http://example.org/b). ftp://x.org "
        f"https://example.org/a https://example.org/{'x' * 2000}"
    )
    assert urls == ("https://example.org/a", "http://example.org/b")
    assert rest == "Se , og (). ftp://x.org" and too_long == 1


async def test_links_in_a_message_are_recorded_once_per_meeting(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore
) -> None:
    text = "#grøn Godt eksempel https://example.org/rapport"
    first = await record_links(uow, clock, PERSONAL, ODENSE, ROSTER, text)
    again = await record_links(uow, clock, PERSONAL, ODENSE, ROSTER, text)
    other = await record_links(
        uow, clock, PERSONAL, ODENSE, ROSTER, "2 https://example.org/rapport"
    )
    (item,) = first.items
    assert (item.kind, item.meeting_number, item.title) == (
        MaterialKind.LINK,
        1,
        "#grøn Godt eksempel",
    )
    assert item.themes == ("grøn",) and first.candidates == ()  # meeting 1 is 13 days away
    assert again.items == () and [m.id for m in again.known] == [item.id]
    assert other.items[0].meeting_number == 2
    assert len(material_state(store)) == 2


async def test_a_message_without_links_or_from_a_stranger_records_nothing(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore
) -> None:
    with pytest.raises(InvalidInput):
        await record_links(uow, clock, PERSONAL, ODENSE, ROSTER, "javascript:alert(1) hej")
    with pytest.raises(NotAllowed):
        await record_links(uow, clock, PERSONAL, STRANGER, ROSTER, "https://example.org/x")
    assert material_state(store) == []


async def test_the_meeting_is_unclear_right_after_a_meeting_or_long_before_the_next(
    uow: FakeUnitOfWork,
) -> None:
    network = await uow.networks.get(SLUG)
    meetings = await uow.networks.meetings(SLUG)
    assert network is not None

    def offered(now: datetime, number: int | None = None) -> list[int]:
        return [m.number for m in meeting_candidates(meetings, network, now, number)]

    assert offered(datetime(2024, 3, 1, tzinfo=UTC)) == []  # meeting 1 in 13 days: clear
    assert offered(datetime(2024, 2, 1, tzinfo=UTC)) == [1, 2]  # six weeks ahead: ask
    assert offered(AFTER_MEETING_1) == [1, 2]  # the day after meeting 1: ask
    assert offered(datetime(2024, 5, 20, tzinfo=UTC)) == []  # meeting 2 in 10 days
    assert offered(AFTER_MEETING_1, number=2) == []  # a number was written


async def test_files_posted_in_the_channel_are_recorded_from_graph_once(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore
) -> None:
    files = FakeChannelFiles()
    files.post(POST, ("Lokalplan.pdf", "01A"), ("Kort.png", "01B"))
    clock.current = AFTER_MEETING_1
    recorded = await record_channel_files(
        uow, clock, files, CHANNEL, ODENSE, ROSTER, POST, "#mobilitet"
    )
    again = await record_channel_files(uow, clock, files, CHANNEL, ODENSE, ROSTER, POST, "")
    assert [(m.title, m.file_name, m.drive_item_id) for m in recorded.items] == [
        ("Lokalplan", "Lokalplan.pdf", "01A"),
        ("Kort", "Kort.png", "01B"),
    ]
    assert all(m.sha256 is None and m.themes == ("mobilitet",) for m in recorded.items)
    single = ChannelPost("group-1", CHANNEL, "1700000000002")
    files.post(single, ("Notat.pdf", "01C"))
    captioned = await record_channel_files(
        uow, clock, files, CHANNEL, ODENSE, ROSTER, single, "2 Notat om #grøn by"
    )
    assert [m.title for m in captioned.items] == ["Notat om #grøn by"]
    assert captioned.candidates == ()  # the caption named meeting 2
    assert recorded.meeting is not None and recorded.meeting.number == 2
    assert [m.number for m in recorded.candidates] == [1, 2]
    assert again.items == () and len(again.known) == 2 and len(material_state(store)) == 3


async def test_a_graph_failure_reading_the_post_records_nothing(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore
) -> None:
    files = FakeChannelFiles()
    files.fail_with = GraphFailure(403, "Forbidden", "Missing role permissions")
    with pytest.raises(FilingFailed) as failed:
        await record_channel_files(uow, clock, files, CHANNEL, ODENSE, ROSTER, POST, "")
    assert failed.value.params["status"] == 403 and material_state(store) == []


async def test_choosing_a_meeting_moves_a_file_the_bot_filed_into_its_folder(
    uow: FakeUnitOfWork, clock: FixedClock, graph: FakeGraphFiles, store: FakeStore
) -> None:
    clock.current = AFTER_MEETING_1
    planned = await plan(uow, clock, "Referat.pdf", "#grøn Referat")
    assert [m.number for m in planned.candidates] == [1, 2]
    filed = await file_material(uow, clock, graph, RULES, planned, URL)
    assert filed.material.meeting_number == 2
    files = FakeChannelFiles()
    done = await reassign(
        uow, graph, files, label, PERSONAL, ODENSE, ROSTER, str(filed.material.id), "1", "1,2"
    )
    assert done.moved == 1 and done.meeting.number == 1
    folder = "group-1/19:general@thread.tacv2/netpuls/2024-03-14 Netværksmøde 1"
    assert files.moves == [(filed.material.drive_item_id, folder)]
    (item,) = done.items
    assert item.meeting_number == 1 and item.url.startswith(f"https://sp/{folder}/")
    network = await uow.networks.get(SLUG)
    assert network is not None
    assert item.themes == (network.themes[1], "grøn")


async def test_choosing_a_meeting_for_a_link_or_a_posted_file_changes_only_the_record(
    uow: FakeUnitOfWork, clock: FixedClock, graph: FakeGraphFiles, store: FakeStore
) -> None:
    files = FakeChannelFiles()
    files.post(POST, ("Lokalplan.pdf", "01A"))
    posted = await record_channel_files(uow, clock, files, CHANNEL, ODENSE, ROSTER, POST, "")
    link = await record_links(uow, clock, PERSONAL, ODENSE, ROSTER, "https://example.org/r")
    ids = f"{posted.items[0].id},{link.items[0].id}"
    done = await reassign(uow, graph, files, label, PERSONAL, ODENSE, ROSTER, ids, "2", "")
    assert done.moved == 0 and files.moves == []
    assert [m.meeting_number for m in done.items] == [2, 2]
    assert done.items[0].url == posted.items[0].url


@pytest.mark.parametrize(
    ("ids", "number"),
    [("999", "1"), ("1", "9"), ("x", "1"), ("1", "1; DROP")],
)
async def test_a_bad_choice_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork,
    clock: FixedClock,
    graph: FakeGraphFiles,
    store: FakeStore,
    ids: str,
    number: str,
) -> None:
    await record_links(uow, clock, PERSONAL, ODENSE, ROSTER, "https://example.org/r")
    before = list(material_state(store))
    with pytest.raises(NotFound):
        await reassign(uow, graph, None, label, PERSONAL, ODENSE, ROSTER, ids, number, "0")
    assert material_state(store) == before


async def test_a_failed_move_keeps_the_record_where_it_was(
    uow: FakeUnitOfWork, clock: FixedClock, graph: FakeGraphFiles, store: FakeStore
) -> None:
    filed = await file_material(uow, clock, graph, RULES, await plan(uow, clock, "A.pdf"), URL)
    files = FakeChannelFiles()
    files.fail_with = GraphFailure(423, "resourceLocked", "The file is open")
    with pytest.raises(FilingFailed):
        await reassign(
            uow, graph, files, label, PERSONAL, ODENSE, ROSTER, str(filed.material.id), "2", ""
        )
    (kept,) = [m for _, m in material_state(store)]
    assert kept.meeting_number == 1 and kept.url == filed.material.url


async def test_a_channel_post_without_the_group_id_is_read_by_the_stored_one(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore
) -> None:
    files = FakeChannelFiles()
    files.post(POST, ("Lokalplan.pdf", "01A"))
    # Teams' channel messages name the team by its thread id only; the reference has the group.
    unnamed = ChannelPost(None, CHANNEL, POST.message_id)
    recorded = await record_channel_files(
        uow, clock, files, f"{CHANNEL};messageid={POST.message_id}", ODENSE, ROSTER, unnamed, ""
    )
    assert [m.drive_item_id for m in recorded.items] == ["01A"]


async def test_another_channel_of_the_team_reads_the_group_id_of_the_general_channel(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore
) -> None:
    other = "19:planning@thread.tacv2"
    await uow.conversations.save(
        ConversationRef(
            conversation_id=other,
            kind=ConversationKind.CHANNEL,
            service_url="http://127.0.0.1:9/",
            channel_id="msteams",
            team_id=CHANNEL,  # the General channel's id is the team's id
            teams_channel_id=other,
        )
    )
    files = FakeChannelFiles()
    files.post(ChannelPost("group-1", other, "1700000000003"), ("Kort.png", "01B"))
    recorded = await record_channel_files(
        uow, clock, files, other, ODENSE, ROSTER, ChannelPost(None, other, "1700000000003"), ""
    )
    assert [m.drive_item_id for m in recorded.items] == ["01B"]


async def test_a_channel_post_of_an_unknown_group_is_refused_before_graph_is_asked(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore
) -> None:
    files = FakeChannelFiles()
    files.fail_with = GraphFailure(500, "shouldNotBeAsked", "")
    with pytest.raises(FilingFailed) as refused:
        await record_channel_files(
            uow,
            clock,
            files,
            "19:unknown@thread.tacv2",
            ODENSE,
            ROSTER,
            ChannelPost(None, "19:unknown@thread.tacv2", "1700000000004"),
            "",
        )
    assert "Microsoft 365 group" in refused.value.msgid and material_state(store) == []
