"""netpuls in Microsoft 365 Agents Playground, driven as a person would, in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import expect

from .playground import (
    GENERAL_CHANNEL_ID,
    PERSONAL_CHAT,
    TEAM_GENERAL,
    HeadlessChat,
    PlaygroundUI,
    texts,
)

REPO_CONFIG = Path(__file__).resolve().parents[2] / ".m365agentsplayground.yml"
TIMEOUT = 15_000


@pytest.fixture
def playground_config_path() -> Path:
    """The repository's Playground config: its users are the demo network's people."""
    return REPO_CONFIG


async def test_personal_chat_greets_helps_and_shows_the_next_meeting_in_two_languages(
    playground_ui: PlaygroundUI,
) -> None:
    ui = playground_ui
    await expect(ui.bot_message("I am netpuls")).to_be_visible(timeout=TIMEOUT)

    await ui.send("help")
    await expect(ui.bot_message("Here is what I can do")).to_contain_text("link <network>")

    await ui.send("next")
    card = ui.adaptive_card("Next: Network meeting 2")
    await expect(card).to_contain_text("Compact Green Towns (demo)", timeout=TIMEOUT)
    await expect(card).to_contain_text("10:00")

    await ui.send("language da")
    await expect(ui.bot_message("Fra nu af svarer jeg dig på dansk")).to_be_visible()
    await ui.send("næste")
    await expect(ui.adaptive_card("Næste: Netværksmøde 2")).to_contain_text("Sted")


async def test_in_the_channel_the_bot_answers_mentions_and_the_facilitator_links_it(
    playground_ui: PlaygroundUI,
) -> None:
    ui = playground_ui
    await ui.select_chat(TEAM_GENERAL)
    await expect(ui.channel_post("link <network>").first).to_be_visible(timeout=TIMEOUT)

    await ui.send("help", mention=True)
    await expect(ui.channel_post("Here is what I can do")).to_be_visible(timeout=TIMEOUT)

    await ui.send("next", mention=True)
    await expect(ui.adaptive_card("Next: Network meeting 2")).to_be_visible(timeout=TIMEOUT)

    await ui.send("link demo", mention=True)
    await expect(ui.channel_post(re.compile("now linked to Compact Green Towns"))).to_be_visible(
        timeout=TIMEOUT
    )


async def test_without_a_browser_next_arrives_as_a_card_and_unknown_words_get_a_hint(
    playground_chat: HeadlessChat,
) -> None:
    chat = playground_chat
    greeting = await chat.install(chat.conversations.personal)
    assert "I am netpuls" in (greeting[0].text or "")
    (reply,) = await chat.say(GENERAL_CHANNEL_ID, "next")
    (card,) = reply.cards
    assert card["version"] == "1.5"
    assert "Next: Network meeting 2" in str(card["body"])
    replies = await chat.say(chat.conversations.personal, "dance")
    assert "I don't know the command 'dance'" in (texts(replies)[0] or "")


async def test_the_facilitator_posts_the_agenda_answers_it_and_sees_the_attendee_list(
    playground_ui: PlaygroundUI,
) -> None:
    ui = playground_ui
    page = ui.page
    await ui.select_chat(TEAM_GENERAL)
    await expect(ui.channel_post("link <network>").first).to_be_visible(timeout=TIMEOUT)
    await ui.send("link demo", mention=True)
    await expect(ui.channel_post("now linked").first).to_be_visible(timeout=TIMEOUT)

    await ui.send("agenda", mention=True)
    card = ui.adaptive_card("Network meeting 2").filter(has_text="Attending").first
    await expect(card).to_be_visible(timeout=TIMEOUT)
    await expect(card).to_contain_text("0 of 6 municipalities have answered")

    await card.get_by_label(re.compile("Dietary needs")).fill("vegetarian, no nuts")
    async with page.expect_response("**/_conversation/v1/invoke") as answered:
        await card.get_by_role("button", name="Attending", exact=True).click()
    assert (await answered.value).ok
    # The invoke answer shows the reader's own copy; right after, the bot updates the posted
    # card for everyone (in Teams each reader's copy then refreshes itself).
    updated = ui.adaptive_card("1 of 6 municipalities have answered").first
    await expect(updated).to_be_visible(timeout=TIMEOUT)
    await expect(updated).to_contain_text("Svendborg Kommune")

    # Dietary needs are never posted in the channel: the list goes to the personal chat.
    await ui.send("attendees", mention=True)
    await expect(ui.channel_post("I sent you the rest in our personal chat").first).to_be_visible(
        timeout=TIMEOUT
    )
    await expect(ui.adaptive_card("vegetarian, no nuts")).to_have_count(0)
    await ui.select_chat(PERSONAL_CHAT)
    listing = ui.adaptive_card("vegetarian, no nuts").first
    await expect(listing).to_be_visible(timeout=TIMEOUT)
    await expect(listing).to_contain_text("Demo facilitator")
    await expect(listing).to_contain_text("No answer")
