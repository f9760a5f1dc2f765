"""Take the README's screenshot: the demo network's agenda card in the Agents Playground.

Run from the repository root after `make install`:

    PYTHONPATH=. .venv/bin/python scripts/playground_screenshot.py [OUT.png]

It starts netpuls as `make run` does (anonymous, loopback, a fresh SQLite database, the demo
network), the Playground with the repository's `.m365agentsplayground.yml`, and Debian's
headless Chromium (only the Playground reachable); links *My Team > General* to the demo,
posts the agenda, answers "Attending" and saves the page.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path

from playwright.async_api import expect

from tests.e2e.bot_server import run_bot
from tests.e2e.playground import (
    TEAM_GENERAL,
    PlaygroundUI,
    launch_chromium,
    new_playground_context,
    open_playground,
    run_playground,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "docs" / "images" / "playground-agenda.png"
TIMEOUT_MS = 20_000


async def take(out: Path) -> None:
    """Drive the Playground to the answered agenda card and save a screenshot to ``out``."""
    with tempfile.TemporaryDirectory(prefix="netpuls-shot-") as tmp:
        work = Path(tmp)
        async with (
            run_bot(work / "bot") as base,
            run_playground(
                base + "/api/messages",
                log_dir=work / "playground",
                config_path=REPO_ROOT / ".m365agentsplayground.yml",
            ) as playground,
            launch_chromium() as browser,
        ):
            context = await new_playground_context(browser, playground, timeout_ms=TIMEOUT_MS)
            page = await context.new_page()
            await open_playground(page, playground)
            ui = PlaygroundUI(page)
            await ui.select_chat(TEAM_GENERAL)
            await expect(ui.channel_post("link <network>").first).to_be_visible(timeout=TIMEOUT_MS)
            await ui.send("link demo", mention=True)
            await expect(ui.channel_post("now linked").first).to_be_visible(timeout=TIMEOUT_MS)
            await ui.send("agenda", mention=True)
            card = ui.adaptive_card("Network meeting 2").filter(has_text="Attending").first
            await expect(card).to_be_visible(timeout=TIMEOUT_MS)
            await card.get_by_label(re.compile("Dietary needs")).fill("vegetarian")
            async with page.expect_response("**/_conversation/v1/invoke"):
                await card.get_by_role("button", name="Attending", exact=True).click()
            updated = ui.adaptive_card("1 of 6 municipalities have answered").first
            await expect(updated).to_be_visible(timeout=TIMEOUT_MS)
            await updated.scroll_into_view_if_needed()
            out.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(out))
            await context.close()


def main() -> None:
    """Command-line entry: the output path is the only, optional argument."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    asyncio.run(take(out))
    print(out)


if __name__ == "__main__":
    main()
