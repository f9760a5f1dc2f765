"""The record of processing: served by the bot at /privacy, and the app package's privacy URL
by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web

from netpuls.app import create_app
from netpuls.record import add_record
from netpuls.settings import Settings

RECORD = Path(__file__).resolve().parents[1] / "docs" / "privacy.md"


async def test_the_bot_serves_the_record_of_processing_at_privacy(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", app_id="", scheduler_enabled=False
    )
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/privacy")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert await response.text() == RECORD.read_text(encoding="utf-8")


async def test_without_the_record_nothing_is_served_at_privacy(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    app = web.Application()
    add_record(app, (tmp_path / "privacy.md",))
    client = await aiohttp_client(app)
    assert (await client.get("/privacy")).status == 404


def test_the_privacy_page_is_the_served_record_unless_one_is_given() -> None:
    served = Settings(public_base_url="https://netpuls.example.org/")
    assert served.privacy_page() == "https://netpuls.example.org/privacy"
    given = Settings(
        public_base_url="https://netpuls.example.org", privacy_url="https://it.example.org/p"
    )
    assert given.privacy_page() == "https://it.example.org/p"
    assert Settings(public_base_url="http://127.0.0.1:3978").privacy_page() == ""
