"""The engagement CSV behind a signed, expiring link, and the quiet threshold commands use."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiohttp import web

from bot.routing.links import Links
from cards.exports import engagement_csv
from domain.errors import NotFound
from netpuls.i18n import translator
from services.engagement import engagement_of
from services.ports import Clock, UnitOfWorkFactory

CSV_LIFETIME = timedelta(hours=1)
ENGAGEMENT_ROUTE = r"/exports/{slug}/engagement.csv"


def engagement_path(slug: str) -> str:
    """Where a network's engagement CSV is served."""
    return f"/exports/{slug}/engagement.csv"


def csv_link(links: Links, slug: str, now: datetime) -> str:
    """A signed link to the CSV, valid for an hour (the link is the permission)."""
    return links.make(engagement_path(slug), now + CSV_LIFETIME)


class EngagementFiles:
    """GET /exports/<network>/engagement.csv, counted fresh on each download."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, links: Links, quiet_after: timedelta
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._links = links
        self.quiet_after = quiet_after

    async def download(self, request: web.Request) -> web.StreamResponse:
        """The CSV; the link's signature is checked first."""
        if not self._links.verify(request.path, request.query, self._clock.now()):
            raise web.HTTPForbidden(text="This link is not valid or has expired.")
        slug = request.match_info["slug"]
        try:
            found = await engagement_of(self._uow(), self._clock, slug, self.quiet_after)
        except NotFound:
            raise web.HTTPNotFound(text="No such network.") from None
        return web.Response(
            text=engagement_csv(found.network, found.table, translator(found.network.language)),
            content_type="text/csv",
            charset="utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{slug}-engagement.csv"',
                "Cache-Control": "no-store",
            },
        )


ENGAGEMENT_FILES = web.AppKey("engagement_files", EngagementFiles)


async def engagement_download(request: web.Request) -> web.StreamResponse:
    """The route's handler; the EngagementFiles object is built when the app starts."""
    return await request.app[ENGAGEMENT_FILES].download(request)
