"""A Danish planner in Microsoft 365 Agents Playground: Danish command names only, Danish answers.

The Playground always sends the locale en-US, so the planner first chooses Danish with the
Danish name of `language`; the network is the demo network declared in Danish, so that its
agenda card in the channel is Danish too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import expect

from .bot_server import DEMO, run_bot
from .playground import PERSONAL_CHAT, TEAM_GENERAL, PlaygroundUI

REPO_CONFIG = Path(__file__).resolve().parents[2] / ".m365agentsplayground.yml"
TIMEOUT = 15_000


@pytest.fixture
def playground_config_path() -> Path:
    """The repository's Playground config: its users are the demo network's people."""
    return REPO_CONFIG


@pytest.fixture
async def bot_server(tmp_path: Path) -> AsyncIterator[str]:
    """netpuls with the demo network in Danish (its channel posts are Danish)."""
    danish = tmp_path / "demo-da.yaml"
    text = DEMO.read_text(encoding="utf-8")
    assert "\n  language: en\n" in text
    danish.write_text(text.replace("\n  language: en\n", "\n  language: da\n"), encoding="utf-8")
    async with run_bot(tmp_path / "bot", network_file=danish) as base_url:
        yield base_url


async def test_a_danish_planner_uses_danish_command_names_and_is_answered_in_danish(
    playground_ui: PlaygroundUI,
) -> None:
    ui = playground_ui
    await expect(ui.bot_message("I am netpuls")).to_be_visible(timeout=TIMEOUT)

    await ui.send("sprog da")
    await expect(ui.bot_message("Fra nu af svarer jeg dig på dansk")).to_be_visible()

    await ui.send("hjælp")
    helped = ui.bot_message("Det kan jeg hjælpe med")
    await expect(helped).to_be_visible(timeout=TIMEOUT)
    await expect(helped).to_contain_text("næste: netværkets næste møde")
    await expect(helped).to_contain_text("opsamling [møde]")
    # The hint keeps its placeholder: Markdown does not read <e-mail> as a tag.
    await expect(helped).to_contain_text(
        "plads [kommune] [tilføj|fjern|fast|indehaver <e-mail> [navn]]"
    )

    await ui.send("næste")
    await expect(ui.adaptive_card("Næste: Netværksmøde 2")).to_contain_text("Sted", timeout=TIMEOUT)

    # The RSVP: the facilitator posts the agenda in the channel and answers it, in Danish.
    await ui.select_chat(TEAM_GENERAL)
    await ui.send("tilknyt demo", mention=True)
    await expect(ui.channel_post("nu knyttet til").first).to_be_visible(timeout=TIMEOUT)
    await ui.send("dagsorden", mention=True)
    card = ui.adaptive_card("Netværksmøde 2").filter(has_text="Deltager").first
    await expect(card).to_be_visible(timeout=TIMEOUT)
    await expect(card).to_contain_text("0 af 6 kommuner har svaret")
    await ui.press(card, "Deltager")
    await expect(ui.adaptive_card("1 af 6 kommuner har svaret").first).to_be_visible(
        timeout=TIMEOUT
    )
    await expect(ui.channel_post(re.compile("I don't know|Jeg kender ikke"))).to_have_count(0)

    await ui.select_chat(PERSONAL_CHAT)
    await expect(ui.bot_message(re.compile("I don't know|Jeg kender ikke"))).to_have_count(0)
