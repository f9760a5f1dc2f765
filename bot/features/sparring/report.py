"""The network's final product behind a signed, expiring link: DOCX or Markdown."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiohttp import web

from bot.routing.links import Links
from domain.final_evaluation import DEFAULT_MIN_ANSWERS
from netpuls.i18n import translator
from services.ports import Clock, UnitOfWorkFactory
from services.report import gather, report_markdown
from services.report_docx import report_docx

REPORT_LIFETIME = timedelta(hours=1)
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
}


def report_path(slug: str, fmt: str) -> str:
    """Where the report is served."""
    return f"/reports/{slug}/report.{fmt}"


def report_link(links: Links, slug: str, fmt: str, now: datetime) -> str:
    """A signed link to the report, valid for an hour."""
    return links.make(report_path(slug, fmt), now + REPORT_LIFETIME)


class ReportFiles:
    """GET /reports/<network>/report.docx and .md, built fresh on each download."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        links: Links,
        *,
        min_answers: int = DEFAULT_MIN_ANSWERS,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._links = links
        self._min_answers = min_answers  # evaluation totals from this many answers

    async def download(self, request: web.Request) -> web.StreamResponse:
        """The report in the network's language; the link's signature is checked first."""
        if not self._links.verify(request.path, request.query, self._clock.now()):
            raise web.HTTPForbidden(text="This link is not valid or has expired.")
        slug, fmt = request.match_info["slug"], request.match_info["fmt"]
        async with self._uow() as uow:
            if await uow.networks.get(slug) is None:
                raise web.HTTPNotFound(text="No such network.")
            report = await gather(uow, slug, self._clock.now(), self._min_answers)
        t = translator(report.network.language)
        body = report_docx(report, t) if fmt == "docx" else report_markdown(report, t).encode()
        return web.Response(
            body=body,
            content_type=FORMATS[fmt],
            charset="utf-8" if fmt == "md" else None,
            headers={
                "Content-Disposition": f'attachment; filename="{slug}-report.{fmt}"',
                "Cache-Control": "no-store",
            },
        )


REPORT_FILES = web.AppKey("report_files", ReportFiles)


async def report_download(request: web.Request) -> web.StreamResponse:
    """The route's handler; the ReportFiles object is built when the app starts."""
    return await request.app[REPORT_FILES].download(request)


REPORT_ROUTE = r"/reports/{slug}/report.{fmt:docx|md}"
