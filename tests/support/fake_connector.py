"""A local Bot Connector: the v3 REST calls netpuls makes, recorded for assertions."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from tests.support.connector_limits import ConnectorLimits


REGIONS = ("", "amer", "emea", "apac")  # service URL paths the fake answers under


@dataclass
class Sent:
    """One activity the bot sent, with where and how."""

    conversation_id: str
    reply_to: str | None
    activity: dict[str, Any]
    authorization: str | None


@dataclass(frozen=True)
class Failure:
    """An answer the fake gives instead of success, e.g. 429 with Retry-After or a 500."""

    status: int
    code: str = "ServiceError"
    message: str = "injected failure"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeConnector:
    """State behind the fake: what was sent, the roster it answers with, failures to inject."""

    sent: list[Sent] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    updated: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    deleted: list[tuple[str, str]] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)  # TeamDetails, by team id
    team_requests: list[str] = field(default_factory=list)  # GET /v3/teams/{id}, in order
    # Users Teams will not open a 1:1 chat with (no team in common, app blocked for them).
    unreachable: set[str] = field(default_factory=set)
    failures: list[Failure] = field(default_factory=list)
    update_delays: list[float] = field(default_factory=list)  # seconds, for the next updates
    peers: list[tuple[str, int]] = field(default_factory=list)
    limits: ConnectorLimits | None = None  # Teams' rate limits and random failures, if set
    # Answer this many sends, then record the next ones but hold their answers (the requests
    # stay in flight) until this is set back to None: a process killed then had them in hand.
    answer_only: int | None = None
    _held: tuple[asyncio.Event, asyncio.AbstractEventLoop] | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self) -> list[str]:
        """The text of every message sent, in order."""
        return [s.activity.get("text") or "" for s in self.sent]

    def deliveries(self) -> Counter[str]:
        """How many messages each conversation received (absent: none)."""
        with self._lock:
            return Counter(s.conversation_id for s in self.sent)

    def answer_held(self) -> None:
        """Answer the held sends and every send from now on (see `answer_only`)."""
        with self._lock:
            self.answer_only = None
            held, self._held = self._held, None
        if held is not None:
            held[1].call_soon_threadsafe(held[0].set)

    def fail_next(self, *failures: Failure) -> None:
        """The next requests (any route) get these answers, in order."""
        with self._lock:
            self.failures.extend(failures)

    def add_team(self, team_id: str, aad_group_id: str, name: str = "Network") -> None:
        """Let GET /v3/teams/{team_id} answer with the team's details, as documented."""
        from tests.contracts import load

        details = load("teams", "connector-team-details", id=team_id, aadGroupId=aad_group_id)
        self.teams[team_id] = details | {"name": name}

    def app(self) -> web.Application:
        """The aiohttp app serving /v3/conversations/... and /v3/teams/..., at the root and
        under regional prefixes, as Teams' service URLs have them (.../amer/, .../emea/)."""
        app = web.Application(middlewares=[self._record_peer, self._limit])
        for prefix in REGIONS:
            base = f"/{prefix}/v3" if prefix else "/v3"
            app.router.add_post(f"{base}/conversations", self._create)
            app.router.add_post(f"{base}/conversations/{{cid}}/activities", self._send)
            app.router.add_post(f"{base}/conversations/{{cid}}/activities/{{aid}}", self._send)
            app.router.add_put(f"{base}/conversations/{{cid}}/activities/{{aid}}", self._update)
            app.router.add_delete(f"{base}/conversations/{{cid}}/activities/{{aid}}", self._delete)
            app.router.add_get(f"{base}/conversations/{{cid}}/members", self._members)
            app.router.add_get(f"{base}/conversations/{{cid}}/members/{{uid}}", self._member)
            app.router.add_get(f"{base}/conversations/{{cid}}/pagedmembers", self._paged)
            app.router.add_get(f"{base}/teams/{{tid}}", self._team)
        return app

    @web.middleware
    async def _record_peer(self, request: web.Request, handler: Any) -> web.StreamResponse:
        # The client's address and port tell whether it reused a pooled connection.
        peer = request.transport.get_extra_info("peername") if request.transport else None
        with self._lock:
            if peer:
                self.peers.append((str(peer[0]), int(peer[1])))
            failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            body = {"error": {"code": failure.code, "message": failure.message}}
            return web.json_response(body, status=failure.status, headers=failure.headers)
        response: web.StreamResponse = await handler(request)
        return response

    @web.middleware
    async def _limit(self, request: web.Request, handler: Any) -> web.StreamResponse:
        # After fail_next's scripted answers: the limits and random failures, if set.
        if self.limits is not None and request.method == "POST":
            try:
                payload = await request.json()  # aiohttp keeps the body for the handler
            except ValueError:
                payload = None
            failure = self.limits.admit(request.match_info.get("cid"), payload)
            if failure is not None:
                body = {"error": {"code": failure.code, "message": failure.message}}
                return web.json_response(body, status=failure.status, headers=failure.headers)
        response: web.StreamResponse = await handler(request)
        return response

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
            held = self.answer_only is not None and len(self.sent) > self.answer_only
            if held and self._held is None:
                self._held = (asyncio.Event(), asyncio.get_running_loop())
            release = self._held[0] if held and self._held else None
        if release is not None:
            await release.wait()
        return web.json_response({"id": new_id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self._lock:
            delay = self.update_delays.pop(0) if self.update_delays else 0.0
        if delay:  # a slow answer: updates sent later may be applied first
            await asyncio.sleep(delay)
        with self._lock:
            self.updated.append((request.match_info["cid"], request.match_info["aid"], body))
        return web.json_response({"id": request.match_info["aid"]})

    async def _delete(self, request: web.Request) -> web.Response:
        with self._lock:
            self.deleted.append((request.match_info["cid"], request.match_info["aid"]))
        return web.Response(status=200)

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        if {m.get("id") for m in body.get("members") or []} & self.unreachable:
            # What Teams answers for a user the bot shares no team with (Company Communicator
            # reports the same for people the app is not installed for).
            error = {
                "code": "BotNotInConversationRoster",
                "message": "The bot is not part of the conversation roster.",
            }
            return web.json_response({"error": error}, status=403)
        with self._lock:
            self.created.append(body)
            number = next(self._ids)
        answer = {"id": f"a:created-{number}", "activityId": f"first-{number}"}
        return web.json_response(answer, status=201)

    async def _members(self, _request: web.Request) -> web.Response:
        return web.json_response(list(self.members.values()))

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response(
                {"error": {"code": "MemberNotFoundInConversation", "message": "member not found"}},
                status=404,
            )
        return web.json_response(member)

    async def _paged(self, request: web.Request) -> web.Response:
        size = int(request.query.get("pageSize", "50"))
        start = int(request.query.get("continuationToken", "0"))
        everyone = list(self.members.values())
        page: dict[str, Any] = {"members": everyone[start : start + size]}
        if start + size < len(everyone):
            page["continuationToken"] = str(start + size)
        return web.json_response(page)

    async def _team(self, request: web.Request) -> web.Response:
        with self._lock:
            self.team_requests.append(request.match_info["tid"])
        team = self.teams.get(request.match_info["tid"])
        if team is None:
            return web.json_response(
                {"error": {"code": "NotFound", "message": "team not found"}}, status=404
            )
        return web.json_response(team)
