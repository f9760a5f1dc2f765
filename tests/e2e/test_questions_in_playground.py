"""Ask the network in the Agents Playground: the question becomes a thread in the channel.

The Playground's user is the demo facilitator, who also uses Svendborg's seat
(examples/demo.yaml). The demo network has no applications, so nobody has listed the theme:
the question asks every other member, at most five, and names those whose contacts the bot
has not met in Teams yet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import expect

from .playground import COMPOSER, TEAM_GENERAL, PlaygroundUI

REPO_CONFIG = Path(__file__).resolve().parents[2] / ".m365agentsplayground.yml"
TIMEOUT = 15_000
OUTBOX = 30_000  # the outbox worker polls every 5 seconds
QUESTION = "How much green space do you keep per new home?"
ASKED = "Aalborg Kommune, Aarhus Kommune, Københavns Kommune, Køge Kommune, Odense Kommune"


@pytest.fixture
def playground_config_path() -> Path:
    """The repository's Playground config: its users are the demo network's people."""
    return REPO_CONFIG


async def reply_in_thread(ui: PlaygroundUI, thread: object, text: str) -> None:
    """Reply in a channel thread, @mentioning the bot as a person would."""
    box = thread.locator(COMPOSER).first  # type: ignore[attr-defined]
    await box.click()
    await box.press_sequentially("@" + ui.bot_name.split()[0])
    exact_name = re.compile(rf"^\s*{re.escape(ui.bot_name)}\s*$")
    await ui.page.get_by_role("menuitem").filter(has_text=exact_name).click()
    await box.press_sequentially(" " + text)
    await box.press("Enter")


async def test_a_question_asked_in_the_channel_becomes_a_thread_and_is_listed_as_open(
    playground_ui: PlaygroundUI,
) -> None:
    ui = playground_ui
    await ui.select_chat(TEAM_GENERAL)
    await expect(ui.channel_post("link <network>").first).to_be_visible(timeout=TIMEOUT)
    await ui.send("link demo", mention=True)
    await expect(ui.channel_post("now linked").first).to_be_visible(timeout=TIMEOUT)

    await ui.send(f"ask #3 {QUESTION}", mention=True)
    await expect(ui.channel_post("Question 1 is on its way to 1 channel(s)").first).to_be_visible(
        timeout=TIMEOUT
    )
    # The outbox posts it as a new thread: the card with the theme, and whom it asks.
    card = ui.adaptive_card("Question 1 to the network").filter(has_text=QUESTION).first
    await expect(card).to_be_visible(timeout=OUTBOX)
    await expect(card).to_contain_text("What role does green space play in the compact town?")
    await expect(card).to_contain_text("Open")
    # Nobody it asks has a Teams account the bot has met: the municipalities are named.
    await expect(card).to_contain_text(ASKED)
    thread = ui.channel_post(QUESTION).filter(has_text="Question 1 to the network").first

    await ui.send("questions", mention=True)
    listing = ui.adaptive_card("Questions to Compact Green Towns (demo)").first
    await expect(listing).to_be_visible(timeout=TIMEOUT)
    await expect(listing).to_contain_text(QUESTION)
    await expect(listing).to_contain_text("Open · 0 answer(s) · Demo facilitator, Svendborg")

    # A reply in the question's thread reaches the bot there; the asker's own is no answer.
    await reply_in_thread(ui, thread, "Does anyone count roof gardens?")
    await expect(thread).to_contain_text("This is your own question", timeout=TIMEOUT)
    await ui.send("answered 1", mention=True)
    await expect(ui.channel_post("Question 1 is answered").first).to_be_visible(timeout=TIMEOUT)
    await ui.send("questions #3", mention=True)
    await expect(
        ui.adaptive_card("Answered · 0 answer(s) · Demo facilitator, Svendborg").first
    ).to_be_visible(timeout=TIMEOUT)
