"""A raw aiohttp JSON echo: the ceiling. Parses the activity, POSTs the reply, answers 201."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from urllib.parse import quote

import aiohttp
from aiohttp import web

HTTP = web.AppKey("http", aiohttp.ClientSession)


async def _session(app: web.Application) -> AsyncIterator[None]:
    async with aiohttp.ClientSession() as session:
        app[HTTP] = session
        yield


async def _messages(request: web.Request) -> web.Response:
    activity = await request.json()
    conversation = activity["conversation"]
    reply = {
        "type": "message",
        "text": f"Echo: {activity.get('text', '')}",
        "from": activity["recipient"],
        "recipient": activity["from"],
        "conversation": conversation,
        "replyToId": activity["id"],
    }
    url = (
        f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/"
        f"{quote(conversation['id'], safe='')}/activities/{quote(activity['id'], safe='')}"
    )
    async with request.app[HTTP].post(url, json=reply) as response:
        await response.read()
    return web.Response(status=201)


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def raw_app() -> web.Application:
    """POST /api/messages and GET /healthz, nothing else."""
    app = web.Application()
    app.cleanup_ctx.append(_session)
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", _healthz)
    return app


def main() -> None:
    """Serve the raw echo on 127.0.0.1."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(raw_app(), host="127.0.0.1", port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
