"""A local Bot Connector: the v3 REST calls netpuls makes, recorded for assertions."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Sent:
    """One activity the bot sent, with where and how."""

    conversation_id: str
    reply_to: str | None
    activity: dict[str, Any]
    authorization: str | None


@dataclass
class FakeConnector:
    """State behind the fake: what was sent, and the roster it answers with."""

    sent: list[Sent] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self) -> list[str]:
        """The text of every message sent, in order."""
        return [s.activity.get("text") or "" for s in self.sent]

    def app(self) -> web.Application:
        """The aiohttp app serving /v3/conversations/..."""
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._send)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self._member)
        return app

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self._lock:
            self.sent.append(
                Sent(
                    request.match_info["cid"],
                    request.match_info.get("aid"),
                    body,
                    request.headers.get("Authorization"),
                )
            )
            new_id = f"sent-{next(self._ids)}"
        return web.json_response({"id": new_id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        return web.json_response({"id": request.match_info["aid"]})

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response(
                {"error": {"code": "MemberNotFoundInConversation", "message": "member not found"}},
                status=404,
            )
        return web.json_response(member)
