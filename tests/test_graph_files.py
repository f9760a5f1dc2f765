"""The Graph adapter (msgraph-sdk, azure-identity) against the local Graph stand-in over TLS."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from graph.client import GraphConnection
from graph.files import FRAGMENT_UNIT, GraphFiles
from netpuls.manifest import DEFAULT_TEMPLATE_DIR
from services.graph_port import Content, DriveFolder, GraphFailure, TooLarge
from tests.support.graph_adapter import connected
from tests.support.graph_server import Failure, FakeGraph
from tests.support.tls import LoopbackCertificate

# msgraph's generated request builders warn about their own deprecated classes when first used.
pytestmark = [
    pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:GetQueryParameters is deprecated:DeprecationWarning"),
]
GROUP = "6a1e3b4c-0000-4000-8000-00000000c0de"
CHANNEL = "19:general@thread.tacv2"
MIB = 1024 * 1024


@pytest.fixture
def files(graph_api: tuple[FakeGraph, str], graph_connection: GraphConnection) -> GraphFiles:
    graph_api[0].add_channel(GROUP, CHANNEL)
    return GraphFiles(graph_connection)


def content_of(data: bytes) -> Content:
    content = Content(len(data) + 1)
    content.write(data)
    return content


async def meeting_folder(files: GraphFiles) -> DriveFolder:
    root = await files.channel_folder(GROUP, CHANNEL)
    netpuls = await files.ensure_folder(root, "netpuls")
    return await files.ensure_folder(netpuls, "2024-05-30 Netværksmøde 2")


async def test_a_small_file_is_put_in_one_request_into_the_meeting_folder(
    files: GraphFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    folder = await meeting_folder(files)
    stored = await files.upload(folder, "Program #1 (udkast).pdf", content_of(b"%PDF-1.7 x"))
    assert fake.files() == {
        "General/netpuls/2024-05-30 Netværksmøde 2/Program #1 (udkast).pdf": b"%PDF-1.7 x"
    }
    assert stored.name == "Program #1 (udkast).pdf" and stored.size == 10
    assert stored.web_url.endswith("Program%20%231%20%28udkast%29.pdf")
    puts = [c for c in fake.calls if c[0] == "PUT"]
    assert len(puts) == 1 and puts[0][2] == 201 and fake.token_requests == 1


async def test_a_folder_is_created_once_and_found_afterwards(
    files: GraphFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    first = await meeting_folder(files)
    second = await meeting_folder(files)
    assert first == second
    posts = [c for c in fake.calls if c[0] == "POST" and c[1].startswith("/v1.0")]
    assert [status for _, _, status in posts] == [201, 201]


async def test_a_12_mib_file_goes_through_an_upload_session_in_correct_fragments(
    files: GraphFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    data = os.urandom(12 * MIB)
    folder = await meeting_folder(files)
    stored = await files.upload(folder, "optagelse.mp4", content_of(data))
    fragments = fake.fragments
    assert [(f.start, f.end) for f in fragments] == [
        (0, 5 * MIB - 1),
        (5 * MIB, 10 * MIB - 1),
        (10 * MIB, 12 * MIB - 1),
    ]
    assert all(f.length % FRAGMENT_UNIT == 0 for f in fragments[:-1])
    assert all(f.total == len(data) and not f.authorization for f in fragments)
    path = "General/netpuls/2024-05-30 Netværksmøde 2/optagelse.mp4"
    assert hashlib.sha256(fake.files()[path]).digest() == hashlib.sha256(data).digest()
    assert stored.size == len(data) and not fake.sessions


async def test_a_429_storm_is_survived_and_the_file_is_stored_once(
    files: GraphFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    folder = await meeting_folder(files)
    fake.fail_next(*[Failure(429, retry_after="1", path_contains="/content")] * 5)
    await files.upload(folder, "notat.docx", content_of(b"PK\x03\x04 notat"))
    throttled = [c for c in fake.calls if c[2] == 429]
    assert len(throttled) == 5
    assert len(fake.files()) == 1


async def test_throttled_fragments_are_resent_until_the_session_completes(
    files: GraphFiles, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, _ = graph_api
    data = os.urandom(6 * MIB)
    folder = await meeting_folder(files)
    fake.fail_next(
        Failure(429, path_contains="/upload/"),
        Failure(503, "serviceNotAvailable", retry_after="1", path_contains="/upload/"),
    )
    await files.upload(folder, "bilag.pdf", content_of(data))
    assert [(f.start, f.end) for f in fake.fragments] == [(0, 5 * MIB - 1), (5 * MIB, 6 * MIB - 1)]
    assert list(fake.files().values()) == [data]


async def test_graph_errors_arrive_with_graphs_code_and_status(files: GraphFiles) -> None:
    with pytest.raises(GraphFailure) as raised:
        await files.channel_folder(GROUP, "19:unknown@thread.tacv2")
    assert (raised.value.status, raised.value.code) == (404, "NotFound")


async def test_a_wrong_secret_is_a_graph_failure_not_a_crash(
    graph_api: tuple[FakeGraph, str], loopback_tls: LoopbackCertificate
) -> None:
    fake, url = graph_api
    fake.add_channel(GROUP, CHANNEL)
    async with connected(url, loopback_tls, client_secret="wrong") as connection:
        with pytest.raises(GraphFailure) as raised:
            await GraphFiles(connection).channel_folder(GROUP, CHANNEL)
    assert raised.value.status == 401


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_download_stops_beyond_the_limit_and_sends_no_token(
    files: GraphFiles, graph_api: tuple[FakeGraph, str], chunked: bool
) -> None:
    fake, url = graph_api
    path = fake.offer_download(os.urandom(2 * MIB), chunked=chunked)
    with pytest.raises(TooLarge):
        await files.download(url + path, MIB)
    small = fake.offer_download(b"hello", chunked=chunked)
    got = await files.download(url + small, MIB)
    assert got.read(0, 10) == b"hello" and got.sha256 == hashlib.sha256(b"hello").hexdigest()
    got.close()
    assert fake.download_auth == [False, False]


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_download_tells_its_media_type_without_parameters(
    files: GraphFiles, graph_api: tuple[FakeGraph, str], chunked: bool
) -> None:
    fake, url = graph_api
    page = fake.offer_download(b"<html></html>", chunked=chunked, content_type="Text/HTML; a=b")
    got = await files.download(url + page, MIB)
    got.close()
    pdf = await files.download(url + fake.offer_download(b"%PDF", chunked=chunked), MIB)
    pdf.close()
    assert (got.media_type, pdf.media_type) == ("text/html", "application/octet-stream")


async def test_only_https_download_urls_are_fetched(files: GraphFiles) -> None:
    with pytest.raises(GraphFailure) as raised:
        await files.download("http://127.0.0.1:9/download/x", MIB)
    assert raised.value.code == "invalidDownloadUrl"


def test_the_manifest_asks_for_the_resource_specific_consent_filing_needs() -> None:
    manifest = json.loads((DEFAULT_TEMPLATE_DIR / "manifest.json").read_text(encoding="utf-8"))
    rsc = manifest["authorization"]["permissions"]["resourceSpecific"]
    assert {(p["name"], p["type"]) for p in rsc} == {
        ("ChannelMessage.Read.Group", "Application"),
        ("TeamMember.Read.Group", "Application"),  # roster sync: GET /teams/{id}/members
    }
    # Filled with the bot's app id by default (the tab's SSO shares the bot's registration):
    # tests/test_manifest.py checks the built package.
    assert manifest["webApplicationInfo"]["id"] == "{{SSO_APP_ID}}"
