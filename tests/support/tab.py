"""The tab's session as a page handler sees it: the reader a cookie names."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, make_mocked_request

from tab.signin import COOKIE, TabReader, reader_from_request


async def reader(bot: TestClient[Any, Any], cookie: str) -> TabReader | None:
    """What reader_from_request makes of a request to the bot carrying this session cookie."""
    request = make_mocked_request(
        "GET", "/tab/personal", headers={"Cookie": f"{COOKIE}={cookie}"}, app=bot.app
    )
    return await reader_from_request(request)
