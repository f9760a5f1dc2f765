"""`netpuls tab url`: a signed loopback link to the tab for a member, refused for anyone else."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tab.signin import COOKIE, TabReader
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network
from tests.support.tab import reader

ROOT = Path(__file__).resolve().parents[1]
KEY = "the-tab-cli-signing-key-0123456789"
SLUG = "kompakte-groenne-byer"
FACILITATOR = "facilitator@example.org"


async def netpuls(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`netpuls ARGS` in its own process on the test database."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NETPULS_SIGNING_KEY": KEY,
        "MicrosoftAppId": "",
        **env,
    }
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "netpuls", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_printed_link_opens_the_tab_as_that_member(
    start_bot: BotStarter, database_url: str
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)

    printed = await netpuls(
        database_url, "tab", "url", "--network", SLUG, "--email", "Facilitator@Example.org"
    )

    assert printed.returncode == 0, printed.stderr
    link = urlsplit(printed.stdout.strip())
    assert (link.scheme, link.netloc, link.path) == ("http", "127.0.0.1:3978", "/tab/open")
    response = await bot.get(f"{link.path}?{link.query}", allow_redirects=False)
    assert response.headers["Location"] == f"/tab/network/{SLUG}"
    assert await reader(bot, response.cookies[COOKIE].value) == TabReader(None, None, FACILITATOR)


async def test_an_unknown_network_a_stranger_or_a_missing_key_gets_no_link(
    start_bot: BotStarter, database_url: str
) -> None:
    await start_bot({}, network=small_network(), signing_key=KEY)
    refused: dict[str, Any] = {
        "no network called 'nowhere'": await netpuls(
            database_url, "tab", "url", "--network", "nowhere", "--email", FACILITATOR
        ),
        "is not a member or organiser of any network": await netpuls(
            database_url, "tab", "url", "--personal", "--email", "stranger@example.org"
        ),
        "NETPULS_SIGNING_KEY": await netpuls(
            database_url,
            *("tab", "url", "--network", SLUG, "--email", FACILITATOR),
            NETPULS_SIGNING_KEY="",
        ),
    }

    for reason, result in refused.items():
        assert result.returncode != 0 and result.stdout == "", reason
        assert reason in result.stderr, result.stderr
