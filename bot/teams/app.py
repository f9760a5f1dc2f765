"""The aiohttp application factory: routes, typed app state and resource lifetimes."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.teams.auth import FrameworkAuthentication, Unauthorized, authenticate
from bot.teams.handler import NetpulsBot, apology, error_reference
from bot.teams.notifier import BotNotifier
from netpuls.settings import Settings
from netpuls.wiring import BACKGROUND, GRAPH_TIMERS, RUNNER, add_routes, build_bot
from services.ports import Clock, SystemClock
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
ENGINE = web.AppKey("engine", AsyncEngine)
ADAPTER = web.AppKey("adapter", CloudAdapter)
BOT = web.AppKey("bot", NetpulsBot)
AUTHENTICATION = web.AppKey("authentication", FrameworkAuthentication)
HTTP = web.AppKey("http", aiohttp.ClientSession)
MAX_BODY_BYTES = 256 * 1024
CONNECTOR_TIMEOUT_SECONDS = 30
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class InsecureConfiguration(RuntimeError):
    """Refusing to start: anonymous mode is only for loopback."""


def create_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    """The bot's web application; nothing is connected until it starts."""
    if settings.anonymous and not settings.host_is_loopback():
        raise InsecureConfiguration(
            f"MicrosoftAppId is empty, so authentication is off; refusing to listen on "
            f"{settings.host}. Set MicrosoftAppId/MicrosoftAppPassword or use HOST=127.0.0.1."
        )
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[CLOCK] = clock or SystemClock()
    app.cleanup_ctx.append(_resources)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    add_routes(app)
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
    framework = FrameworkAuthentication(settings, http)
    adapter = CloudAdapter(framework)
    adapter.on_turn_error = _on_turn_error
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
    try:
        yield
    finally:
        await app[RUNNER].stop()
        await app[BACKGROUND].drain()
        await app[GRAPH_TIMERS].aclose()  # last: it closes the Graph connection
        await http.close()
        await engine.dispose()


async def _on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    reference = error_reference()
    log.exception("turn failed (ref %s): %s", reference, error, exc_info=error)
    try:
        await turn_context.send_activity(apology(turn_context.activity, reference))
    except Exception:
        log.exception("could not send the apology (ref %s)", reference)


def _bad_request(reason: str) -> web.Response:
    return web.json_response({"error": "bad_request", "message": reason}, status=400)


async def messages(request: web.Request) -> web.Response:
    """POST /api/messages: authenticate, run the turn, answer invokes synchronously."""
    if request.content_type != "application/json":
        return web.json_response({"error": "unsupported_media_type"}, status=415)
    try:
        body = json.loads(await request.read())  # UTF-8, as the Bot Framework sends it
    except RecursionError:  # e.g. 100,000 nested lists
        return _bad_request("the body is nested too deeply")
    except ValueError:
        return _bad_request("the body is not JSON")
    activity = _activity(body)
    if isinstance(activity, str):
        return _bad_request(activity)
    app = request.app
    if app[SETTINGS].anonymous and urlsplit(activity.service_url).hostname not in LOOPBACK_HOSTS:
        return _bad_request("without an app id, serviceUrl must be on loopback")
    try:
        result = await authenticate(
            app[AUTHENTICATION], activity, request.headers.get("Authorization")
        )
    except Unauthorized:
        return web.json_response({"error": "unauthorized"}, status=401)
    response = await app[ADAPTER].process_activity(result, activity, app[BOT].on_turn)
    if response is None:
        return web.Response(status=201)
    answer = response.body
    if hasattr(answer, "serialize"):  # a schema object, e.g. an AdaptiveCardInvokeResponse
        answer = answer.serialize()
    return web.json_response(answer, status=response.status, dumps=_utf8_json)


def _utf8_json(value: object) -> str:
    """JSON with text as it is (ø, not \\u00f8): the Bot Framework reads UTF-8."""
    return json.dumps(value, ensure_ascii=False)


def _activity(body: object) -> Activity | str:
    """The activity in a request body, or why it is not one."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    try:
        activity: Activity = Activity.deserialize(body)
    except Exception:
        return "the body is not an activity"
    if not activity.type or not isinstance(activity.type, str):
        return "the activity has no type"
    if not activity.conversation or not activity.conversation.id:
        return "the activity has no conversation id"
    if not activity.service_url or urlsplit(activity.service_url).scheme not in ("http", "https"):
        return "the activity has no valid serviceUrl"
    if not activity.channel_id:
        return "the activity has no channelId"
    return activity


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
