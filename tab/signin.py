"""Sign-in to the tab: a signed loopback link (outside Teams) or Teams SSO (inside), each
ending in a short session cookie that names the reader by ids only.

- GET /tab/open?network=..&email=..&exp=..&sig=.. : a link `netpuls tab url` made (signed
  like every link of the bot, bot/routing/links.py); sets the cookie and redirects to the
  network's page or the personal one.
- POST /tab/session with `Authorization: Bearer <token from getAuthToken()>`: the token is
  checked (tab/sso.py), its user matched to a netpuls person; 204 and the cookie, or 401 with
  a message in the reader's language.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from aiohttp import web

from bot.routing.links import EXPIRES, SIGNATURE, Links
from domain.errors import N_
from netpuls.i18n import pick_language, translator
from netpuls.settings import Settings
from services.ports import Clock, UnitOfWorkFactory
from services.tab_readers import member_by_email, reader_by_token
from tab.sso import KeysUnavailable, TeamsTokens, TokenRefused

log = logging.getLogger(__name__)

OPEN_PATH = "/tab/open"
SESSION_PATH = "/tab/session"
COOKIE = "netpuls_tab"
LINK_LIFETIME = timedelta(hours=1)
_AUDIENCE = "netpuls-tab-session"  # a session cookie is good for nothing else
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_MAX_EMAIL, _MAX_COOKIE, _MAX_FIELD = 254, 2048, 128

LINK_INVALID = N_("This link is not valid or has expired. Ask for a new one.")
LINK_MALFORMED = N_("This link is incomplete. Copy the whole link and try again.")
SSO_FAILED = N_("Signing in with Teams did not work. Close the tab and open it again.")
SSO_TENANT = N_("netpuls cannot be used from your organisation's Teams.")
SSO_UNKNOWN = N_("netpuls does not know you: you are not a member or organiser of its networks.")
SSO_OFF = N_("Signing in with Teams is not set up for this netpuls.")
SSO_UNAVAILABLE = N_("Signing in is not possible right now. Try again in a minute.")


@dataclass(frozen=True)
class TabReader:
    """Who reads the tab: their tenant and Entra object id when known, and their e-mail
    (the key netpuls knows them by)."""

    tenant_id: str | None
    object_id: str | None
    email: str


@dataclass(frozen=True)
class SignIn:
    """What the sign-in routes need, built when the app starts."""

    settings: Settings
    uow: UnitOfWorkFactory
    clock: Clock
    tokens: TeamsTokens

    @classmethod
    def build(cls, settings: Settings, uow: UnitOfWorkFactory, clock: Clock) -> SignIn:
        """From the settings: the SSO app registration, its tenant and the link keys."""
        tokens = TeamsTokens(
            settings.tab_openid_metadata_url,
            settings.tab_client_id(),
            settings.tab_sso_resource(),
            settings.tab_tenant(),
        )
        return cls(settings, uow, clock, tokens)

    def signing_keys(self) -> tuple[bytes, ...]:
        """Every key a link or a cookie may be signed with, the current one first."""
        key, previous = self.settings.link_keys()
        return (key, *previous)


SIGNIN = web.AppKey("tab_signin", SignIn)


def signed_tab_url(settings: Settings, network_slug: str | None, email: str, now: datetime) -> str:
    """A loopback link to GET /tab/open for this reader, valid one hour: to the network's
    page, or to the personal one when `network_slug` is None."""
    key, previous = settings.link_keys()
    host = settings.host if settings.host_is_loopback() else "127.0.0.1"
    params = {"email": email.strip().lower()}
    if network_slug is not None:
        params["network"] = network_slug
    links = Links(f"http://{host}:{settings.port}", key, previous)
    return links.make(OPEN_PATH, now + LINK_LIFETIME, params)


async def reader_from_request(request: web.Request) -> TabReader | None:
    """The reader the request's session cookie names, or None (no, bad or old cookie)."""
    signin = request.app.get(SIGNIN)
    cookie = request.cookies.get(COOKIE, "")
    if signin is None or not cookie or len(cookie) > _MAX_COOKIE:
        return None
    for key in signin.signing_keys():
        try:
            claims: dict[str, Any] = jwt.decode(
                cookie,
                key,
                algorithms=["HS256"],
                audience=_AUDIENCE,
                # The app's clock decides (it is the one the cookie's expiry was set by).
                options={"require": ["exp", "sub"], "verify_exp": False},
            )
        except jwt.PyJWTError:
            continue
        return _reader(claims, signin.clock.now())
    return None


def add_signin_routes(app: web.Application) -> None:
    """Register GET /tab/open and POST /tab/session; their state is built at start (SIGNIN)."""
    app.router.add_get(OPEN_PATH, _open)
    app.router.add_post(SESSION_PATH, _session)


def _reader(claims: dict[str, Any], now: datetime) -> TabReader | None:
    expires, email = claims.get("exp"), claims.get("sub")
    if not isinstance(expires, int) or expires <= now.timestamp() or not isinstance(email, str):
        return None
    tenant, oid = claims.get("tid"), claims.get("oid")
    return TabReader(
        tenant if isinstance(tenant, str) else None, oid if isinstance(oid, str) else None, email
    )


async def _open(request: web.Request) -> web.StreamResponse:
    """GET /tab/open: a signed link becomes a session; anything else a 400 or 403 page."""
    signin = request.app[SIGNIN]
    language = _language(request, signin.settings)
    query = request.query
    names = ("email", "network") if "network" in query else ("email",)
    values = {}
    for name in (*names, EXPIRES, SIGNATURE):
        given = query.getall(name, [])
        if len(given) != 1 or not 0 < len(given[0]) <= _MAX_EMAIL:
            return _page(400, LINK_MALFORMED, language)
        values[name] = given[0]
    slug = values.get("network")
    if (slug is not None and not _SLUG.fullmatch(slug)) or "@" not in values["email"]:
        return _page(400, LINK_MALFORMED, language)
    now = signin.clock.now()
    key, *previous = signin.signing_keys()
    if not Links("", key, previous).verify(OPEN_PATH, query, now, names):
        return _page(403, LINK_INVALID, language)
    person = await member_by_email(signin.uow(), values["email"], slug)
    if person is None:  # no longer a member: the same answer as a bad link
        return _page(403, LINK_INVALID, language)
    target = f"/tab/network/{slug}" if slug else "/tab/personal"
    response = web.Response(status=303, headers={"Location": target, "Cache-Control": "no-store"})
    reader = TabReader(person.tenant_id, person.aad_object_id, person.key)
    _set_cookie(response, request, signin, reader, now)
    return response


async def _session(request: web.Request) -> web.StreamResponse:
    """POST /tab/session: a Teams SSO token becomes a session; else 401 (503: Entra away)."""
    signin = request.app[SIGNIN]
    language = _language(request, signin.settings)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if not signin.tokens.configured:
        return _refusal(401, "not_configured", SSO_OFF, language)
    if scheme.lower() != "bearer" or not token.strip():
        return _refusal(401, "invalid_token", SSO_FAILED, language)
    try:
        user = await signin.tokens.user(token.strip())
    except TokenRefused as refused:
        log.warning("tab sign-in refused: %s", refused.reason)
        if refused.tenant:
            return _refusal(401, "tenant_not_allowed", SSO_TENANT, language)
        return _refusal(401, "invalid_token", SSO_FAILED, language)
    except KeysUnavailable:
        return _refusal(503, "unavailable", SSO_UNAVAILABLE, language)
    person = await reader_by_token(
        signin.uow(), tenant_id=user.tenant_id, object_id=user.object_id, email=user.email
    )
    if person is None:
        return _refusal(401, "unknown_user", SSO_UNKNOWN, language)
    response = web.Response(status=204, headers={"Cache-Control": "no-store"})
    reader = TabReader(user.tenant_id, user.object_id, person.key)
    _set_cookie(response, request, signin, reader, signin.clock.now())
    return response


def _set_cookie(
    response: web.StreamResponse,
    request: web.Request,
    signin: SignIn,
    reader: TabReader,
    now: datetime,
) -> None:
    """The session cookie: signed, expiring, only ids. Inside Teams the tab is a third-party
    iframe, so over https the cookie is SameSite=None and Secure."""
    lifetime = timedelta(minutes=signin.settings.tab_session_minutes)
    claims = {
        "aud": _AUDIENCE,
        "sub": reader.email,
        "tid": reader.tenant_id,
        "oid": reader.object_id,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    value = jwt.encode(claims, signin.signing_keys()[0], algorithm="HS256")
    secure = request.secure or signin.settings.public_base_url.lower().startswith("https://")
    response.set_cookie(
        COOKIE,
        value,
        max_age=int(lifetime.total_seconds()),
        path="/tab",
        httponly=True,
        secure=secure or None,
        samesite="None" if secure else "Lax",
    )


def _language(request: web.Request, settings: Settings) -> str:
    """The page's own choice (?locale=, e.g. TeamsJS's app.locale), else the browser's."""
    accepted = request.headers.get("Accept-Language", "")[:_MAX_FIELD]
    first = accepted.split(",")[0].split(";")[0].strip()
    return pick_language(
        request.query.get("locale", "")[:_MAX_FIELD], first, default=settings.default_language
    )


def _refusal(status: int, code: str, msgid: str, language: str) -> web.Response:
    return web.json_response(
        {"error": code, "message": translator(language)(msgid)},
        status=status,
        headers={"Cache-Control": "no-store"},
    )


def _page(status: int, msgid: str, language: str) -> web.Response:
    text = html.escape(translator(language)(msgid))
    body = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>netpuls</title></head><body><p>{text}</p></body></html>"
    )
    return web.Response(
        status=status,
        text=body,
        content_type="text/html",
        headers={"Cache-Control": "no-store"},
    )
