"""Harness for Microsoft 365 Agents Playground (npm ``@microsoft/m365agentsplayground``).

Three parts, all async and free of pytest so scripts can use them too:

* :func:`run_playground` starts the Playground CLI against a bot endpoint,
  waits until it answers ``/_debug/ping`` and stops it (the whole process
  group) on exit.
* :func:`launch_chromium` / :func:`new_playground_context` /
  :func:`open_playground` drive Debian's ``/usr/bin/chromium`` through
  Playwright, with every request that is not for the Playground aborted.
  :class:`PlaygroundUI` wraps the few UI gestures tests need.
* :class:`PlaygroundApi` and :class:`ConversationStream` talk to the
  Playground without a browser: POST user messages, read the bot's replies
  from the conversation websocket.

Facts about the Playground this relies on (checked against 0.2.28):

* Personal Chat and Group Chat ids are random UUIDs per Playground start; read
  them from ``GET /_internal/v1/config`` (:meth:`PlaygroundApi.conversations`).
  The team's channels are fixed: General is ``team-id``, Announcements is
  ``channel-announcements-id``.
* A user message is ``{"text", "textFormat": "plain"|"markdown"|"xml",
  "from": {"id"}, "mentions"?}``; ``textFormat`` and ``from`` are required.
* In group chats and channels the bot only receives messages whose
  ``mentions`` array names it; ``<at>Test Bot</at>`` in the text alone is not
  enough. A channel message becomes a new thread: the bot sees conversation id
  ``team-id;messageid=<messageId>`` and its replies stream with that
  ``actionConversationId``.
* Bot replies stream as ``{"action": "createMessage", "actionConversationId",
  "message": {"messageId", "from", "text", "attachments", ...}}``. A reply with
  text AND attachments arrives as two events; the attachment one has
  ``messageId`` ``<id>-<hex>`` and that is the id to use as ``replyToId`` for
  invokes and submits.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import aiohttp

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Locator, Page, Playwright

# --------------------------------------------------------------------------- paths

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND_PACKAGE = REPO_ROOT / "node_modules" / "@microsoft" / "m365agentsplayground"
PLAYGROUND_CLI = PLAYGROUND_PACKAGE / "cli.js"
LOOPBACK_PRELOAD = REPO_ROOT / "scripts" / "loopback_only.cjs"
CHROMIUM_PATH = Path("/usr/bin/chromium")

CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1400, "height": 1300}

# ------------------------------------------------------------------ Playground facts

BOT_ID = "00000000-0000-0000-0000-00000000000011"
BOT_NAME = "Test Bot"
TENANT_ID = "00000000-0000-0000-0000-0000000000001"
CURRENT_USER_ID = "user-id-0"  # "Alex Wilber", the only member of Personal Chat
GENERAL_CHANNEL_ID = "team-id"
ANNOUNCEMENTS_CHANNEL_ID = "channel-announcements-id"

# Tree item names in the UI's left rail.
PERSONAL_CHAT = "Personal Chat"
GROUP_CHAT = "Group Chat"
TEAM_GENERAL = "My Team - General"
TEAM_ANNOUNCEMENTS = "My Team - Announcements"

# Selectors (see /work/shared/notes/playground-e2e.md).
COMPOSER = '[data-lexical-editor="true"][role="textbox"]'
OUTPUT_CARD = ".fai-OutputCard"
ADAPTIVE_CARD = ".ac-adaptiveCard"
CHANNEL_POST = ".fui-Card"
# The Playground marks the open chat only by its background: it is the one
# tree item whose background differs from every other's. A click made while
# the page is still settling its own first install can be dropped, so
# select_chat checks and clicks again.
_IS_SELECTED = """item => {
    const bg = e => getComputedStyle(e).backgroundColor;
    const others = [...document.querySelectorAll('[role="treeitem"]')].filter(e => e !== item);
    return others.length > 0 && others.every(e => bg(e) !== bg(item));
}"""
SELECT_ATTEMPTS = 4
INSTALL_ANSWERED = re.compile(r"User Application conversationUpdate \d{3}")
SELECT_WAIT_MS = 3_000

# Environment every start of the Playground must carry, whatever else is set.
_PLAYGROUND_ENV_PREFIXES = ("M365_AGENTS_PLAYGROUND_", "TEAMSAPPTESTER_", "TEAMS_APP_TEST_TOOL_")
_LISTENING = re.compile(rb"Listening on (\d+)")


class PlaygroundError(RuntimeError):
    """The Playground did not start, or answered something unexpected."""


# ---------------------------------------------------------------- process control


@dataclass
class Playground:
    """A running Playground. ``base_url`` is ``http://127.0.0.1:<port>``."""

    port: int
    bot_endpoint: str
    log_file: Path
    stdout_file: Path
    workdir: Path
    process: asyncio.subprocess.Process

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def service_url(self) -> str:
        """The ``serviceUrl`` the Playground puts into activities (it says localhost)."""
        return f"http://localhost:{self.port}/_connector"

    def is_own_url(self, url: str) -> bool:
        """True for http(s)/ws(s) URLs that point at this Playground on loopback."""
        parts = urlsplit(url)
        return (
            parts.scheme in {"http", "ws"}
            and parts.hostname in {"127.0.0.1", "localhost"}
            and parts.port == self.port
        )

    def log_tail(self, max_chars: int = 6000) -> str:
        chunks = []
        for path in (self.stdout_file, self.log_file):
            with contextlib.suppress(OSError):
                text = path.read_text(errors="replace")
                chunks.append(f"--- {path} ---\n{text[-max_chars:]}")
        return "\n".join(chunks)


def playground_env(log_file: Path, *, config_path: Path | None = None) -> dict[str, str]:
    """The environment for a Playground process.

    Inherits the caller's environment minus any Playground/Test Tool variables,
    then sets the three that must always be there.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(_PLAYGROUND_ENV_PREFIXES)}
    env["APPLICATION_INSIGHTS_NO_STATSBEAT"] = "true"  # no probe of 169.254.169.254
    env["TEAMSAPPTESTER_BROWSER"] = "none"  # no xdg-open
    env["M365_AGENTS_PLAYGROUND_LOGFILE"] = str(log_file)
    if config_path is not None:
        env["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = str(config_path)
    return env


def playground_command(
    bot_endpoint: str, *, port: int = 0, node: str = "node", loopback_only: bool = True
) -> list[str]:
    """The command line; ``port=0`` lets the Playground pick a free port."""
    cmd = [node]
    if loopback_only:
        # The CLI binds all interfaces; this preload pins it to 127.0.0.1.
        cmd += ["--require", str(LOOPBACK_PRELOAD)]
    cmd += [
        str(PLAYGROUND_CLI),
        "start",
        "-e",
        bot_endpoint,
        "-c",
        "msteams",
        "-p",
        str(port),
        "--dt",
    ]
    return cmd


def missing_playground_requirements(*, browser: bool = False) -> list[str]:
    """Human-readable reasons the Playground (and optionally the browser) cannot run."""
    missing = []
    if shutil.which("node") is None:
        missing.append("`node` is not on PATH (Node.js 20 is needed)")
    if not PLAYGROUND_CLI.is_file():
        missing.append(f"{PLAYGROUND_CLI} is missing: run `npm ci` in {REPO_ROOT}")
    if browser:
        if not CHROMIUM_PATH.is_file():
            missing.append(f"{CHROMIUM_PATH} is missing: `apt-get install chromium`")
        try:
            import playwright.async_api  # noqa: F401
        except ImportError:
            missing.append("the Python package `playwright` is not installed (uv sync)")
    return missing


def require_playground(*, browser: bool = False) -> None:
    """For pytest fixtures: skip when prerequisites are missing, or fail with
    ``NETPULS_REQUIRE_PLAYGROUND=1`` (CI, where a skip would hide a broken setup)."""
    import pytest

    missing = missing_playground_requirements(browser=browser)
    if not missing:
        return
    message = "Agents Playground end-to-end tests cannot run: " + "; ".join(missing)
    if os.environ.get("NETPULS_REQUIRE_PLAYGROUND") == "1":
        pytest.fail(message + " (NETPULS_REQUIRE_PLAYGROUND=1)", pytrace=False)
    pytest.skip(message + " (set NETPULS_REQUIRE_PLAYGROUND=1 to make this a failure)")


async def _http_get_text(session: aiohttp.ClientSession, url: str, timeout_s: float) -> str:
    async with session.get(url, timeout=aiohttp.ClientTimeout(total=timeout_s)) as resp:
        return await resp.text()


async def _stop_process_group(proc: asyncio.subprocess.Process, grace: float = 5.0) -> None:
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), grace)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await asyncio.wait_for(proc.wait(), grace)


@contextlib.asynccontextmanager
async def run_playground(
    bot_endpoint: str,
    *,
    log_dir: Path,
    port: int = 0,
    config_path: Path | None = None,
    startup_timeout: float = 30.0,
    loopback_only: bool = True,
) -> AsyncIterator[Playground]:
    """Start the Playground against ``bot_endpoint`` and stop it on exit.

    ``log_dir`` receives ``m365agentsplayground.log`` (its log) and
    ``playground.stdout.log`` (stdout/stderr); it is also the working
    directory, so no ``.m365agentsplayground.yml`` from elsewhere is picked up
    (pass ``config_path`` for one). The bot should already be listening: the
    UI's first request waits up to 15 s for the endpoint.
    """
    endpoint = urlsplit(bot_endpoint)
    if endpoint.hostname not in {"127.0.0.1", "localhost"}:
        raise PlaygroundError(f"bot endpoint must be on loopback, got {bot_endpoint!r}")
    missing = missing_playground_requirements()
    if missing:
        raise PlaygroundError("; ".join(missing))

    _make_dir(log_dir)
    log_file = log_dir / "m365agentsplayground.log"
    stdout_file = log_dir / "playground.stdout.log"
    deadline = time.monotonic() + startup_timeout

    with stdout_file.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            *playground_command(bot_endpoint, port=port, loopback_only=loopback_only),
            cwd=log_dir,
            env=playground_env(log_file, config_path=config_path),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # own process group, so we can kill all of it
        )
    playground: Playground | None = None
    try:
        # 1. "Listening on <port>": it silently moves to another port if taken.
        actual_port = None
        while actual_port is None:
            match = _LISTENING.search(stdout_file.read_bytes())
            if match:
                actual_port = int(match.group(1))
                break
            if proc.returncode is not None:
                raise PlaygroundError(f"Playground exited with {proc.returncode}")
            if time.monotonic() > deadline:
                raise PlaygroundError(f"no 'Listening on <port>' within {startup_timeout} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), 0.05)

        playground = Playground(
            port=actual_port,
            bot_endpoint=bot_endpoint,
            log_file=log_file,
            stdout_file=stdout_file,
            workdir=log_dir,
            process=proc,
        )
        # 2. GET /_debug/ping == "pong".
        async with aiohttp.ClientSession() as session:
            while True:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    body = await _http_get_text(session, f"{playground.base_url}/_debug/ping", 2)
                    if body.strip() == "pong":
                        break
                if proc.returncode is not None:
                    raise PlaygroundError(f"Playground exited with {proc.returncode}")
                if time.monotonic() > deadline:
                    raise PlaygroundError(f"/_debug/ping did not answer within {startup_timeout} s")
                await asyncio.sleep(0.05)
        yield playground
    except PlaygroundError as exc:
        tail = playground.log_tail() if playground else _read_tail(stdout_file, log_file)
        raise PlaygroundError(f"{exc}\n{tail}") from None
    finally:
        await _stop_process_group(proc)


def _make_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)


def _read_tail(*paths: Path, max_chars: int = 6000) -> str:
    chunks = []
    for path in paths:
        with contextlib.suppress(OSError):
            chunks.append(f"--- {path} ---\n{path.read_text(errors='replace')[-max_chars:]}")
    return "\n".join(chunks)


# ------------------------------------------------------------------------ browser


@contextlib.asynccontextmanager
async def launch_chromium(playwright: Playwright | None = None) -> AsyncIterator[Browser]:
    """Debian's Chromium, headless, with the flags this machine needs.

    Never uses Playwright's own browser downloads (``playwright install``).
    """
    if missing := missing_playground_requirements(browser=True):
        raise PlaygroundError("; ".join(missing))
    from playwright.async_api import async_playwright

    async with contextlib.AsyncExitStack() as stack:
        if playwright is None:
            playwright = await stack.enter_async_context(async_playwright())
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH),
            args=list(CHROMIUM_FLAGS),
            headless=True,
            timeout=20_000,
            handle_sigint=False,
            handle_sigterm=False,
            handle_sighup=False,
        )
        try:
            yield browser
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 10)


async def new_playground_context(
    browser: Browser,
    playground: Playground,
    *,
    blocked: list[str] | None = None,
    timeout_ms: float = 10_000,
) -> BrowserContext:
    """A browser context in which only the Playground is reachable.

    Every http(s) request and websocket to anything but the Playground's
    127.0.0.1 port is aborted (the UI asks a CDN for fonts and an animation
    worklet); their URLs are appended to ``blocked`` if given.
    """
    context = await browser.new_context(
        viewport=VIEWPORT,  # type: ignore[arg-type]
        service_workers="block",
        locale="en-US",
        timezone_id="UTC",
    )
    context.set_default_timeout(timeout_ms)
    context.set_default_navigation_timeout(max(timeout_ms, 15_000))

    def not_playground(url: str) -> bool:
        return not playground.is_own_url(url)

    async def abort(route: Any) -> None:
        if blocked is not None:
            blocked.append(route.request.url)
        await route.abort()

    async def close_ws(ws: Any) -> None:
        if blocked is not None:
            blocked.append(ws.url)
        await ws.close()

    await context.route(not_playground, abort)
    await context.route_web_socket(not_playground, close_ws)
    return context


async def open_playground(
    page: Page, playground: Playground, *, timeout_ms: float = 20_000
) -> None:
    """Load the UI and wait until the message box is there.

    Loading the page selects Personal Chat and POSTs
    ``/_debug/conversation/<personal-chat-id>/installation``, so the bot gets
    installationUpdate + conversationUpdate (its install greeting) on every load.
    """
    await page.goto(playground.base_url + "/", wait_until="domcontentloaded", timeout=timeout_ms)
    await page.locator(COMPOSER).first.wait_for(state="visible", timeout=timeout_ms)
    # The log panel lists the install's conversationUpdate once the bot has
    # answered it; until then the page is still settling Personal Chat.
    await page.get_by_text(INSTALL_ANSWERED).first.wait_for(state="visible", timeout=timeout_ms)


class PlaygroundUI:
    """The handful of gestures the tests make in the Playground UI."""

    def __init__(self, page: Page, *, bot_name: str = BOT_NAME) -> None:
        self.page = page
        self.bot_name = bot_name

    @property
    def composer(self) -> Locator:
        # In a channel there is a "Start a new post" box first, then one reply
        # box per thread: the first one starts a new post.
        return self.page.locator(COMPOSER).first

    async def select_chat(self, name: str) -> None:
        """``PERSONAL_CHAT``, ``GROUP_CHAT``, ``TEAM_GENERAL`` or ``TEAM_ANNOUNCEMENTS``.

        Selecting a chat the first time in a page load installs the bot there
        (installationUpdate + conversationUpdate).
        """
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        item = self.page.get_by_role("treeitem", name=name, exact=True)
        for _ in range(SELECT_ATTEMPTS):
            await item.click()
            # Off the tree, so hovering does not look like being selected.
            await self.page.mouse.move(0, 0)
            with contextlib.suppress(PlaywrightTimeout):
                await item.page.wait_for_function(
                    _IS_SELECTED, arg=await item.element_handle(), timeout=SELECT_WAIT_MS
                )
                break
        else:
            raise AssertionError(f"{name!r} stayed unselected after {SELECT_ATTEMPTS} clicks")
        await self.composer.wait_for(state="visible")

    async def send(self, text: str, *, mention: bool = False) -> None:
        """Type ``text`` in the message box and press Enter.

        With ``mention=True`` the message starts with an @mention of the bot,
        picked from the mention menu as a person would (needed in group chats
        and channels, where the bot hears only messages that mention it).
        """
        box = self.composer
        await box.click()
        if mention:
            await box.press_sequentially("@" + self.bot_name.split()[0])
            # The item's accessible name repeats the avatar's label; match its text.
            exact_name = re.compile(rf"^\s*{re.escape(self.bot_name)}\s*$")
            await self.page.get_by_role("menuitem").filter(has_text=exact_name).click()
            text = " " + text
        await box.press_sequentially(text)
        await box.press("Enter")

    def bot_message(self, text: str | re.Pattern[str]) -> Locator:
        """A bot message in a chat (personal or group), narrowed by text."""
        return self.page.locator(OUTPUT_CARD, has_text=text)

    def channel_post(self, text: str | re.Pattern[str]) -> Locator:
        """A channel thread (root post plus replies) containing ``text``.

        Replies in a channel thread are NOT ``.fai-OutputCard``s.
        """
        return self.page.locator(CHANNEL_POST, has_text=text)

    def adaptive_card(self, text: str | re.Pattern[str]) -> Locator:
        return self.page.locator(ADAPTIVE_CARD, has_text=text)

    async def press(self, card: Locator, button: str) -> None:
        """Click a card's button and wait until the bot answered the invoke (HTTP 2xx)."""
        async with self.page.expect_response("**/_conversation/v1/invoke") as answered:
            await card.get_by_role("button", name=button, exact=True).click()
        assert (await answered.value).ok


# ------------------------------------------------------------- without a browser


@dataclass(frozen=True)
class Conversations:
    personal: str
    group: str
    general: str = GENERAL_CHANNEL_ID
    announcements: str = ANNOUNCEMENTS_CHANNEL_ID


@dataclass(frozen=True)
class SentMessage:
    conversation_id: str
    message_id: str
    # In a channel a new post opens a thread; the bot sees and answers in it.
    thread_id: str


@dataclass(frozen=True)
class BotMessage:
    """One ``createMessage`` event from the conversation websocket."""

    conversation_id: str  # actionConversationId
    message_id: str
    text: str | None
    attachments: list[dict[str, Any]]
    raw: dict[str, Any]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a.get("content", {})
            for a in self.attachments
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    def in_conversation(self, conversation_id: str) -> bool:
        """Exact match, or any thread of that channel."""
        return self.conversation_id == conversation_id or self.conversation_id.startswith(
            conversation_id + ";messageid="
        )


def mention_bot(text: str, *, bot_id: str = BOT_ID, bot_name: str = BOT_NAME) -> dict[str, Any]:
    """``text`` and ``mentions`` for a message that @mentions the bot."""
    tag = f"<at>{bot_name}</at>"
    return {
        "text": f"{tag} {text}",
        "mentions": [{"mentioned": {"id": bot_id, "name": bot_name}, "text": tag}],
    }


class PlaygroundApi:
    """The Playground's HTTP API, as its UI uses it."""

    def __init__(
        self, playground: Playground, session: aiohttp.ClientSession, *, timeout_s: float = 20.0
    ) -> None:
        self.playground = playground
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, str]:
        url = self.playground.base_url + path
        async with self.session.request(method, url, timeout=self.timeout, **kwargs) as resp:
            return resp.status, await resp.text()

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        status, body = await self._request(method, path, **kwargs)
        if status >= 300:
            raise PlaygroundError(f"{method} {path} -> {status}: {body[:500]}")
        return json.loads(body) if body else None

    async def config(self) -> dict[str, Any]:
        """Users, chats, team, bot. Waits (up to 15 s) for the bot endpoint first."""
        data = await self._json("GET", "/_internal/v1/config")
        return dict(data["config"])

    async def conversations(self) -> Conversations:
        cfg = await self.config()
        return Conversations(personal=cfg["personalChat"]["id"], group=cfg["groupChats"][0]["id"])

    async def send_message(
        self,
        conversation_id: str,
        text: str,
        *,
        user_id: str = CURRENT_USER_ID,
        mention: bool = False,
        text_format: str = "plain",
    ) -> SentMessage:
        """POST a user message. ``mention=True`` prefixes an @mention of the bot."""
        body: dict[str, Any] = {"text": text, "textFormat": text_format, "from": {"id": user_id}}
        if mention:
            body.update(mention_bot(text))
        path = f"/_conversation/v1/conversations/{quote(conversation_id, safe='')}/messages"
        data = await self._json("POST", path, json=body)
        return SentMessage(
            conversation_id=conversation_id,
            message_id=str(data["messageId"]),
            thread_id=str(data.get("postConversationId") or conversation_id),
        )

    async def install(self, conversation_id: str) -> None:
        """Send installationUpdate (add) and conversationUpdate (bot added), as a page load does."""
        path = f"/_debug/conversation/{quote(conversation_id, safe='')}/installation"
        await self._json("POST", path, json={})

    async def invoke(
        self,
        conversation_id: str,
        reply_to_id: str,
        action: Mapping[str, Any],
        *,
        user_id: str = CURRENT_USER_ID,
    ) -> Any:
        """``adaptiveCard/action`` for an Action.Execute (``action``: type, title, verb, data).

        Returns what the Playground relays of the bot's invoke response.
        """
        body = {
            "name": "adaptiveCard/action",
            "value": {"action": dict(action)},
            "from": {"id": user_id},
            "conversation": {"id": conversation_id},
            "replyToId": reply_to_id,
        }
        return await self._json("POST", "/_conversation/v1/invoke", json=body)

    async def submit(
        self,
        conversation_id: str,
        reply_to_id: str,
        value: Mapping[str, Any],
        *,
        user_id: str = CURRENT_USER_ID,
    ) -> None:
        """An Action.Submit: the bot gets a message with empty text and ``value``."""
        body = {
            "conversation": {"id": conversation_id},
            "replyToId": reply_to_id,
            "value": dict(value),
            "from": {"id": user_id},
        }
        await self._json("POST", "/_conversation/v1/submit", json=body)

    async def custom_activity_template(self, conversation_id: str, kind: str) -> dict[str, Any]:
        """kind: install, uninstall, userAdded, ... (as in the UI's "Mock an Activity")."""
        data = await self._json(
            "GET",
            "/_internal/v1/customActivities/template",
            params={"conversationId": conversation_id, "type": kind},
        )
        return dict(data)

    async def send_custom_activity(self, activity: Mapping[str, Any]) -> None:
        await self._json("POST", "/_internal/v1/customActivities", json=dict(activity))


@dataclass
class ConversationStream:
    """Collects the Playground's conversation websocket events.

    Connect it BEFORE sending anything: the Playground buffers events while no
    client is connected and replays them to the first one, and broadcasts to
    all connected clients afterwards.
    """

    ws: aiohttp.ClientWebSocketResponse
    events: list[dict[str, Any]] = field(default_factory=list)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _reader: asyncio.Task[None] | None = None
    _closed: bool = False

    def start(self) -> None:
        self._reader = asyncio.create_task(self._read(), name="playground-ws-reader")

    async def _read(self) -> None:
        try:
            async for msg in self.ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                with contextlib.suppress(ValueError):
                    event = json.loads(msg.data)
                    async with self._changed:
                        self.events.append(event)
                        self._changed.notify_all()
        finally:
            async with self._changed:
                self._closed = True
                self._changed.notify_all()

    def mark(self) -> int:
        """A position in the event list; pass it as ``since`` to see only later events."""
        return len(self.events)

    def bot_messages(
        self, conversation_id: str | None = None, *, since: int = 0
    ) -> list[BotMessage]:
        """``createMessage`` events (bot messages), optionally only in one chat/channel/thread."""
        out = []
        for event in self.events[since:]:
            if event.get("action") != "createMessage":
                continue
            msg = event.get("message") or {}
            bot_message = BotMessage(
                conversation_id=str(event.get("actionConversationId", "")),
                message_id=str(msg.get("messageId", "")),
                text=msg.get("text"),
                attachments=list(msg.get("attachments") or []),
                raw=event,
            )
            if conversation_id is None or bot_message.in_conversation(conversation_id):
                out.append(bot_message)
        return out

    async def wait_for(
        self, predicate: Callable[[list[dict[str, Any]]], bool], *, timeout_s: float = 10.0
    ) -> None:
        """Wait until ``predicate(events)`` holds; TimeoutError after ``timeout_s``."""
        async with asyncio.timeout(timeout_s), self._changed:
            while not predicate(self.events):
                if self._closed:
                    raise PlaygroundError("conversation websocket closed")
                await self._changed.wait()

    async def wait_for_replies(
        self,
        conversation_id: str,
        *,
        since: int = 0,
        count: int = 1,
        timeout_s: float = 10.0,
        settle_s: float = 0.3,
    ) -> list[BotMessage]:
        """Bot messages in ``conversation_id`` (or its threads) after event ``since``.

        Waits for at least ``count``, then for ``settle_s`` seconds of quiet so
        a burst of replies is collected whole.
        """
        try:
            await self.wait_for(
                lambda _: len(self.bot_messages(conversation_id, since=since)) >= count,
                timeout_s=timeout_s,
            )
        except TimeoutError:
            got = texts(self.bot_messages(conversation_id, since=since))
            raise TimeoutError(
                f"expected {count} bot message(s) in {conversation_id} within {timeout_s} s; "
                f"got {got}"
            ) from None
        await self.wait_quiet(settle_s)
        return self.bot_messages(conversation_id, since=since)

    async def wait_quiet(self, settle_s: float = 0.3, *, max_s: float = 10.0) -> None:
        """Wait until no event has arrived for ``settle_s`` seconds (at most ``max_s``)."""
        async with asyncio.timeout(max_s):
            while True:
                seen = len(self.events)

                def more(events: list[dict[str, Any]], seen: int = seen) -> bool:
                    return len(events) > seen

                with contextlib.suppress(TimeoutError):
                    await self.wait_for(more, timeout_s=settle_s)
                if len(self.events) == seen:
                    return

    async def close(self) -> None:
        await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, 5)


@contextlib.asynccontextmanager
async def open_conversation_stream(
    playground: Playground, session: aiohttp.ClientSession, *, timeout_s: float = 10.0
) -> AsyncIterator[ConversationStream]:
    ws = await session.ws_connect(
        f"{playground.ws_url}/_ws_conversation/v1/conversations/stream",
        timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=timeout_s),
        heartbeat=None,
    )
    stream = ConversationStream(ws=ws)
    stream.start()
    try:
        yield stream
    finally:
        await stream.close()


class HeadlessChat:
    """Drive the Playground without a browser: stream first, then talk.

    ``async with HeadlessChat.connect(playground) as chat:``
    ``replies = await chat.say(chat.conversations.personal, "hello")``
    """

    def __init__(
        self, api: PlaygroundApi, stream: ConversationStream, conversations: Conversations
    ) -> None:
        self.api = api
        self.stream = stream
        self.conversations = conversations

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(
        cls, playground: Playground, *, timeout_s: float = 20.0
    ) -> AsyncIterator[HeadlessChat]:
        async with contextlib.AsyncExitStack() as stack:
            session = await stack.enter_async_context(aiohttp.ClientSession())
            stream = await stack.enter_async_context(
                open_conversation_stream(playground, session, timeout_s=timeout_s)
            )
            # GET config waits up to 15 s for the bot endpoint: allow for it.
            api = PlaygroundApi(playground, session, timeout_s=timeout_s)
            yield cls(api, stream, await api.conversations())

    async def say(
        self,
        conversation_id: str,
        text: str,
        *,
        mention: bool | None = None,
        user_id: str = CURRENT_USER_ID,
        count: int = 1,
        timeout_s: float = 10.0,
    ) -> list[BotMessage]:
        """Send ``text`` and return the bot's replies in that chat, or in the new thread.

        ``mention`` defaults to True outside Personal Chat (otherwise the bot
        never hears the message).
        """
        if mention is None:
            mention = conversation_id != self.conversations.personal
        since = self.stream.mark()  # before sending: replies can beat the POST's response
        sent = await self.api.send_message(conversation_id, text, mention=mention, user_id=user_id)
        return await self.stream.wait_for_replies(
            sent.thread_id, since=since, count=count, timeout_s=timeout_s
        )

    async def install(
        self, conversation_id: str, *, count: int = 1, timeout_s: float = 10.0
    ) -> list[BotMessage]:
        """Trigger the install (as a page load does) and return the bot's greeting(s)."""
        since = self.stream.mark()
        await self.api.install(conversation_id)
        return await self.stream.wait_for_replies(
            conversation_id, since=since, count=count, timeout_s=timeout_s
        )


def texts(messages: Iterable[BotMessage]) -> list[str | None]:
    return [m.text for m in messages]
