"""The harness's own tests: Agents Playground against a tiny echo bot.

The echo bot lives here, not in netpuls: it proves the Playground, the browser
and the headless helpers work, independently of the real bot.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import aiohttp
import pytest
from aiohttp import web

from . import playground as harness
from .playground import (
    BOT_ID,
    GENERAL_CHANNEL_ID,
    GROUP_CHAT,
    PERSONAL_CHAT,
    TEAM_GENERAL,
    HeadlessChat,
    Playground,
    PlaygroundUI,
    texts,
)

pytestmark = pytest.mark.playground


@dataclass
class EchoBot:
    """Answers every message activity with "echo: <text>" as a reply to it."""

    base_url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    reply_errors: list[str] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/api/messages"

    async def handle(self, request: web.Request) -> web.Response:
        activity = await request.json()
        self.received.append(activity)
        self._changed.set()
        if activity.get("type") == "message":
            await self._reply(activity, f"echo: {activity.get('text') or ''}")
        return web.Response(status=200)

    async def _reply(self, activity: dict[str, Any], text: str) -> None:
        service = urlsplit(activity["serviceUrl"])
        # The Playground says http://localhost:<port>/_connector; talk to 127.0.0.1 only.
        if service.hostname not in {"localhost", "127.0.0.1"}:
            self.reply_errors.append(f"refusing non-loopback serviceUrl {activity['serviceUrl']}")
            return
        base = urlunsplit(service._replace(netloc=f"127.0.0.1:{service.port}")).rstrip("/")
        conversation_id = quote(activity["conversation"]["id"], safe="")
        activity_id = quote(activity["id"], safe="")
        url = f"{base}/v3/conversations/{conversation_id}/activities/{activity_id}"
        reply = {
            "type": "message",
            "text": text,
            "from": activity["recipient"],
            "recipient": activity["from"],
            "conversation": activity["conversation"],
            "replyToId": activity["id"],
        }
        timeout = aiohttp.ClientTimeout(total=5)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(url, json=reply) as resp,
        ):
            if resp.status >= 300:
                self.reply_errors.append(f"{resp.status} {await resp.text()}")

    def of_type(self, kind: str, conversation_id: str | None = None) -> list[dict[str, Any]]:
        return [
            a
            for a in self.received
            if a.get("type") == kind
            and (conversation_id is None or a["conversation"]["id"] == conversation_id)
        ]

    async def wait_until(self, predicate: Callable[[], bool], timeout_s: float = 5.0) -> None:
        async with asyncio.timeout(timeout_s):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()


@pytest.fixture
async def echo_bot() -> AsyncIterator[EchoBot]:
    bot = EchoBot()
    app = web.Application()
    app.router.add_post("/api/messages", bot.handle)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)  # a free port, no race
    await site.start()
    host, port = runner.addresses[0][:2]
    bot.base_url = f"http://{host}:{port}"
    try:
        yield bot
    finally:
        await asyncio.wait_for(runner.cleanup(), 10)


@pytest.fixture
def playground_bot_endpoint(echo_bot: EchoBot) -> str:
    """Point the Playground at the echo bot instead of netpuls (`bot_server`)."""
    return echo_bot.endpoint


def _mentions_bot(activity: dict[str, Any]) -> bool:
    return any(
        e.get("type") == "mention" and e.get("mentioned", {}).get("id") == BOT_ID
        for e in activity.get("entities") or []
    )


async def test_browser_personal_group_and_channel(
    playground_ui: PlaygroundUI,
    playground: Playground,
    echo_bot: EchoBot,
    blocked_requests: list[str],
) -> None:
    ui = playground_ui

    # Loading the page installed the bot in Personal Chat.
    await echo_bot.wait_until(
        lambda: bool(
            echo_bot.of_type("installationUpdate") and echo_bot.of_type("conversationUpdate")
        )
    )
    [install] = echo_bot.of_type("installationUpdate")
    [update] = echo_bot.of_type("conversationUpdate")
    assert install["conversation"]["id"] == update["conversation"]["id"]
    assert install["conversation"]["conversationType"] == "personal"

    await ui.select_chat(PERSONAL_CHAT)
    await ui.send("hello")
    await ui.bot_message("echo: hello").wait_for()

    await ui.select_chat(GROUP_CHAT)
    await ui.send("hi group", mention=True)
    await ui.bot_message("hi group").wait_for()
    assert _mentions_bot(echo_bot.of_type("message")[-1])

    await ui.select_chat(TEAM_GENERAL)
    await ui.send("hello team", mention=True)
    thread = ui.channel_post("hello team")
    await thread.get_by_text(re.compile(r"^echo: ")).wait_for()

    heard = echo_bot.of_type("message")[-1]
    assert heard["conversation"]["id"].startswith(f"{GENERAL_CHANNEL_ID};messageid=")
    assert heard["text"] == "<at>Test Bot</at> hello team"
    assert _mentions_bot(heard)
    assert heard["channelData"]["teamsChannelId"] == GENERAL_CHANNEL_ID
    assert echo_bot.reply_errors == []
    # The UI asked a CDN for fonts; that was aborted, nothing else left loopback.
    assert all(not playground.is_own_url(url) for url in blocked_requests)


async def test_select_chat_opens_the_channel_even_when_the_first_click_is_dropped(
    playground_ui: PlaygroundUI, echo_bot: EchoBot
) -> None:
    ui = playground_ui
    # Swallow the next click before the Playground's own handlers see it, as a
    # page still settling its first install can.
    await ui.page.evaluate(
        """() => window.addEventListener('click', e => {
            e.stopImmediatePropagation(); e.preventDefault();
        }, {capture: true, once: true})"""
    )
    await ui.select_chat(TEAM_GENERAL)
    await ui.send("still here", mention=True)
    await ui.channel_post("still here").get_by_text(re.compile(r"^echo: ")).wait_for()
    heard = echo_bot.of_type("message")[-1]
    assert heard["conversation"]["id"].startswith(f"{GENERAL_CHANNEL_ID};messageid=")


async def test_headless_chat(playground_chat: HeadlessChat, echo_bot: EchoBot) -> None:
    chat = playground_chat
    ids = chat.conversations

    replies = await chat.say(ids.personal, "hello")
    assert texts(replies) == ["echo: hello"]
    assert replies[0].conversation_id == ids.personal

    replies = await chat.say(ids.group, "hi all")  # mentions the bot by default here
    assert texts(replies) == ["echo: <at>Test Bot</at> hi all"]

    replies = await chat.say(ids.general, "hi channel")
    assert texts(replies) == ["echo: <at>Test Bot</at> hi channel"]
    assert replies[0].conversation_id.startswith(f"{ids.general};messageid=")

    # Without the mention the bot never hears a group or channel message.
    heard = len(echo_bot.of_type("message"))
    await chat.api.send_message(ids.group, "<at>Test Bot</at> text alone is not a mention")
    await chat.api.send_message(ids.general, "nobody mentioned")
    await asyncio.sleep(0.5)
    assert len(echo_bot.of_type("message")) == heard
    assert echo_bot.reply_errors == []


async def test_headless_install_sends_installation_and_conversation_update(
    playground_chat: HeadlessChat, echo_bot: EchoBot
) -> None:
    ids = playground_chat.conversations
    for conversation_id in (ids.personal, ids.group, ids.general):

        def both_arrived(cid: str = conversation_id) -> bool:
            return bool(
                echo_bot.of_type("installationUpdate", cid)
                and echo_bot.of_type("conversationUpdate", cid)
            )

        await playground_chat.api.install(conversation_id)
        await echo_bot.wait_until(both_arrived)
    [install] = echo_bot.of_type("installationUpdate", ids.general)
    assert install["action"] == "add"
    assert install["channelData"]["team"]["id"] == GENERAL_CHANNEL_ID
    [update] = echo_bot.of_type("conversationUpdate", ids.general)
    assert {"id": BOT_ID} in update["membersAdded"]


@pytest.mark.parametrize("required", ["1", ""])
def test_missing_prerequisites_skip_or_fail(monkeypatch: pytest.MonkeyPatch, required: str) -> None:
    monkeypatch.setattr(harness, "missing_playground_requirements", lambda **_: ["no node_modules"])
    monkeypatch.setenv("NETPULS_REQUIRE_PLAYGROUND", required)
    expected = pytest.fail.Exception if required == "1" else pytest.skip.Exception
    with pytest.raises(expected, match="no node_modules"):
        harness.require_playground(browser=True)
