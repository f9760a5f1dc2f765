"""Files posted in a channel, shared links and moves: the msgraph adapter against the stand-in."""

from __future__ import annotations

import base64

import pytest

from graph.client import GraphConnection
from graph.messages import GraphChannelFiles, share_id
from services.graph_port import DriveFile, DriveFolder, GraphFailure
from services.material_ports import ChannelPost
from tests.support.graph_server import Failure, FakeGraph
from tests.test_graph_files import CHANNEL, GROUP

pytestmark = [
    pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:GetQueryParameters is deprecated:DeprecationWarning"),
]


@pytest.fixture
def channel_files(
    graph_api: tuple[FakeGraph, str], graph_connection: GraphConnection
) -> GraphChannelFiles:
    graph_api[0].add_channel(GROUP, CHANNEL)
    return GraphChannelFiles(graph_connection)


def put_file(fake: FakeGraph, name: str, *folders: str) -> DriveFile:
    """A file somewhere below the channel's folder, as people put files there."""
    parent = fake.channels[(GROUP, CHANNEL)]
    for folder in folders:
        parent = fake.drive.add(parent, folder, folder=True, conflict="fail").id
    item = fake.drive.add(parent, name, folder=False, conflict="fail", content=b"data")
    body = fake.drive.as_json(item)
    return DriveFile(fake.drive.id, item.id, item.name, body["webUrl"], 4)


def test_sharing_urls_are_encoded_as_microsoft_documents() -> None:
    # "Encoding sharing URLs": base64url without padding, '/' as '_', '+' as '-', after 'u!'.
    url = "https://contoso.sharepoint.com/sites/N/Shared Documents/General/a?b=1&c=ÿ~"
    encoded = share_id(url)
    assert encoded.startswith("u!") and not set("=/+") & set(encoded)
    raw = encoded[2:]
    assert base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode() == url


async def test_the_files_of_a_channel_post_and_of_a_reply_are_read(
    channel_files: GraphChannelFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    plan = put_file(fake, "Lokalplan 12.pdf")
    notes = put_file(fake, "Noter.docx")
    root = fake.channel_messages.post_files(
        fake.drive, GROUP, CHANNEL, [fake.drive.get(plan.item_id)]
    )
    reply = fake.channel_messages.post_files(
        fake.drive, GROUP, CHANNEL, [fake.drive.get(notes.item_id)], parent=root
    )
    (posted,) = await channel_files.posted_files(ChannelPost(GROUP, CHANNEL, root))
    (answered,) = await channel_files.posted_files(ChannelPost(GROUP, CHANNEL, root, reply))
    assert posted.name == "Lokalplan 12.pdf" and "General/Lokalplan 12.pdf" in posted.url
    assert answered.name == "Noter.docx"
    paths = [c[1] for c in fake.calls if "/messages/" in c[1]]
    assert paths == [
        f"/v1.0/teams/{GROUP}/channels/{CHANNEL}/messages/{root}",
        f"/v1.0/teams/{GROUP}/channels/{CHANNEL}/messages/{root}/replies/{reply}",
    ]


async def test_a_posted_file_is_found_by_its_address(
    channel_files: GraphChannelFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    placed = put_file(fake, "Kort over stationsbyen.pdf", "Møde 2")
    root = fake.channel_messages.post_files(
        fake.drive, GROUP, CHANNEL, [fake.drive.get(placed.item_id)]
    )
    (posted,) = await channel_files.posted_files(ChannelPost(GROUP, CHANNEL, root))
    found = await channel_files.item_by_url(posted.url)
    assert (found.drive_id, found.item_id, found.name) == (
        placed.drive_id,
        placed.item_id,
        "Kort over stationsbyen.pdf",
    )
    assert any(c[1].startswith("/v1.0/shares/u!") for c in fake.calls)


async def test_an_unknown_message_or_address_is_a_graph_failure(
    channel_files: GraphChannelFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    with pytest.raises(GraphFailure) as missing:
        await channel_files.posted_files(ChannelPost(GROUP, CHANNEL, "1700000000000"))
    with pytest.raises(GraphFailure) as unknown:
        await channel_files.item_by_url("https://contoso.sharepoint.com/nothing.pdf")
    assert missing.value.status == 404 and unknown.value.status == 404


async def test_a_move_goes_to_the_folder_and_renames_on_a_clash(
    channel_files: GraphChannelFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    first = put_file(fake, "Notat.pdf", "Møde 1")
    taken = put_file(fake, "Notat.pdf", "Møde 2")
    target = fake.drive.get(fake.drive.items[taken.item_id].parent or "")
    folder = DriveFolder(fake.drive.id, target.id, target.name)
    fake.fail_next(Failure(429, retry_after="0", path_contains="/items/"))
    moved = await channel_files.move(first, folder)
    assert fake.drive.path(moved.item_id) == "General/Møde 2/Notat 1.pdf"
    assert moved.item_id == first.item_id and "Notat%201.pdf" in moved.web_url
