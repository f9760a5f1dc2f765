"""The stock botbuilder 4.17.1 echo bot, the reference the netpuls edge is measured against.

CloudAdapter with ConfigurationBotFrameworkAuthentication, anonymous (no app id), echoing
through `turn_context.send_activity`: botbuilder's own connector path, untouched.
"""

from __future__ import annotations

import argparse

from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)


class _Config:
    """An empty app id: botbuilder's anonymous mode, no token traffic anywhere."""

    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):  # type: ignore[misc]
    """Answers every message with its text."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """Echo the text back."""
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


def echo_app() -> web.Application:
    """POST /api/messages through botbuilder's CloudAdapter; GET /healthz."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_Config()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse = await adapter.process(request, bot)
        return response

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    """Serve the echo bot on 127.0.0.1."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(echo_app(), host="127.0.0.1", port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
