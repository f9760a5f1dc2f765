"""A problem statement and a summary in the Agents Playground, as the demo facilitator does them.

The Playground's only user is the demo facilitator, who also uses Svendborg's seat
(examples/demo.yaml): the same person submits the case as a participant and accepts it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import expect

from .playground import TEAM_GENERAL, PlaygroundUI

REPO_CONFIG = Path(__file__).resolve().parents[2] / ".m365agentsplayground.yml"
TIMEOUT = 15_000
TITLE = "Green open space around the new station"


@pytest.fixture
def playground_config_path() -> Path:
    """The repository's Playground config: its users are the demo network's people."""
    return REPO_CONFIG


async def click_and_wait(ui: PlaygroundUI, card: object, name: str) -> None:
    """Click a card button and wait for the bot's invoke answer."""
    async with ui.page.expect_response("**/_conversation/v1/invoke") as answered:
        await card.get_by_role("button", name=name, exact=True).click()  # type: ignore[attr-defined]
    assert (await answered.value).ok


async def test_a_case_is_accepted_onto_the_agenda_and_the_summary_waits_for_the_meeting(
    playground_ui: PlaygroundUI,
) -> None:
    ui = playground_ui
    await ui.select_chat(TEAM_GENERAL)
    await expect(ui.channel_post("link <network>").first).to_be_visible(timeout=TIMEOUT)
    await ui.send("link demo", mention=True)
    await expect(ui.channel_post("now linked").first).to_be_visible(timeout=TIMEOUT)
    await ui.send("agenda", mention=True)
    agenda = ui.adaptive_card("Network meeting 2").filter(has_text="Attending").first
    await expect(agenda).to_be_visible(timeout=TIMEOUT)

    # As Svendborg's participant: submit a problem statement.
    await ui.send("case", mention=True)
    form = ui.adaptive_card("Submit a problem statement").filter(has_text="Themes").first
    await expect(form).to_be_visible(timeout=TIMEOUT)
    await form.get_by_label(re.compile("^Title")).fill(TITLE)
    await form.get_by_label(re.compile("^The question")).fill(
        "How do we keep green space when we densify around the station?"
    )
    await click_and_wait(ui, form, "Submit")
    await expect(ui.adaptive_card("the facilitator will look at").first).to_be_visible(
        timeout=TIMEOUT
    )

    # As the facilitator: accept it.
    await ui.send("cases 2", mention=True)
    listing = ui.adaptive_card("Problem statements: Network meeting 2").filter(
        has_text="Waiting for a decision"
    )
    await expect(listing.first).to_be_visible(timeout=TIMEOUT)
    await listing.first.get_by_role("button", name="Decide", exact=True).click()
    await click_and_wait(ui, listing.first, "Accept")
    await expect(ui.adaptive_card("Accepted; the submitter is told.").first).to_be_visible(
        timeout=TIMEOUT
    )

    # The posted agenda is updated: the case is on it.
    on_agenda = ui.adaptive_card("Problem statements for sparring").filter(has_text=TITLE)
    await expect(on_agenda.first).to_be_visible(timeout=TIMEOUT)

    # The summary: written, but the demo's first meeting is still to come, so it cannot be
    # posted yet; the card says so, keeps what was typed, and saves it as a draft.
    await ui.send("summary 1", mention=True)
    summary = ui.adaptive_card("Summary: Network meeting 1").filter(has_text="Save draft").first
    await expect(summary).to_be_visible(timeout=TIMEOUT)
    await summary.get_by_label("Key points", exact=True).fill("Green and dense go together.")
    await summary.get_by_label("Good advice", exact=True).fill("Plan the green structure first.")
    await click_and_wait(ui, summary, "Post to the channel")
    await expect(ui.adaptive_card("Posted to 1 channel(s).").first).to_be_visible(timeout=TIMEOUT)
    # Input values are not text: only the posted card shows the advice as text.
    posted = ui.adaptive_card("Plan the green structure first.")
    await expect(posted.first).to_be_visible(timeout=TIMEOUT)
    await expect(posted.first).to_contain_text("Summary: Network meeting 1")
    # Meeting 1 was held yesterday (the demo's dates) and its agenda was not posted here: the
    # summary is a post of its own in the channel.
    post = ui.channel_post("Summary: Network meeting 1").filter(
        has_text="Plan the green structure first."
    )
    await expect(post.first).to_be_visible(timeout=TIMEOUT)
