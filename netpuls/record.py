"""The record of processing (docs/privacy.md), served at /privacy so that the app package's
privacy URL points at the deployment's own copy by default."""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from netpuls.settings import PRIVACY_RECORD_PATH

log = logging.getLogger(__name__)

# In an installed wheel the record sits beside this module (pyproject's force-include);
# in a checkout it is the repository's docs/privacy.md.
PLACES = (
    Path(__file__).resolve().parent / "privacy.md",
    Path(__file__).resolve().parents[1] / "docs" / "privacy.md",
)
RECORD = web.AppKey("privacy_record", str)


def read_record(places: tuple[Path, ...] = PLACES) -> str | None:
    """The record's text, from the first place that has it."""
    for place in places:
        if place.is_file():
            return place.read_text(encoding="utf-8")
    return None


async def privacy_record(request: web.Request) -> web.StreamResponse:
    """GET /privacy: the record as plain text (Markdown), readable in any browser."""
    return web.Response(
        text=request.app[RECORD],
        content_type="text/plain",
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


def add_record(app: web.Application, places: tuple[Path, ...] = PLACES) -> None:
    """Serve the record when this installation has it (read once, when the app is made)."""
    text = read_record(places)
    if text is None:
        log.warning("the record of processing (privacy.md) is missing: /privacy is not served")
        return
    app[RECORD] = text
    app.router.add_get(PRIVACY_RECORD_PATH, privacy_record)
