"""Posting activities to the app under test, the way the Bot Framework Service does."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from netpuls.wiring import BACKGROUND
from tests.support.activities import installed, message


async def post_activity(client: TestClient[Any, Any], activity: dict[str, Any]) -> tuple[int, Any]:
    """POST /api/messages; the status and JSON body, after the turn's background work ran."""
    response = await client.post("/api/messages", json=activity)
    body = await response.json() if response.content_type == "application/json" else None
    await client.app[BACKGROUND].drain()
    return response.status, body


async def link_channel(
    client: TestClient[Any, Any], where: dict[str, Any], slug: str = "kompakte-groenne-byer"
) -> None:
    """Install the bot in the channel `where` and link it to a network, as an organiser does."""
    await post_activity(client, installed(where))
    await post_activity(client, message(where, f"link {slug}", mention=True))
