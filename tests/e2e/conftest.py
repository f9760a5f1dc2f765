"""Fixtures for end-to-end tests in Microsoft 365 Agents Playground.

Every test collected under tests/e2e is marked ``playground``
(``pytest -m "not playground"`` leaves them out).

Fixture chain::

    bot_server                 (bot team) base URL of `python -m netpuls serve`
      -> playground_bot_endpoint   "<bot_server>/api/messages"; override it to
                                   point the Playground at another bot
        -> playground              a fresh Playground per test (Playground)
          -> playground_chat       websocket + HTTP API, no browser (HeadlessChat)
          -> browser_context       Chromium context; only the Playground reachable
            -> browser_page        the Playground UI, loaded (playwright Page)
              -> playground_ui     PlaygroundUI helpers around that page

``bot_server`` is not defined here: it belongs with the bot (tests/conftest.py
or this directory). It must start `python -m netpuls serve` on a free
127.0.0.1 port with an empty app id and a temporary SQLite database, wait until
it listens, yield its base URL (``http://127.0.0.1:<port>``) and stop it.

Missing prerequisites (node_modules from `npm ci`, node, /usr/bin/chromium,
playwright) skip the tests, or fail them when NETPULS_REQUIRE_PLAYGROUND=1 (CI).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Generator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .playground import (
    HeadlessChat,
    Playground,
    PlaygroundUI,
    launch_chromium,
    new_playground_context,
    open_playground,
    require_playground,
    run_playground,
)

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page

_E2E_DIR = Path(__file__).resolve().parent
_PLAYGROUND_KEY = pytest.StashKey[Playground]()
_SCREENSHOT_KEY = pytest.StashKey[Path]()
_BLOCKED_KEY = pytest.StashKey[list[str]]()
_FAILED_KEY = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _E2E_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.playground)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # On failure, put the Playground's log (and where the screenshot goes) into
    # the failing report itself, so it shows in pytest's failure summary.
    report = yield
    if report.failed and report.when in {"setup", "call"}:
        item.stash[_FAILED_KEY] = True
        playground = item.stash.get(_PLAYGROUND_KEY, None)
        if playground is not None:
            report.sections.append(("Agents Playground log (tail)", playground.log_tail()))
        blocked = item.stash.get(_BLOCKED_KEY, None)
        if blocked:
            report.sections.append(("browser requests aborted", "\n".join(blocked)))
        shot = item.stash.get(_SCREENSHOT_KEY, None)
        if shot is not None:
            report.sections.append(("screenshot", f"saved at teardown to {shot}"))
    return report


@pytest.fixture
def playground_requirements() -> None:
    """node + node_modules (`npm ci`) present, else skip (or fail, see module doc)."""
    require_playground(browser=False)


@pytest.fixture
def browser_requirements(playground_requirements: None) -> None:
    """Also /usr/bin/chromium and playwright."""
    require_playground(browser=True)


@pytest.fixture
def playground_bot_endpoint(bot_server: str) -> str:
    """The messaging endpoint the Playground talks to. Override to test another bot."""
    return bot_server.rstrip("/") + "/api/messages"


@pytest.fixture
def playground_config_path() -> Path | None:
    """A `.m365agentsplayground.yml` for the Playground; None keeps its default users."""
    return None


@pytest.fixture
async def playground(
    playground_requirements: None,
    playground_bot_endpoint: str,
    playground_config_path: Path | None,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Playground]:
    """A fresh Playground for this test (state lives in the page and the server)."""
    async with run_playground(
        playground_bot_endpoint, log_dir=tmp_path / "playground", config_path=playground_config_path
    ) as pg:
        request.node.stash[_PLAYGROUND_KEY] = pg
        yield pg


@pytest.fixture
async def playground_chat(playground: Playground) -> AsyncIterator[HeadlessChat]:
    """Talk to the bot without a browser; the websocket is open before anything is sent."""
    async with HeadlessChat.connect(playground) as chat:
        yield chat


@pytest.fixture
def blocked_requests(request: pytest.FixtureRequest) -> list[str]:
    """URLs the browser tried to reach outside the Playground (all aborted)."""
    blocked: list[str] = []
    request.node.stash[_BLOCKED_KEY] = blocked
    return blocked


@pytest.fixture
async def browser_context(
    browser_requirements: None, playground: Playground, blocked_requests: list[str]
) -> AsyncIterator[BrowserContext]:
    """A Chromium context where everything but the Playground is aborted."""
    async with launch_chromium() as browser:
        context = await new_playground_context(browser, playground, blocked=blocked_requests)
        try:
            yield context
        finally:
            await context.close()


@pytest.fixture
async def browser_page(
    browser_context: BrowserContext,
    playground: Playground,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Page]:
    """The Playground UI, loaded and ready (Personal Chat selected, bot installed there).

    On failure a screenshot lands in ``<tmp_path>/failure.png``.
    """
    shot = tmp_path / "failure.png"
    request.node.stash[_SCREENSHOT_KEY] = shot
    page = await browser_context.new_page()
    try:
        await open_playground(page, playground)
    except Exception:
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(shot), timeout=5_000)
        raise
    yield page
    if request.node.stash.get(_FAILED_KEY, False):
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(shot), timeout=5_000)


@pytest.fixture
def playground_ui(browser_page: Page) -> PlaygroundUI:
    return PlaygroundUI(browser_page)


@pytest.fixture
async def bot_server(tmp_path: Path) -> AsyncIterator[str]:
    """netpuls itself, as `make run` starts it: SQLite, the demo network, anonymous, loopback."""
    from .bot_server import run_bot

    async with run_bot(tmp_path / "bot") as base_url:
        yield base_url
