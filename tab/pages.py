"""The tab's pages under /tab/: each reads in one unit of work and renders one template."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from domain.errors import DomainError, NotAllowed, NotFound
from domain.model import channel_conversation_id
from domain.numbers import small_number
from netpuls.i18n import Translator, pick_language, translator
from services.ports import UnitOfWork
from tab.access import Access, find_reader, my_networks, not_a_member, open_network
from tab.context import CLOCK, SETTINGS, UOW
from tab.library import library
from tab.meeting import meeting_page
from tab.organisers import organisers
from tab.signin import TabReader, reader_from_request
from tab.words import words
from tab.year import year

THEMES = ("light", "dark", "contrast")


def _t(request: web.Request, *preferred: str | None) -> Translator:
    default = request.app[SETTINGS].default_language
    return translator(pick_language(request.query.get("lang"), *preferred, default=default))


def _base(request: web.Request, t: Translator, title: str) -> dict[str, Any]:
    theme = request.query.get("theme", "")
    return words(t) | {
        "lang": t.language,
        "title": title,
        "theme": theme if theme in THEMES else "light",
        "query": _kept(request),
    }


def _kept(request: web.Request) -> str:
    """The language and theme the page was opened with, kept on its links."""
    query = request.query
    kept = [f"{k}={query[k]}" for k in ("lang", "theme") if query.get(k, "").isalpha()]
    return ("?" + "&".join(kept)) if kept else ""


def refusal(request: web.Request, t: Translator, error: DomainError, status: int) -> web.Response:
    """A localized page saying why nothing is shown."""
    message = t(error.msgid, **error.params)
    context = _base(request, t, t("Nothing to show")) | {"message": message}
    return aiohttp_jinja2.render_template("refused.html", request, context, status=status)


def _status(error: DomainError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    return 404 if isinstance(error, NotFound) else 400


async def _reader(request: web.Request) -> TabReader:
    reader = await reader_from_request(request)
    if reader is None:
        t = _t(request, request.headers.get("Accept-Language", "")[:2])
        raise web.HTTPUnauthorized(
            text=t("Open this tab from Teams, or with a link from netpuls tab url."),
            content_type="text/plain",
        )
    return reader


async def _network_page(
    request: web.Request, template: str, read: Callable[[UnitOfWork, Access], Awaitable[Any]]
) -> web.Response:
    reader = await _reader(request)
    slug = request.match_info["slug"]
    work = request.app[UOW]()
    t = _t(request)
    try:
        async with work:
            access = await open_network(work, reader, slug)
            t = _t(request, access.person.locale, access.network.language)
            page = await read(work, access)
            await work.commit()
    except DomainError as error:
        return refusal(request, t, error, _status(error))
    context = _base(request, t, access.network.name) | {"page": page, "access": access}
    context["slug"] = access.network.slug
    return aiohttp_jinja2.render_template(template, request, context)


async def year_page(request: web.Request) -> web.Response:
    """GET /tab/network/{slug}: the network's year."""
    clock = request.app[CLOCK]
    return await _network_page(request, "year.html", lambda w, a: year(w, clock, a))


async def meeting(request: web.Request) -> web.Response:
    """GET /tab/network/{slug}/meeting/{number}."""
    number = small_number(request.match_info["number"], digits=6)
    clock = request.app[CLOCK]
    if number is None:
        raise web.HTTPNotFound()
    return await _network_page(
        request, "meeting.html", lambda w, a: meeting_page(w, clock, a, number)
    )


async def library_page(request: web.Request) -> web.Response:
    """GET /tab/network/{slug}/library?q=&meeting=&theme=."""
    words = request.query.get("q", "")[:200]
    number = small_number(request.query.get("meeting", ""), digits=6)
    theme = request.query.get("theme_filter", "")[:100]
    return await _network_page(
        request, "library.html", lambda w, a: library(w, a, words, number, theme)
    )


async def organisers_page(request: web.Request) -> web.Response:
    """GET /tab/network/{slug}/organisers: engagement, deliveries, audit (organisers only)."""
    clock = request.app[CLOCK]
    quiet = timedelta(days=request.app[SETTINGS].engagement_quiet_days)
    return await _network_page(
        request, "organisers.html", lambda w, a: organisers(w, clock, a, quiet)
    )


async def personal(request: web.Request) -> web.Response:
    """GET /tab/personal: the networks the reader belongs to."""
    reader = await _reader(request)
    async with request.app[UOW]() as work:
        person = await find_reader(work, reader)
        networks = await my_networks(work, reader)
    t = _t(request, person.locale if person else None, *(n.language for n in networks[:1]))
    context = _base(request, t, t("My networks")) | {"networks": networks}
    return aiohttp_jinja2.render_template("personal.html", request, context)


async def configure(request: web.Request) -> web.Response:
    """GET /tab/configure?channel=: choose the network the channel's tab shows."""
    reader = await _reader(request)
    channel = request.query.get("channel", "")[:300]
    async with request.app[UOW]() as work:
        networks = await my_networks(work, reader)
        ref = await work.conversations.get(channel_conversation_id(channel)) if channel else None
    t = _t(request)
    if not networks:
        return refusal(request, t, not_a_member(), 403)
    mine = {n.slug for n in networks}
    linked = ref.network_slug if ref and ref.network_slug in mine else networks[0].slug
    context = _base(request, t, t("Choose the network")) | {
        "networks": networks,
        "selected": linked,
        "base_url": request.app[SETTINGS].public_base_url.rstrip("/"),
    }
    return aiohttp_jinja2.render_template("configure.html", request, context)
