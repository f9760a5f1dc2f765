"""The tab's signed sign-in link: GET /tab/open sets a session cookie and redirects; a bad,
tampered or expired link gets a 4xx page and no cookie, whatever the query holds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from netpuls.settings import Settings
from tab.signin import COOKIE, TabReader, signed_tab_url
from tests.conftest import FixedClock
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network
from tests.support.tab import reader

KEY = "the-tab-test-signing-key-0123456789"
SLUG = "kompakte-groenne-byer"
FACILITATOR = "facilitator@example.org"
SETTINGS = Settings(app_id="", signing_key=KEY)


async def open_link(bot: TestClient[Any, Any], url: str) -> Any:
    """GET a full link on the bot under test, without following the redirect."""
    link = urlsplit(url)
    return await bot.get(f"{link.path}?{link.query}", allow_redirects=False)


async def test_a_signed_link_sets_the_session_and_redirects_to_the_network(
    start_bot: BotStarter, clock: FixedClock
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)

    response = await open_link(bot, signed_tab_url(SETTINGS, SLUG, FACILITATOR, clock.now()))

    assert response.status == 303
    assert response.headers["Location"] == f"/tab/network/{SLUG}"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/tab"
    assert cookie["samesite"] == "Lax" and not cookie["secure"]  # loopback http
    assert await reader(bot, cookie.value) == TabReader(None, None, FACILITATOR)


async def test_a_personal_link_redirects_to_the_personal_tab(
    start_bot: BotStarter, clock: FixedClock
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)

    response = await open_link(bot, signed_tab_url(SETTINGS, None, FACILITATOR, clock.now()))

    assert (response.status, response.headers["Location"]) == (303, "/tab/personal")


async def test_over_https_the_cookie_can_live_in_the_teams_iframe(
    start_bot: BotStarter, clock: FixedClock
) -> None:
    bot = await start_bot(
        {}, network=small_network(), signing_key=KEY, public_base_url="https://netpuls.example.org"
    )

    response = await open_link(bot, signed_tab_url(SETTINGS, SLUG, FACILITATOR, clock.now()))

    header = response.headers["Set-Cookie"]
    assert "SameSite=None" in header and "Secure" in header and "HttpOnly" in header


async def test_the_link_is_a_loopback_url_valid_one_hour(clock: FixedClock) -> None:
    url = urlsplit(signed_tab_url(SETTINGS, SLUG, FACILITATOR, clock.now()))
    query = dict(parse_qsl(url.query))

    assert (url.scheme, url.netloc, url.path) == ("http", "127.0.0.1:3978", "/tab/open")
    assert int(query["exp"]) == int((clock.now() + timedelta(hours=1)).timestamp())
    assert (query["network"], query["email"]) == (SLUG, FACILITATOR)


async def test_an_expired_link_is_refused_with_a_page_and_no_cookie(
    start_bot: BotStarter, clock: FixedClock
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)
    url = signed_tab_url(SETTINGS, SLUG, FACILITATOR, clock.now() - timedelta(hours=1, seconds=1))

    response = await open_link(bot, url)

    assert response.status == 403 and COOKIE not in response.cookies
    assert "not valid or has expired" in await response.text()


async def test_a_tampered_link_is_refused(start_bot: BotStarter, clock: FixedClock) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)
    link = urlsplit(signed_tab_url(SETTINGS, SLUG, "planner.odense@example.org", clock.now()))
    query = dict(parse_qsl(link.query))
    tampered = [
        {**query, "email": FACILITATOR},  # someone else's session
        {**query, "network": "another-network"},
        {k: v for k, v in query.items() if k != "network"},  # the personal tab instead
        {**query, "exp": str(int(query["exp"]) + 3600)},
        {**query, "sig": "0" * 32},
    ]
    for changed in tampered:
        response = await bot.get(f"/tab/open?{urlencode(changed)}", allow_redirects=False)
        assert response.status == 403 and COOKIE not in response.cookies, changed


async def test_a_link_signed_with_another_key_is_refused(
    start_bot: BotStarter, clock: FixedClock
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)
    other = Settings(app_id="", signing_key="another-key-that-the-bot-does-not-have")

    response = await open_link(bot, signed_tab_url(other, SLUG, FACILITATOR, clock.now()))

    assert response.status == 403


async def test_a_link_signed_before_the_key_was_rotated_still_opens_and_the_session_with_it(
    start_bot: BotStarter, clock: FixedClock
) -> None:
    new_key = "the-key-after-the-rotation-0123456789"
    bot = await start_bot(
        {}, network=small_network(), signing_key=new_key, signing_key_previous=KEY
    )

    response = await open_link(bot, signed_tab_url(SETTINGS, SLUG, FACILITATOR, clock.now()))

    assert response.status == 303
    assert await reader(bot, response.cookies[COOKIE].value) is not None


async def test_a_link_for_someone_no_longer_a_member_opens_nothing(
    start_bot: BotStarter, clock: FixedClock
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)

    for slug, email in ((SLUG, "stranger@example.org"), ("no-such-network", FACILITATOR)):
        response = await open_link(bot, signed_tab_url(SETTINGS, slug, email, clock.now()))
        assert response.status == 403 and COOKIE not in response.cookies


async def test_an_incomplete_link_is_a_bad_request_in_the_readers_language(
    start_bot: BotStarter,
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)

    response = await bot.get(
        f"/tab/open?network={SLUG}&email={FACILITATOR}", headers={"Accept-Language": "da-DK"}
    )

    assert response.status == 400
    assert 'lang="da"' in await response.text()


async def test_a_session_past_its_lifetime_or_signed_elsewhere_names_nobody(
    start_bot: BotStarter, clock: FixedClock
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY, tab_session_minutes=60)
    response = await open_link(bot, signed_tab_url(SETTINGS, SLUG, FACILITATOR, clock.now()))
    cookie = response.cookies[COOKIE].value
    forged = jwt.encode(
        {**jwt.decode(cookie, options={"verify_signature": False})},
        b"someone-elses-key-of-32-bytes-xyz",
        algorithm="HS256",
    )

    assert await reader(bot, forged) is None
    assert await reader(bot, "not-a-cookie") is None
    clock.current += timedelta(minutes=61)
    assert await reader(bot, cookie) is None


FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = st.sampled_from(["network", "email", "exp", "sig", "locale", "x", ""])
VALUES = st.one_of(
    st.text(max_size=300),
    st.sampled_from([SLUG, FACILITATOR, "9" * 40, "-1", "1e9", "0" * 32, "\x00", "%ZZ"]),
)


@FUZZ
@given(pairs=st.lists(st.tuples(NAMES, VALUES), max_size=8))
@example(pairs=[("network", SLUG), ("email", FACILITATOR), ("exp", "9" * 40), ("sig", "0")])
@example(pairs=[("email", "@"), ("exp", "99999999999"), ("sig", "x"), ("network", "A B")])
async def test_no_query_gets_a_server_error_or_a_cookie_without_a_signature(
    start_bot: BotStarter, pairs: list[tuple[str, str]]
) -> None:
    bot = await start_bot({}, network=small_network(), signing_key=KEY)

    response = await bot.get(f"/tab/open?{urlencode(pairs)}", allow_redirects=False)

    assert response.status in (400, 403)
    assert COOKIE not in response.cookies
