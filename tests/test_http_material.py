"""Filing over HTTP: real file activities in a personal chat; Graph and Connector on loopback."""

from __future__ import annotations

import os
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from netpuls.wiring import BACKGROUND, GRAPH_TIMERS
from storage.material import MaterialRow
from tests import contracts
from tests.support import activities as act
from tests.support.bot_app import BotStarter, graph_settings
from tests.support.graph_server import Failure, FakeGraph
from tests.support.http import link_channel
from tests.support.networks import small_network
from tests.support.tls import LoopbackCertificate

# msgraph's generated request builders warn about their own deprecated classes when first used.
pytestmark = [
    pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:GetQueryParameters is deprecated:DeprecationWarning"),
]
FILE_DOWNLOAD = "application/vnd.microsoft.teams.file.download.info"
GROUP = "group-aad-1"  # the team's aadGroupId in tests.support.activities
FOLDER = "General/netpuls/2024-03-14 Netværksmøde 1"
MAILBOX = "netvaerk@example.org"
PEOPLE = {"29:fac": "facilitator@example.org", "29:odense": "planner.odense@example.org"}


@pytest.fixture
async def bot(
    start_bot: BotStarter,
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    loopback_tls: LoopbackCertificate,
) -> TestClient[Any, Any]:
    """The anonymous bot with Graph pointed at the stand-in, the channel linked to the network."""
    _, url = connector
    graph, graph_url = graph_api
    graph.add_channel(GROUP, act.TEAM_ID)
    graph_on = graph_settings(graph_url, loopback_tls)
    client = await start_bot(
        PEOPLE, network=small_network(), scheduler_enabled=True, material_max_mb=1, **graph_on
    )
    channel = act.channel(url, user_id="29:fac", aad=None, name="Facilitator")
    await link_channel(client, channel)
    return client


async def post(client: TestClient[Any, Any], activity: dict[str, Any]) -> int:
    response = await client.post("/api/messages", json=activity)
    await client.app[BACKGROUND].drain()
    return response.status


def file_message(
    connector_url: str, graph_url: str, graph: FakeGraph, name: str, data: bytes, **kind: str
) -> dict[str, Any]:
    """A personal-chat message with one file, as Teams delivers it to a bot."""
    where = act.personal(connector_url, user_id="29:odense", aad=None, name="Planlægger Odense")
    activity = act.message(where, "")
    activity["attachments"] = [
        {
            "contentType": FILE_DOWNLOAD,
            "contentUrl": f"https://contoso-my.sharepoint.com/personal/odense/Documents/{name}",
            "name": name,
            "content": {
                "downloadUrl": graph_url + graph.offer_download(data),
                "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
                "fileType": kind.get("file_type", name.rpartition(".")[2]),
            },
        }
    ]
    return activity


async def records(uow_factory: Any) -> int:
    async with uow_factory() as uow:
        return int(await uow._session.scalar(select(func.count()).select_from(MaterialRow)))


def receipts(fake: Any) -> list[dict[str, Any]]:
    return [
        s.activity["attachments"][0]["content"] for s in fake.sent if s.activity.get("attachments")
    ]


async def test_a_file_sent_in_a_personal_chat_is_filed_in_the_meetings_folder(
    bot: Any, connector: Any, graph_api: tuple[FakeGraph, str], uow_factory: Any
) -> None:
    fake, url = connector
    graph, graph_url = graph_api
    status = await post(bot, file_message(url, graph_url, graph, "Notat.pdf", b"%PDF-1.7 notat"))
    assert status in (200, 201)
    assert "Filing Notat.pdf in netpuls/2024-03-14 Netværksmøde 1" in fake.texts()[-2]
    assert graph.files() == {f"{FOLDER}/Notat.pdf": b"%PDF-1.7 notat"}
    (card,) = receipts(fake)
    assert "Filed in the channel's files" in str(card) and "Network meeting 1" in str(card)
    (action,) = card["actions"]
    assert (
        action["url"].startswith("https://contoso.sharepoint.com/") and "Notat.pdf" in action["url"]
    )
    assert graph.download_auth == [False] and await records(uow_factory) == 1


async def test_a_429_storm_is_survived_and_the_file_is_filed_once(
    bot: Any, connector: Any, graph_api: tuple[FakeGraph, str], uow_factory: Any
) -> None:
    fake, url = connector
    graph, graph_url = graph_api
    graph.fail_next(*[Failure(429, retry_after="1", path_contains="/v1.0/")] * 5)
    await post(bot, file_message(url, graph_url, graph, "Program.docx", b"PK\x03\x04 program"))
    assert len([c for c in graph.calls if c[2] == 429]) == 5
    assert list(graph.files()) == [f"{FOLDER}/Program.docx"]
    assert await records(uow_factory) == 1 and len(receipts(fake)) == 1


async def test_a_malicious_file_name_never_escapes_the_meeting_folder(
    bot: Any, connector: Any, graph_api: tuple[FakeGraph, str]
) -> None:
    _, url = connector
    graph, graph_url = graph_api
    for name in ("../../../Shared/evil.pdf", "..\\..\\x.pdf", "%2e%2e%2fy.pdf", "CON.pdf"):
        await post(bot, file_message(url, graph_url, graph, name, os.urandom(64)))
    paths = list(graph.files())
    assert len(paths) == 4
    assert all(p.startswith(FOLDER + "/") and p.count("/") == FOLDER.count("/") + 1 for p in paths)


@pytest.mark.parametrize(
    ("name", "size", "expected"),
    [
        ("setup.exe", 10, "files of type .exe are not accepted"),
        ("video.mp4", 2 * 1024 * 1024, "it is larger than 1 MB"),
    ],
)
async def test_a_refused_file_gets_a_reason_and_nothing_is_uploaded(
    bot: Any,
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
    name: str,
    size: int,
    expected: str,
) -> None:
    fake, url = connector
    graph, graph_url = graph_api
    await post(bot, file_message(url, graph_url, graph, name, os.urandom(size)))
    assert expected in "\n".join(fake.texts())
    assert graph.files() == {} and not graph.sessions and await records(uow_factory) == 0


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        # The file name as typed, escaped for Teams' Markdown (it shows as file_example.txt).
        ("en-US", r"file\_example.txt reached me as a web page, not as the file itself"),
        ("da-DK", r"file\_example.txt kom frem til mig som en webside, ikke som selve filen"),
        ("sv-SE", r"file\_example.txt kom fram till mig som en webbsida, inte som själva filen"),
    ],
)
async def test_a_download_that_is_a_web_page_is_refused_in_the_senders_language(
    bot: Any,
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
    locale: str,
    expected: str,
) -> None:
    fake, url = connector
    graph, graph_url = graph_api
    # The documented personal file, whose downloadUrl answers with a sharing page (Teams for
    # iOS has been seen to send such a link).
    activity = contracts.load("teams", "message-personal-file", serviceUrl=url, locale=locale)
    page = b"<!DOCTYPE html><html><head><title>file_example.txt</title></head></html>"
    download = graph.offer_download(page, content_type="text/html; charset=utf-8")
    activity["attachments"][0]["content"]["downloadUrl"] = graph_url + download
    await post(bot, activity)
    assert expected in fake.texts()[-1]
    assert graph.files() == {} and not graph.sessions and await records(uow_factory) == 0


async def test_the_same_file_sent_twice_is_filed_and_recorded_once(
    bot: Any, connector: Any, graph_api: tuple[FakeGraph, str], uow_factory: Any
) -> None:
    fake, url = connector
    graph, graph_url = graph_api
    data = os.urandom(512)
    await post(bot, file_message(url, graph_url, graph, "Bilag.pdf", data))
    await post(bot, file_message(url, graph_url, graph, "Bilag (kopi).pdf", data))
    first, second = receipts(fake)
    assert "Already filed" in str(second) and first["actions"] == second["actions"]
    assert len(graph.files()) == 1 and await records(uow_factory) == 1


async def test_shared_links_and_files_are_listed_by_material(
    bot: Any, connector: Any, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, url = connector
    graph, graph_url = graph_api
    where = act.personal(url, user_id="29:odense", aad=None, name="Planlægger Odense")
    await post(bot, file_message(url, graph_url, graph, "Notat.pdf", b"%PDF notat"))
    await post(bot, act.message(where, "share https://example.org/rapport #grøn Rapport"))
    await post(bot, act.message(where, "material"))
    listing = str(receipts(fake)[-1])
    assert "Material for Network meeting 1" in listing
    assert "[#grøn Rapport](https://example.org/rapport)" in listing and "[Notat](" in listing
    await post(bot, act.message(where, "material grøn"))
    assert "Notat" not in str(receipts(fake)[-1])


async def test_without_graph_settings_a_file_gets_a_clear_answer(
    start_bot: BotStarter, connector: Any, graph_api: tuple[FakeGraph, str]
) -> None:
    fake, url = connector
    graph, graph_url = graph_api
    client = await start_bot({}, network=small_network(), scheduler_enabled=True)
    await post(client, file_message(url, graph_url, graph, "Notat.pdf", b"%PDF"))
    assert "connection to Microsoft Graph is not set up" in fake.texts()[-1]
    assert graph.download_auth == [] and graph.token_requests == 0


async def test_filing_and_the_meeting_event_take_one_graph_token_between_them(
    start_bot: BotStarter,
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    loopback_tls: LoopbackCertificate,
) -> None:
    """One Graph connection per process: the calendar job and filing share its token cache."""
    _, url = connector
    graph, graph_url = graph_api
    graph.add_channel(GROUP, act.TEAM_ID)
    graph.directory.mailboxes.add(MAILBOX)
    client = await start_bot(
        PEOPLE,
        network=small_network(),
        material_max_mb=1,
        graph_organiser_mailbox=MAILBOX,
        **graph_settings(graph_url, loopback_tls),
    )
    channel = act.channel(url, user_id="29:fac", aad=None, name="Facilitator")
    await link_channel(client, channel)
    await post(client, act.message(channel, "agenda 1", mention=True))
    assert (await client.app[GRAPH_TIMERS].jobs.run_calendar()).created == 1
    await post(client, file_message(url, graph_url, graph, "Notat.pdf", b"%PDF-1.7 notat"))
    assert list(graph.files()) == [f"{FOLDER}/Notat.pdf"]
    assert graph.token_requests == 1
