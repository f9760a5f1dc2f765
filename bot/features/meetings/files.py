"""Files the bot serves behind signed, expiring links: meeting .ics and attendee CSV."""

from __future__ import annotations

from aiohttp import web

from bot.routing.links import Links
from cards.exports import attendees_csv
from cards.meeting import meeting_title, meeting_view
from domain.errors import DomainError
from domain.model import meeting_key
from netpuls.i18n import translator
from services import rsvp
from services.calendar import meeting_ics
from services.ports import Clock, UnitOfWorkFactory
from services.welcome import calendar_of, network_ics


class FileRoutes:
    """GET /calendar/<network>/<n>.ics and GET /exports/<network>/<n>/attendees.csv."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, links: Links) -> None:
        self._uow = uow
        self._clock = clock
        self._links = links

    async def _state(self, request: web.Request) -> rsvp.MeetingState:
        if not self._links.verify(request.path, request.query, self._clock.now()):
            raise web.HTTPForbidden(text="This link is not valid or has expired.")
        key = meeting_key(request.match_info["slug"], int(request.match_info["number"]))
        try:
            return await rsvp.meeting_state(self._uow(), self._clock, key)
        except DomainError:
            raise web.HTTPNotFound(text="No such meeting.") from None

    async def calendar(self, request: web.Request) -> web.StreamResponse:
        """The meeting as an iCalendar file."""
        state = await self._state(request)
        t = translator(state.network.language)
        towns = {m.key: m.name for m in state.municipalities}
        view = meeting_view(state.network, state.meeting, towns)
        body = meeting_ics(
            state.network, state.meeting, view.host_name, meeting_title(view, t), self._clock.now()
        )
        name = f"{state.network.slug}-{state.meeting.number}.ics"
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def network_calendar(self, request: web.Request) -> web.StreamResponse:
        """Every meeting of a network as one iCalendar file (the welcome card links it)."""
        if not self._links.verify(request.path, request.query, self._clock.now()):
            raise web.HTTPForbidden(text="This link is not valid or has expired.")
        found = await calendar_of(self._uow(), request.match_info["slug"])
        if found is None:
            raise web.HTTPNotFound(text="No such network.")
        network, meetings, towns = found
        t = translator(network.language)
        entries = []
        for meeting in meetings:
            view = meeting_view(network, meeting, towns)
            entries.append((meeting, view.host_name, meeting_title(view, t)))
        return web.Response(
            body=network_ics(network, entries, self._clock.now()),
            content_type="text/calendar",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{network.slug}.ics"'},
        )

    async def attendees(self, request: web.Request) -> web.StreamResponse:
        """The attendee list as CSV (personal data: short-lived link, never cached)."""
        state = await self._state(request)
        name = f"{state.network.slug}-{state.meeting.number}-attendees.csv"
        return web.Response(
            text=attendees_csv(state, translator(state.network.language)),
            content_type="text/csv",
            charset="utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )


FILES = web.AppKey("files", FileRoutes)


def add_file_routes(app: web.Application) -> None:
    """Register the routes at app creation; the handlers are built when the app starts."""

    async def calendar(request: web.Request) -> web.StreamResponse:
        return await request.app[FILES].calendar(request)

    async def attendees(request: web.Request) -> web.StreamResponse:
        return await request.app[FILES].attendees(request)

    async def network_calendar(request: web.Request) -> web.StreamResponse:
        return await request.app[FILES].network_calendar(request)

    app.router.add_get(r"/calendar/{slug}/{number:\d+}.ics", calendar)
    app.router.add_get(r"/calendar/{slug:[a-z0-9-]+}.ics", network_calendar)
    app.router.add_get(r"/exports/{slug}/{number:\d+}/attendees.csv", attendees)
