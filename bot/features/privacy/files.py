"""A person's export behind a signed link valid for an hour: the link is the permission."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timedelta

from aiohttp import web

from bot.routing.links import Links
from domain.errors import DomainError
from services import privacy
from services.ports import Clock
from services.privacy_ports import PrivacyUnitOfWorkFactory

EXPORT_LIFETIME = timedelta(hours=1)
PRIVACY_ROUTE = r"/exports/privacy/{who}.json"


def _who(teams_user_id: str) -> str:
    """The Teams id in a form a URL path keeps as it is (it holds ':')."""
    return base64.urlsafe_b64encode(teams_user_id.encode()).decode().rstrip("=")


def _teams_id(who: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(who + "=" * (-len(who) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def export_path(teams_user_id: str) -> str:
    """Where a person's export is served."""
    return f"/exports/privacy/{_who(teams_user_id)}.json"


def export_link(links: Links, teams_user_id: str, now: datetime) -> str:
    """A signed link to the person's export, valid for an hour."""
    return links.make(export_path(teams_user_id), now + EXPORT_LIFETIME)


class PrivacyFiles:
    """GET /exports/privacy/<who>.json, gathered fresh on each download."""

    def __init__(self, uows: PrivacyUnitOfWorkFactory, clock: Clock, links: Links) -> None:
        self._uows = uows
        self._clock = clock
        self._links = links

    async def download(self, request: web.Request) -> web.StreamResponse:
        """The export as JSON; the link's signature is checked first."""
        query = request.query
        if not self._links.valid(
            request.path, query.get("exp", ""), query.get("sig", ""), self._clock.now()
        ):
            raise web.HTTPForbidden(text="This link is not valid or has expired.")
        teams_user_id = _teams_id(request.match_info["who"])
        if not teams_user_id:
            raise web.HTTPNotFound(text="Nothing to export.")
        try:
            document = await privacy.export(
                self._uows, self._clock, teams_user_id=teams_user_id, actor=teams_user_id
            )
        except DomainError:
            raise web.HTTPNotFound(text="Nothing to export.") from None
        return web.Response(
            text=json.dumps(document, ensure_ascii=False, indent=2),
            content_type="application/json",
            charset="utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="netpuls-export.json"',
                "Cache-Control": "no-store",
            },
        )


PRIVACY_FILES = web.AppKey("privacy_files", PrivacyFiles)


async def privacy_download(request: web.Request) -> web.StreamResponse:
    """The route's handler; the PrivacyFiles object is built when the app starts."""
    return await request.app[PRIVACY_FILES].download(request)
