"""Material without a command, over HTTP: channel file stubs read through Graph, plain links,
and the 'which meeting is this for?' card; the Graph stand-in and the Connector on loopback."""

# The bot fixture comes from test_http_material; parameters shadow the import on purpose.
# ruff: noqa: F401, F811

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from domain.material import MaterialKind
from netpuls.wiring import BACKGROUND
from tests import contracts
from tests.conftest import FixedClock
from tests.support import activities as act
from tests.support.graph_server import FakeGraph
from tests.test_http_material import (
    FOLDER,
    GROUP,
    bot,
    file_message,
    post,
    receipts,
)

pytestmark = [
    pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:GetQueryParameters is deprecated:DeprecationWarning"),
]
SLUG = "kompakte-groenne-byer"
AFTER_MEETING_1 = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)


async def everything(uow_factory: Any) -> list[Any]:
    async with uow_factory() as uow:
        return list(await uow.material.search(SLUG, meeting=None, words=(), limit=50))


def stub_message(connector_url: str, message_id: str, text: str = "") -> dict[str, Any]:
    """A channel message with a file, as Teams hands it to a bot: an HTML stub, no file."""
    where = act.channel(
        connector_url, user_id="29:odense", aad=None, name="Planlægger Odense", thread=message_id
    )  # a new post: its reply chain is named by its own id
    activity = act.message(where, text)
    activity["id"] = message_id
    activity["attachments"] = [
        {
            "contentType": "text/html",
            "content": '<div><div><attachment id="5e7a7ae4-1b5d"></attachment></div></div>',
        }
    ]
    return activity


def post_in_channel(graph: FakeGraph, name: str, parent: str | None = None) -> tuple[Any, str]:
    """A file put in the channel's folder and posted with a message: the item, the message id."""
    folder = graph.channels[(GROUP, act.TEAM_ID)]
    item = graph.drive.add(folder, name, folder=False, conflict="fail", content=b"pdf")
    return item, graph.channel_messages.post_files(
        graph.drive, GROUP, act.TEAM_ID, [item], parent=parent
    )


async def test_a_file_posted_in_the_channel_is_read_through_graph_and_recorded(
    bot: TestClient[Any, Any],
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
) -> None:
    fake, url = connector
    graph, _ = graph_api
    item, message_id = post_in_channel(graph, "Lokalplan 12.pdf")
    await post(bot, stub_message(url, message_id))
    await post(bot, stub_message(url, message_id))  # Teams may deliver it twice
    (recorded,) = await everything(uow_factory)
    assert (recorded.kind, recorded.file_name, recorded.drive_item_id) == (
        MaterialKind.FILE,
        "Lokalplan 12.pdf",
        item.id,
    )
    assert recorded.meeting_number == 1 and recorded.sha256 is None
    answer = fake.sent[-1]
    assert answer.conversation_id == f"{act.TEAM_ID};messageid={message_id}"  # in the thread
    assert "Recorded as material for Network meeting 1: Lokalplan 12" in answer.activity["text"]
    assert graph.files() == {"General/Lokalplan 12.pdf": b"pdf"}  # nothing uploaded or moved


def teams_channel_message(
    connector_url: str, message_id: str, *, channel: str = act.TEAM_ID, root: str | None = None
) -> dict[str, Any]:
    """A channel message as Teams documents it for a bot with RSC: only its HTML, no file,
    and the team's id without its aadGroupId."""
    activity = contracts.load("teams", "message-channel-file", serviceUrl=connector_url)
    activity["id"] = message_id
    activity["conversation"]["id"] = f"{channel};messageid={root or message_id}"
    activity["channelData"]["channel"]["id"] = activity["channelData"]["teamsChannelId"] = channel
    return activity


async def test_a_channel_file_post_as_teams_sends_it_is_read_through_graph_and_recorded(
    bot: TestClient[Any, Any],
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
) -> None:
    fake, url = connector
    graph, _ = graph_api
    item, message_id = post_in_channel(graph, "Lokalplan 12.pdf")
    activity = teams_channel_message(url, message_id)
    assert "aadGroupId" not in activity["channelData"]["team"]
    assert "<attachment" not in str(activity["attachments"])
    assert await post(bot, activity) in (200, 201)
    (recorded,) = await everything(uow_factory)
    assert (recorded.kind, recorded.file_name, recorded.drive_item_id) == (
        MaterialKind.FILE,
        "Lokalplan 12.pdf",
        item.id,
    )
    # Graph was asked by the group id from the stored reference, not by the Teams thread id.
    read = [c[1] for c in graph.calls if c[1].endswith(f"/messages/{message_id}")]
    assert [path.split("/channels/")[0] for path in read] == [f"/v1.0/teams/{GROUP}"]
    answer = fake.sent[-1]
    assert answer.conversation_id == f"{act.TEAM_ID};messageid={message_id}"
    # In the sender's language (the documented payload's locale is da-DK).
    assert "Registreret som materiale til Netværksmøde 1: Lokalplan 12" in answer.activity["text"]


async def test_a_channel_message_without_files_records_nothing_and_says_nothing(
    bot: TestClient[Any, Any],
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
) -> None:
    fake, url = connector
    graph, _ = graph_api
    message_id = graph.channel_messages.post_files(
        graph.drive, GROUP, act.TEAM_ID, [], text="Godmorgen"
    )
    activity = teams_channel_message(url, message_id)
    activity["text"] = "Godmorgen"
    activity["attachments"] = [{"contentType": "text/html", "content": "<p>Godmorgen</p>"}]
    sent = len(fake.sent)
    assert await post(bot, activity) in (200, 201)
    assert await everything(uow_factory) == [] and len(fake.sent) == sent
    assert any(c[1].endswith(f"/messages/{message_id}") and c[2] == 200 for c in graph.calls)


async def test_a_file_post_before_the_teams_group_is_known_is_left_without_an_error(
    bot: TestClient[Any, Any],
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
) -> None:
    fake, url = connector
    graph, _ = graph_api
    _, message_id = post_in_channel(graph, "Kort.pdf")
    # Another team's channel: no event with its aadGroupId has been stored yet.
    other = "19:other-team@thread.tacv2"
    activity = teams_channel_message(url, message_id, channel=other)
    activity["channelData"]["team"]["id"] = activity["channelData"]["teamsTeamId"] = other
    sent, calls = len(fake.sent), len(graph.calls)
    assert await post(bot, activity) in (200, 201)
    assert await everything(uow_factory) == [] and len(fake.sent) == sent
    assert not any("/messages/" in c[1] for c in graph.calls[calls:])


async def test_a_file_in_a_reply_is_read_from_the_reply(
    bot: TestClient[Any, Any],
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
) -> None:
    _, url = connector
    graph, _ = graph_api
    root = graph.channel_messages.post_files(graph.drive, GROUP, act.TEAM_ID, [])
    _, reply = post_in_channel(graph, "Noter.docx", parent=root)
    activity = stub_message(url, reply)
    activity["conversation"]["id"] = f"{act.TEAM_ID};messageid={root}"
    await post(bot, activity)
    assert [m.file_name for m in await everything(uow_factory)] == ["Noter.docx"]
    assert any(c[1].endswith(f"/messages/{root}/replies/{reply}") for c in graph.calls)


async def test_links_written_to_the_bot_are_recorded_without_share(
    bot: TestClient[Any, Any], connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    personal = act.personal(url, user_id="29:odense", aad=None, name="Planlægger Odense")
    channel = act.channel(url, user_id="29:odense", aad=None, name="Planlægger Odense")
    await post(bot, act.message(personal, "Se https://example.org/rapport."))
    assert "Recorded as material for Network meeting 1" in fake.texts()[-1]
    await post(bot, act.message(personal, "https://example.org/rapport"))
    assert "Already recorded: Se" in fake.texts()[-1]
    sent = len(fake.sent)
    await post(bot, act.message(channel, "Kig på https://example.org/uden-omtale"))  # no mention
    await post(bot, act.message(channel, "#grøn https://example.org/plan", mention=True))
    urls = sorted(m.url for m in await everything(uow_factory))
    assert urls == ["https://example.org/plan", "https://example.org/rapport"]
    assert len(fake.sent) == sent + 1  # only the mentioned message is answered


async def test_an_unclear_meeting_is_asked_and_the_choice_moves_the_filed_file(
    bot: TestClient[Any, Any],
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
    clock: FixedClock,
) -> None:
    fake, url = connector
    graph, graph_url = graph_api
    clock.current = AFTER_MEETING_1  # the day after meeting 1: is the file for 1 or for 2?
    await post(bot, file_message(url, graph_url, graph, "Referat.pdf", b"%PDF referat"))
    question = receipts(fake)[-1]
    assert "Which meeting is this for?" in str(question)
    (execute,) = question["actions"]
    meeting_2 = "General/netpuls/2024-05-30 Netværksmøde 2/Referat.pdf"
    assert list(graph.files()) == [meeting_2]
    personal = act.personal(url, user_id="29:odense", aad=None, name="Planlægger Odense")
    data = {**execute["data"], "materialMeeting": "1", "materialThemes": "1"}
    response = await bot.post(
        "/api/messages", json=act.card_invoke(personal, execute["verb"], data)
    )
    body = await response.json()
    await bot.app[BACKGROUND].drain()
    assert "Moved to the folder of Network meeting 1" in str(body["value"])
    assert list(graph.files()) == [f"{FOLDER}/Referat.pdf"]
    (moved,) = await everything(uow_factory)
    assert moved.meeting_number == 1 and "Netv%C3%A6rksm%C3%B8de%201" in moved.url
    assert moved.themes == ("Hvilken rolle spiller det grønne i den kompakte by?",)


async def test_a_choice_for_unknown_material_is_refused_and_changes_nothing(
    bot: TestClient[Any, Any], connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    personal = act.personal(url, user_id="29:odense", aad=None, name="Planlægger Odense")
    await post(bot, act.message(personal, "https://example.org/rapport"))
    before = await everything(uow_factory)
    data = {"material": "4711", "materialMeeting": "2"}
    response = await bot.post(
        "/api/messages", json=act.card_invoke(personal, "material_meeting", data)
    )
    body = await response.json()
    assert body["statusCode"] == 400 and "not recorded" in body["value"]["message"]
    assert await everything(uow_factory) == before


async def test_a_file_posted_by_a_guest_is_neither_recorded_nor_answered(
    bot: TestClient[Any, Any],
    connector: Any,
    graph_api: tuple[FakeGraph, str],
    uow_factory: Any,
) -> None:
    fake, url = connector
    graph, _ = graph_api
    _, message_id = post_in_channel(graph, "Reklame.pdf")
    activity = stub_message(url, message_id)
    activity["from"] = {"id": "29:guest", "name": "Gæst"}
    sent = len(fake.sent)
    await post(bot, activity)
    assert await everything(uow_factory) == [] and len(fake.sent) == sent
