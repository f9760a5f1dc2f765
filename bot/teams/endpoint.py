"""POST /api/messages: parse the activity, authenticate it, run the turn on botbuilder."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot.teams.auth import FrameworkAuthentication, Unauthorized, authenticate
from bot.teams.handler import NetpulsBot, apology, error_reference
from bot.teams.inbound import refusal
from netpuls.settings import Settings

log = logging.getLogger(__name__)

ADAPTER = web.AppKey("adapter", CloudAdapter)
AUTHENTICATION = web.AppKey("authentication", FrameworkAuthentication)
BOT = web.AppKey("bot", NetpulsBot)
ANONYMOUS = web.AppKey("anonymous", bool)  # no app id: only loopback may talk to the bot
MAX_BODY_BYTES = 256 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def teams_adapter(
    settings: Settings, http: aiohttp.ClientSession
) -> tuple[CloudAdapter, FrameworkAuthentication]:
    """botbuilder's adapter on its own authentication, its Connector calls on `http`."""
    framework = FrameworkAuthentication(settings, http)
    adapter = CloudAdapter(framework)
    adapter.on_turn_error = _on_turn_error
    return adapter, framework


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
    if app[ANONYMOUS] and urlsplit(activity.service_url).hostname not in LOOPBACK_HOSTS:
        return _bad_request("without an app id, serviceUrl must be on loopback")
    try:
        result = await authenticate(
            app[AUTHENTICATION], activity, request.headers.get("Authorization")
        )
    except Unauthorized as exc:
        # Where it came from and which check failed; never the token or its claims.
        log.warning("unauthorized request from %s: %s", request.remote, exc)
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
    reason = refusal(body)
    if reason is not None:
        return reason
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
