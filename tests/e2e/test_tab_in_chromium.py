"""The tab in a real browser: Debian's Chromium opens the pages of the demo and both seed
networks as their facilitator and as a participant, axe-core checks them, and screenshots
at 1366x768 in the light and dark themes land in var/screenshots/.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from netpuls.app import create_app
from netpuls.settings import Settings
from tab.signin import signed_tab_url
from tests.conftest import FixedClock
from tests.support.tab import NETWORKS, SHARED_TITLE, seed

from .playground import REPO_ROOT, launch_chromium, require_playground

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page, Route

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}
BAD_IMPACTS = ("serious", "critical")
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
async def tab_server(
    aiohttp_server: Any, database_url: str, uow_factory: Any, clock: FixedClock
) -> str:
    """The app on a loopback port with the three example networks; its base URL."""
    for slug in NETWORKS:
        await seed(uow_factory, slug)
    settings = Settings(database_url=database_url, app_id="", scheduler_enabled=False)
    server = await aiohttp_server(create_app(settings, clock=clock), host="127.0.0.1")
    return f"http://127.0.0.1:{server.port}"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    require_playground(browser=True)
    if not AXE.is_file():
        if os.environ.get("NETPULS_REQUIRE_PLAYGROUND") == "1":  # CI: a skip would hide it
            pytest.fail(f"{AXE} is missing: run `npm ci`", pytrace=False)
        pytest.skip(f"{AXE} is missing: run `npm ci`")
    async with launch_chromium() as chromium:
        yield chromium


async def open_as(browser: Browser, base: str, slug: str | None, email: str, clock: Any) -> Page:
    """A fresh browser signed in by the link `netpuls tab url` prints; only the app reachable."""
    context = await browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]

    async def only_the_app(route: Route) -> None:
        if route.request.url.startswith(base + "/"):
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", only_the_app)
    page = await context.new_page()
    link = urlsplit(signed_tab_url(Settings(app_id=""), slug, email, clock.now()))
    await page.goto(f"{base}{link.path}?{link.query}")
    return page


async def serious_violations(page: Page, report: str = "") -> list[dict[str, Any]]:
    """What axe-core finds serious or critical on the page as it is now; every finding, of
    any impact, is kept in var/screenshots/<report>.axe.json for review."""
    await page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = await page.evaluate(
        """async () => (await axe.run(document)).violations.map(
            (v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' '))}))"""
    )
    if report:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"{report}.axe.json").write_text(json.dumps(found, indent=1))
    return [v for v in found if v["impact"] in BAD_IMPACTS]


async def visit(page: Page, base: str, path: str, theme: str, shot: str) -> None:
    """Open a page in a theme, check it with axe-core and keep a screenshot."""
    response = await page.goto(f"{base}{path}?lang=en&theme={theme}")
    assert response is not None and response.status == 200, path
    await page.wait_for_function(f"document.documentElement.dataset.theme === '{theme}'")
    assert await serious_violations(page, f"{shot}-{theme}") == [], path
    await page.screenshot(path=str(SCREENSHOTS / f"{shot}-{theme}.png"))


@pytest.mark.parametrize("slug", list(NETWORKS))
async def test_the_facilitator_sees_answers_and_engagement_and_the_pages_pass_axe(
    tab_server: str, browser: Browser, clock: FixedClock, slug: str
) -> None:
    page = await open_as(browser, tab_server, slug, NETWORKS[slug][1], clock)
    for theme in ("light", "dark"):
        await visit(page, tab_server, f"/tab/network/{slug}", theme, f"{slug}-year")
        await visit(page, tab_server, f"/tab/network/{slug}/meeting/1", theme, f"{slug}-meeting")
        matrix = page.get_by_role("table", name="Answers per municipality")
        await matrix.wait_for()
        assert "vegetarian" in await page.inner_text("main")
        await visit(page, tab_server, f"/tab/network/{slug}/library", theme, f"{slug}-library")
        # Fluent UI's components came from node_modules and rendered (no CDN reachable).
        assert await page.evaluate("() => !!customElements.get('fluent-button')")
        await visit(
            page, tab_server, f"/tab/network/{slug}/organisers", theme, f"{slug}-organisers"
        )
        await page.get_by_role("table", name="Per municipality").wait_for()


@pytest.mark.parametrize("slug", list(NETWORKS))
async def test_a_participant_sees_no_dietary_needs_and_no_engagement(
    tab_server: str, browser: Browser, clock: FixedClock, slug: str
) -> None:
    page = await open_as(browser, tab_server, slug, NETWORKS[slug][2], clock)
    await visit(page, tab_server, f"/tab/network/{slug}/meeting/1", "light", f"{slug}-participant")
    await visit(page, tab_server, f"/tab/network/{slug}", "contrast", f"{slug}-participant-year")
    await page.goto(f"{tab_server}/tab/network/{slug}/meeting/1?lang=en")
    main = await page.inner_text("main")
    assert "vegetarian" not in main and "Dietary needs" not in main
    assert await page.get_by_role("link", name="For organisers").count() == 0
    response = await page.goto(f"{tab_server}/tab/network/{slug}/organisers?lang=en")
    assert response is not None and response.status == 403
    assert await page.get_by_role("table", name="Per municipality").count() == 0


async def test_the_facilitator_answers_who_has_not_answered_and_what_was_shared(
    tab_server: str, browser: Browser, clock: FixedClock
) -> None:
    slug = "kompakte-groenne-byer"
    page = await open_as(browser, tab_server, slug, NETWORKS[slug][1], clock)
    await page.goto(f"{tab_server}/tab/network/{slug}?lang=en")
    # From the year's next meeting to its page, as a reader would click.
    await page.locator(".timeline .current a").click()
    unanswered = await page.locator("#unanswered").inner_text()
    assert "Odense Kommune" in unanswered and "Københavns Kommune" not in unanswered
    material = page.get_by_role("region", name="Material")
    assert SHARED_TITLE in await material.inner_text()


async def test_the_personal_tab_and_a_stranger_in_the_browser(
    tab_server: str, browser: Browser, clock: FixedClock
) -> None:
    page = await open_as(browser, tab_server, None, NETWORKS["skl-medborgardialog"][2], clock)
    await page.wait_for_url("**/tab/personal")
    assert await page.get_by_role("link", name="Medborgardialog", exact=False).count() == 1
    assert await serious_violations(page) == []
    response = await page.goto(f"{tab_server}/tab/network/demo?lang=da&theme=dark")
    assert response is not None and response.status == 403
    assert "kun for dets medlemmer" in await page.inner_text("main")
    assert await serious_violations(page) == []
    await page.screenshot(path=str(Path(SCREENSHOTS) / "stranger-refused-dark.png"))
