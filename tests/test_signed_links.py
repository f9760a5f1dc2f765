"""Signed links to the files the bot serves: key rotation, unknown keys, expiry, no derived key."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from bot.routing.links import Links
from netpuls.settings import Settings
from tests.conftest import FixedClock
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network

CURRENT = "the-current-signing-key-0123456789"
PREVIOUS = "the-signing-key-before-rotation-01"
BASE = "https://netpuls.example.org"
CALENDAR = "/calendar/kompakte-groenne-byer.ics"  # the network's meetings, as the welcome links it


@pytest.fixture
async def bot(start_bot: BotStarter) -> TestClient[Any, Any]:
    """The bot after a key rotation: CURRENT signs, PREVIOUS still verifies."""
    return await start_bot(
        {},
        network=small_network(),
        signing_key=CURRENT,
        signing_key_previous=PREVIOUS,
        public_base_url=BASE,
    )


async def fetch(bot: TestClient[Any, Any], url: str) -> int:
    """GET a full link on the bot under test; the HTTP status."""
    link = urlsplit(url)
    return (await bot.get(f"{link.path}?{link.query}")).status


async def test_a_link_signed_before_the_key_was_rotated_still_opens(
    bot: TestClient[Any, Any], clock: FixedClock
) -> None:
    old = Links(BASE, PREVIOUS.encode()).make(CALENDAR, clock.now() + timedelta(days=7))
    assert await fetch(bot, old) == 200


async def test_a_link_signed_with_a_key_the_bot_does_not_have_is_refused(
    bot: TestClient[Any, Any], clock: FixedClock
) -> None:
    forged = Links(BASE, b"someone-elses-key-of-32-bytes-xyz").make(
        CALENDAR, clock.now() + timedelta(days=7)
    )
    assert await fetch(bot, forged) == 403


async def test_an_expired_link_is_refused_whichever_key_signed_it(
    bot: TestClient[Any, Any], clock: FixedClock
) -> None:
    for key in (CURRENT, PREVIOUS):
        expired = Links(BASE, key.encode()).make(CALENDAR, clock.now() - timedelta(seconds=1))
        assert await fetch(bot, expired) == 403


async def test_new_links_are_signed_with_the_current_key_only(clock: FixedClock) -> None:
    settings = Settings(app_id="", signing_key=CURRENT, signing_key_previous=PREVIOUS)
    key, previous = settings.link_keys()
    url = Links(BASE, key, previous).make(CALENDAR, clock.now() + timedelta(days=1))
    exp, sig = (part.split("=")[1] for part in urlsplit(url).query.split("&"))

    assert Links(BASE, CURRENT.encode()).valid(CALENDAR, exp, sig, clock.now())
    assert not Links(BASE, PREVIOUS.encode()).valid(CALENDAR, exp, sig, clock.now())


async def test_without_a_configured_key_links_cannot_be_forged_from_the_database_url(
    start_bot: BotStarter, database_url: str, clock: FixedClock
) -> None:
    # Anonymous and without NETPULS_SIGNING_KEY, the key once was sha256 of DATABASE_URL (and
    # of MicrosoftAppPassword when there was one): anyone who knew either could sign links.
    bot = await start_bot({}, network=small_network(), app_password="client-secret")
    until = clock.now() + timedelta(days=7)
    for seed in (database_url, "client-secret"):
        derived = hashlib.sha256(b"netpuls-links:" + seed.encode()).digest()
        assert await fetch(bot, Links(BASE, derived).make(CALENDAR, until)) == 403


def test_with_an_app_id_no_key_is_made_up() -> None:
    settings = Settings(app_id="11111111-2222-3333-4444-555555555555", app_password="secret")

    with pytest.raises(ValueError, match="NETPULS_SIGNING_KEY"):
        settings.link_keys()


def test_without_an_app_id_or_a_key_the_process_keeps_one_random_key() -> None:
    first = Settings(app_id="", database_url="sqlite+aiosqlite:///a.db").link_keys()
    second = Settings(app_id="", database_url="sqlite+aiosqlite:///b.db").link_keys()

    assert first == second  # links survive a second app in the same process, not a restart
    assert len(first[0]) == 32 and first[1] == ()
