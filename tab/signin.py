"""Who reads the tab: a signed loopback link for local use opens a signed session cookie.

The pages only ask `reader_from_request`; Teams single sign-on (POST /tab/session) is not
offered here and answers 501.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web

from bot.routing.links import EXPIRES, SIGNATURE, Links
from netpuls.settings import Settings
from tab.context import CLOCK, SETTINGS

COOKIE = "netpuls_tab"
LINK_VALID = timedelta(hours=1)
SESSION_VALID = timedelta(hours=8)
OPEN_ROUTE = "/tab/open"


@dataclass(frozen=True)
class TabReader:
    """The person reading the tab, as Entra or the signed link names them."""

    tenant_id: str | None
    object_id: str | None
    email: str


def _links(settings: Settings) -> Links:
    key, previous = settings.link_keys()
    return Links("", key, previous)


def _signature(settings: Settings, subject: str, expires: datetime) -> tuple[str, str]:
    """(exp, sig) for a subject, from the signed-link scheme."""
    query = dict(parse_qsl(urlsplit(_links(settings).make(subject, expires)).query))
    return query[EXPIRES], query[SIGNATURE]


def _open_subject(network: str, email: str) -> str:
    return f"{OPEN_ROUTE}\n{network}\n{email.lower()}"


def _session_subject(reader: TabReader) -> str:
    return f"tab-session\n{reader.email}\n{reader.tenant_id or ''}\n{reader.object_id or ''}"


def signed_tab_url(settings: Settings, network_slug: str | None, email: str, now: datetime) -> str:
    """A loopback URL that signs `email` in and opens the network's tab (or the personal one)."""
    network = network_slug or ""
    exp, sig = _signature(settings, _open_subject(network, email), now + LINK_VALID)
    query = urlencode({"network": network, "email": email.lower(), EXPIRES: exp, SIGNATURE: sig})
    return f"http://127.0.0.1:{settings.port}{OPEN_ROUTE}?{query}"


def _now(request: web.Request) -> datetime:
    return request.app[CLOCK].now()


async def reader_from_request(request: web.Request) -> TabReader | None:
    """The reader the session cookie names, or None without a valid one."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 2000:
        return None
    fields = dict(parse_qsl(raw))
    email = fields.get("email", "")
    if not email:
        return None
    reader = TabReader(fields.get("tid") or None, fields.get("oid") or None, email)
    settings = request.app[SETTINGS]
    ok = _links(settings).valid(
        _session_subject(reader), fields.get(EXPIRES, ""), fields.get(SIGNATURE, ""), _now(request)
    )
    return reader if ok else None


async def open_tab(request: web.Request) -> web.Response:
    """GET /tab/open: check the signed link, set the session cookie, go to the tab."""
    settings = request.app[SETTINGS]
    query = request.query
    network, email = query.get("network", ""), query.get("email", "").lower()
    now = _now(request)
    if not email or not _links(settings).verify(_open_subject(network, email), query, now):
        raise web.HTTPForbidden(text="This link is not valid or has expired.")
    reader = TabReader(None, None, email)
    exp, sig = _signature(settings, _session_subject(reader), now + SESSION_VALID)
    value = urlencode({"email": email, "tid": "", "oid": "", EXPIRES: exp, SIGNATURE: sig})
    target = f"/tab/network/{network}" if network else "/tab/personal"
    response = web.HTTPFound(target)
    response.set_cookie(
        COOKIE,
        value,
        httponly=True,
        # Inside Teams the tab is a cross-site frame (None, which needs Secure); over plain
        # http on loopback Chromium drops a None cookie without Secure, so Lax there.
        samesite="None" if request.secure else "Lax",
        secure=request.secure,
        path="/tab",
        max_age=int(SESSION_VALID.total_seconds()),
    )
    raise response


async def session(_request: web.Request) -> web.Response:
    """POST /tab/session: Teams single sign-on, not offered by this build."""
    raise web.HTTPNotImplemented()


def add_signin_routes(app: web.Application) -> None:
    """GET /tab/open and POST /tab/session."""
    app.router.add_get(OPEN_ROUTE, open_tab)
    app.router.add_post("/tab/session", session)
