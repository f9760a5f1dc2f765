"""The calendar and roster part of the local Graph, following the documented contracts.

- ``POST /users/{mailbox}/events``: create; ``isOnlineMeeting`` with ``teamsForBusiness`` gets
  an ``onlineMeeting`` (onlineMeetingInfo: ``joinUrl``, ``conferenceId``; see
  https://learn.microsoft.com/en-us/graph/api/resources/onlinemeetinginfo), in the answer to
  the create and to every GET; a repeated ``transactionId`` returns the event already made
  (Graph's documented protection against a retried POST) and invites nobody again.
- ``GET``/``PATCH /users/{mailbox}/events/{id}``: a GET keeps to ``$select``; a PATCH with
  only ``attendees`` writes to the attendees added or removed; a PATCH that changes anything
  else writes to all of them (event-update notes). Changing ``transactionId`` is refused;
  replacing the ``body`` of an online meeting is recorded, because it drops the Teams join
  blob.
- ``POST /users/{mailbox}/events/{id}/cancel``: 202, the attendees get the comment, and the
  event leaves the organiser's calendar (404 afterwards).
- ``GET /teams/{id}/members``: ``aadUserConversationMember`` entries, paged with
  ``@odata.nextLink``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

EVENTS = re.compile(r"^/users/(?P<mailbox>[^/]+)/events(?:/(?P<id>[^/]+))?(?P<cancel>/cancel)?$")
MEMBERS = re.compile(r"^/teams/(?P<team>[^/]+)/members$")
ErrorMaker = Callable[[web.Request, int, str, str], web.Response]


@dataclass(frozen=True)
class Mail:
    """A message Outlook would send: an invitation, an update or a cancellation."""

    kind: str  # "invitation", "update", "cancellation"
    to: str
    event_id: str


@dataclass
class Directory:
    """Mailboxes with their events, and teams with their members."""

    mailboxes: set[str] = field(default_factory=set)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    cancelled: dict[str, dict[str, Any]] = field(default_factory=dict)
    mail: list[Mail] = field(default_factory=list)
    teams: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    page_size: int = 100
    body_replaced: list[str] = field(default_factory=list)

    def add_member(self, team: str, user_id: str, email: str, name: str) -> None:
        """A member of the team, as an aadUserConversationMember."""
        self.teams.setdefault(team, []).append(
            {
                "@odata.type": "#microsoft.graph.aadUserConversationMember",
                "id": f"MCMjMiMj{uuid.uuid4().hex}",
                "roles": [],
                "displayName": name,
                "userId": user_id,
                "email": email,
                "tenantId": "00000000-0000-0000-0000-0000000000aa",
                "visibleHistoryStartDateTime": "0001-01-01T00:00:00Z",
            }
        )

    def mail_to(self, kind: str) -> list[str]:
        """Who got mail of this kind, in order."""
        return [m.to for m in self.mail if m.kind == kind]

    async def handle(
        self, request: web.Request, path: str, error: ErrorMaker
    ) -> web.Response | None:
        """The answer for a calendar or roster path, or None when the path is not one."""
        if match := EVENTS.match(path):
            mailbox = unquote(match["mailbox"]).lower()
            if mailbox not in self.mailboxes:
                return error(
                    request, 404, "ErrorInvalidUser", f"The requested user '{mailbox}' is invalid."
                )
            return await self._events(request, match, error)
        if match := MEMBERS.match(path):
            return self._members(request, unquote(match["team"]), error)
        return None

    async def _events(
        self, request: web.Request, match: re.Match[str], error: ErrorMaker
    ) -> web.Response:
        event_id, method = match["id"], request.method
        if event_id is None:
            if method != "POST":
                return error(request, 405, "ErrorInvalidRequest", "Method not allowed.")
            return self._create(await request.json())
        event = self.events.get(unquote(event_id))
        if event is None:
            return error(
                request,
                404,
                "ErrorItemNotFound",
                "The specified object was not found in the store.",
            )
        if match["cancel"]:
            if method != "POST":
                return error(request, 405, "ErrorInvalidRequest", "Method not allowed.")
            raw = await request.read()
            body = json.loads(raw) if raw else {}
            self._write("cancellation", _addresses(event), event["id"])
            event["isCancelled"] = True
            # The documented parameter is "Comment" (action parameters are case-insensitive).
            event["cancelComment"] = body.get("Comment", body.get("comment", ""))
            self.cancelled[event["id"]] = self.events.pop(event["id"])
            return web.Response(status=202)
        if method == "GET":
            # $select: the properties asked for and the id, as Graph answers (OData $select).
            chosen = request.query.get("$select")
            if chosen:
                names = {"id", *chosen.split(",")}
                return web.json_response({k: v for k, v in event.items() if k in names})
            return web.json_response(event)
        if method == "PATCH":
            return self._patch(request, event, await request.json(), error)
        return error(request, 405, "ErrorInvalidRequest", "Method not allowed.")

    def _create(self, body: dict[str, Any]) -> web.Response:
        transaction = body.get("transactionId")
        if transaction:
            for event in self.events.values():
                if event.get("transactionId") == transaction:
                    return web.json_response(event, status=201)
        event_id = f"AAMkAG{uuid.uuid4().hex}="
        event = {k: v for k, v in body.items() if not k.startswith("@odata")}
        event.update(id=event_id, isCancelled=False, attendees=body.get("attendees") or [])
        if body.get("isOnlineMeeting") and body.get("onlineMeetingProvider") == "teamsForBusiness":
            join = f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{uuid.uuid4().hex}"
            event["onlineMeeting"] = {
                "joinUrl": join,
                "conferenceId": str(uuid.uuid4().int)[:9],
                "tollNumber": None,
                "tollFreeNumbers": [],
                "quickDial": None,
                "phones": [],
            }
        self.events[event_id] = event
        self._write("invitation", _addresses(event), event_id)
        return web.json_response(event, status=201)

    def _patch(
        self, request: web.Request, event: dict[str, Any], body: dict[str, Any], error: ErrorMaker
    ) -> web.Response:
        changes = {k: v for k, v in body.items() if not k.startswith("@odata")}
        if "transactionId" in changes:
            return error(request, 400, "ErrorInvalidRequest", "transactionId cannot be changed.")
        if "body" in changes and event.get("onlineMeeting"):
            self.body_replaced.append(event["id"])
        before = _addresses(event)
        event.update(changes)
        after = _addresses(event)
        added = [a for a in after if a not in before]
        removed = [a for a in before if a not in after]
        self._write("invitation", added, event["id"])
        self._write("cancellation", removed, event["id"])
        if set(changes) - {"attendees"}:
            self._write("update", [a for a in after if a not in added], event["id"])
        return web.json_response(event)

    def _members(self, request: web.Request, team: str, error: ErrorMaker) -> web.Response:
        if request.method != "GET" or team not in self.teams:
            return error(request, 404, "NotFound", "No team found with Group Id " + team)
        members = self.teams[team]
        start = int(request.query.get("$skiptoken", "0") or 0)
        page: dict[str, Any] = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#teams('x')/members",
            "value": members[start : start + self.page_size],
        }
        if start + self.page_size < len(members):
            base = f"{request.scheme}://{request.host}{request.path}"
            page["@odata.nextLink"] = f"{base}?$skiptoken={start + self.page_size}"
        return web.json_response(page)

    def _write(self, kind: str, addresses: list[str], event_id: str) -> None:
        self.mail.extend(Mail(kind, a, event_id) for a in addresses)


def _addresses(event: dict[str, Any]) -> list[str]:
    return [
        str(a.get("emailAddress", {}).get("address", "")).lower()
        for a in event.get("attendees") or []
    ]
