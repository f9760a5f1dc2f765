"""The composition root: settings to a running aiohttp app (storage, Teams, scheduler, Graph)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.teams.endpoint import (
    ADAPTER,
    ANONYMOUS,
    AUTHENTICATION,
    BOT,
    MAX_BODY_BYTES,
    messages,
    teams_adapter,
)
from bot.teams.notifier import BotNotifier
from netpuls.record import add_record
from netpuls.settings import Settings
from netpuls.wiring import BACKGROUND, GRAPH_TIMERS, RETENTION, RUNNER, add_routes, build_bot
from services.ports import Clock, SystemClock
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
ENGINE = web.AppKey("engine", AsyncEngine)
HTTP = web.AppKey("http", aiohttp.ClientSession)
CONNECTOR_TIMEOUT_SECONDS = 30


class InsecureConfiguration(RuntimeError):
    """Refusing to start: anonymous mode off loopback, or an app id without safe links."""


def create_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    """The bot's web application; nothing is connected until it starts."""
    if settings.anonymous and not settings.host_is_loopback():
        raise InsecureConfiguration(
            f"MicrosoftAppId is empty, so authentication is off; refusing to listen on "
            f"{settings.host}. Set MicrosoftAppId/MicrosoftAppPassword or use HOST=127.0.0.1."
        )
    problems = settings.production_problems()
    if problems:
        raise InsecureConfiguration("refusing to start:\n  " + "\n  ".join(problems))
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[CLOCK] = clock or SystemClock()
    app[ANONYMOUS] = settings.anonymous
    app.cleanup_ctx.append(_resources)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    add_routes(app, settings, app[CLOCK])
    add_record(app)
    return app


async def _resources(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    if settings.anonymous:
        log.warning(
            "MicrosoftAppId is empty: authentication is OFF. Only for local use with "
            "the Agents Playground; listening on %s only.",
            settings.host,
        )
    engine = create_engine(settings.database_url)
    # One pooled session with kept connections for every call to the Bot Connector.
    http = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=100, ttl_dns_cache=300),
        timeout=aiohttp.ClientTimeout(total=CONNECTOR_TIMEOUT_SECONDS),
    )
    adapter, framework = teams_adapter(settings, http)
    sessions = session_factory(engine)
    app[ENGINE] = engine
    app[HTTP] = http
    app[ADAPTER] = adapter
    app[AUTHENTICATION] = framework
    notifier = BotNotifier(adapter, settings.app_id)
    app[BOT] = build_bot(app, settings, notifier, lambda: SqlUnitOfWork(sessions), app[CLOCK])
    if settings.scheduler_enabled:
        await app[RUNNER].start()
        await app[GRAPH_TIMERS].jobs.start(app[RUNNER].scheduler)
        await app[RETENTION].start(app[RUNNER].scheduler)
    try:
        yield
    finally:
        await app[RUNNER].stop()
        await app[RETENTION].stop()
        await app[BACKGROUND].drain()
        await app[GRAPH_TIMERS].aclose()  # last: it closes the Graph connection
        await http.close()
        await engine.dispose()


async def healthz(_request: web.Request) -> web.Response:
    """GET /healthz: the process is alive."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """GET /readyz: the database answers."""
    try:
        async with request.app[ENGINE].connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("not ready: %s", exc)
        return web.json_response({"status": "unavailable"}, status=503)
    return web.json_response({"status": "ready"})
