"""A local Microsoft Graph for exactly the calls netpuls makes, following the documented contracts.

- ``POST /{tenant}/oauth2/v2.0/token``: client credentials, as Entra ID answers them.
- ``GET /v1.0/teams/{team}/channels/{channel}/filesFolder``: the channel folder's driveItem.
- ``GET /v1.0/drives/{drive}/items/{id}:/{path}:``: an item by path below a folder (404 when
  missing); ``POST .../items/{id}/children``: create a folder, honouring
  ``@microsoft.graph.conflictBehavior`` (fail: 409 nameAlreadyExists).
- ``PUT /v1.0/drives/{drive}/items/{parent}:/{name}:/content``: simple upload, at most 4 MiB.
- ``POST .../items/{parent}:/{name}:/createUploadSession`` and ``PUT {uploadUrl}`` with
  ``Content-Range``: fragments in order, each a multiple of 320 KiB except the last, under
  60 MiB, and no ``Authorization`` header on the upload URL.
- ``GET /download/{key}``: a pre-authorised download URL, as Teams hands the bot for a file.
- Channel messages (and replies) with file references, ``/shares/{u!…}/driveItem`` and moves by
  ``PATCH`` of ``parentReference``: tests.support.graph_messages.
- Injected failures (429 with ``Retry-After``, 503, ...) and Graph's error body shape.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.support.graph_calendar import Directory
from tests.support.graph_drive import Drive, DriveError, Item
from tests.support.graph_messages import ChannelMessages

TENANT = "00000000-0000-0000-0000-0000000000aa"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
CLIENT_SECRET = "graph-test-secret"
SCOPE = "https://graph.microsoft.com/.default"
SIMPLE_LIMIT = 4 * 1024 * 1024
FRAGMENT_UNIT = 320 * 1024
FRAGMENT_LIMIT = 60 * 1024 * 1024
ITEMS = re.compile(
    r"^/drives/(?P<drive>[^/]+)/items/(?P<item>[^/:]+)(?::(?P<path>.*):)?"
    r"(?:/(?P<op>children|content|createUploadSession))?$"
)
FILES_FOLDER = re.compile(r"^/teams/(?P<team>[^/]+)/channels/(?P<channel>[^/]+)/filesFolder$")
RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


@dataclass(frozen=True)
class Failure:
    """An answer given instead of the real one, to the next request whose path matches."""

    status: int = 429
    code: str = "TooManyRequests"
    retry_after: str | None = "1"
    path_contains: str = ""


@dataclass(frozen=True)
class Fragment:
    """One PUT to an upload URL, as received."""

    session: str
    start: int
    end: int
    total: int
    length: int
    authorization: bool


@dataclass
class Session:
    """An upload session: where the file goes and the bytes received so far."""

    parent: str
    name: str
    conflict: str
    received: bytearray = field(default_factory=bytearray)
    total: int | None = None


@dataclass
class FakeGraph:
    """State behind the stand-in; tests read it and inject failures."""

    drive: Drive = field(default_factory=Drive)
    channel_messages: ChannelMessages = field(default_factory=ChannelMessages)
    directory: Directory = field(default_factory=Directory)  # mailboxes, events, team members
    channels: dict[tuple[str, str], str] = field(default_factory=dict)
    downloads: dict[str, tuple[bytes, bool, str]] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    fragments: list[Fragment] = field(default_factory=list)
    calls: list[tuple[str, str, int]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    download_auth: list[bool] = field(default_factory=list)
    token_requests: int = 0
    tokens: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_channel(self, team: str, channel: str, name: str = "General") -> Item:
        """A team channel whose files folder exists in the drive."""
        folder = self.drive.add("root", name, folder=True, conflict="fail")
        self.channels[(team, channel)] = folder.id
        return folder

    def offer_download(
        self, data: bytes, *, chunked: bool = False, content_type: str = "application/octet-stream"
    ) -> str:
        """Register bytes under a pre-authorised URL path (no Content-Length when chunked).

        `content_type` "text/html" with a page as `data` is what a sharing link answers (Teams
        for iOS may hand one over as downloadUrl)."""
        key = uuid.uuid4().hex
        self.downloads[key] = (data, chunked, content_type)
        return f"/download/{key}?tempauth=v1.{key[:8]}"

    def fail_next(self, *failures: Failure) -> None:
        """Answer the next matching requests with these failures, in order."""
        with self._lock:
            self.failures.extend(failures)

    def files(self) -> dict[str, bytes]:
        """Every file in the drive by its path below the root."""
        items = self.drive.items.values()
        return {self.drive.path(i.id): i.content for i in items if not i.folder}

    def app(self) -> web.Application:
        """The aiohttp application."""
        app = web.Application(middlewares=[self._record], client_max_size=FRAGMENT_LIMIT + 1)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_route("*", "/v1.0/{tail:.*}", self._graph)
        app.router.add_route("*", "/upload/{session}", self._upload)
        app.router.add_get("/download/{key}", self._download)
        return app

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        path = request.rel_url.raw_path
        failure = None
        if not path.endswith("/token"):
            with self._lock:
                failure = next((f for f in self.failures if f.path_contains in path), None)
                if failure is not None:
                    self.failures.remove(failure)
        if failure is not None:
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            response = error(request, failure.status, failure.code, "Injected failure.", headers)
        else:
            try:
                response = await handler(request)
            except DriveError as exc:
                response = error(request, exc.status, exc.code, exc.message)
        with self._lock:
            self.calls.append((request.method, unquote(path), response.status))
        return response

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        with self._lock:
            self.token_requests += 1
        good = (
            request.match_info["tenant"] == TENANT
            and form.get("grant_type") == "client_credentials"
            and form.get("client_id") == CLIENT_ID
            and form.get("client_secret") == CLIENT_SECRET
            and form.get("scope") == SCOPE
        )
        if not good:
            body = {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid."}
            return web.json_response(body, status=401)
        token = f"graph-token-{uuid.uuid4().hex}"
        with self._lock:
            self.tokens.add(token)
        body = {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599}
        return web.json_response({**body, "access_token": token})

    async def _graph(self, request: web.Request) -> web.Response:
        authorization = request.headers.get("Authorization", "")
        if authorization.removeprefix("Bearer ") not in self.tokens:
            return error(request, 401, "InvalidAuthenticationToken", "Access token is empty.")
        path = request.rel_url.raw_path.removeprefix("/v1.0")
        if (answer := await self.directory.handle(request, path, error)) is not None:
            return answer
        if match := FILES_FOLDER.match(path):
            key = (unquote(match["team"]), unquote(match["channel"]))
            if request.method != "GET" or key not in self.channels:
                return error(request, 404, "NotFound", "No such team or channel.")
            return web.json_response(self.drive.as_json(self.drive.get(self.channels[key])))
        served = await self.channel_messages.route(request, path, self.drive)
        if served is not None:  # channel messages, shared links, moves
            return served
        match = ITEMS.match(path)
        if match is None or unquote(match["drive"]) != self.drive.id:
            return error(request, 400, "BadRequest", f"Unsupported request: {path}")
        return await self._item(request, match)

    async def _item(self, request: web.Request, match: re.Match[str]) -> web.Response:
        item, op, method = match["item"], match["op"], request.method
        if match["path"] is not None:
            parent, leaf = self.drive.walk(item, unquote(match["path"]))
            if (method, op) == ("PUT", "content"):
                return await self._simple_upload(request, parent, leaf)
            if (method, op) == ("POST", "createUploadSession"):
                return await self._create_session(request, parent, leaf)
            found = self.drive.child(parent, leaf)
            if (method, op) == ("GET", None) and found is not None:
                return web.json_response(self.drive.as_json(found))
            raise DriveError(404, "itemNotFound", "The resource could not be found.")
        if (method, op) == ("POST", "children"):
            body = await request.json()
            conflict = body.get("@microsoft.graph.conflictBehavior", "fail")
            if "folder" not in body:
                raise DriveError(400, "invalidRequest", "Only folders are created here.")
            made = self.drive.add(item, str(body.get("name", "")), folder=True, conflict=conflict)
            return web.json_response(self.drive.as_json(made), status=201)
        if (method, op) == ("GET", None):
            return web.json_response(self.drive.as_json(self.drive.get(item)))
        raise DriveError(405, "invalidRequest", "Method not allowed.")

    async def _simple_upload(self, request: web.Request, parent: str, name: str) -> web.Response:
        data = await request.read()
        if len(data) > SIMPLE_LIMIT:
            raise DriveError(413, "requestTooLarge", "Use an upload session above 4 MiB.")
        conflict = request.query.get("@microsoft.graph.conflictBehavior", "replace")
        existed = self.drive.child(parent, name) is not None
        mime = request.headers.get("Content-Type", "")
        made = self.drive.add(
            parent, name, folder=False, conflict=conflict, content=data, mime=mime
        )
        created = not existed or made.name != name
        return web.json_response(self.drive.as_json(made), status=201 if created else 200)

    async def _create_session(self, request: web.Request, parent: str, name: str) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        item = body.get("item") or {}
        conflict = item.get("@microsoft.graph.conflictBehavior", "replace")
        if item.get("name") not in (None, name):
            raise DriveError(400, "invalidRequest", "The name does not match the path.")
        if conflict == "fail" and self.drive.child(parent, name) is not None:
            raise DriveError(409, "nameAlreadyExists", "The specified item name already exists.")
        sid = uuid.uuid4().hex
        self.sessions[sid] = Session(parent, name, conflict)
        expires = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return web.json_response(
            {
                "uploadUrl": f"{request.scheme}://{request.host}/upload/{sid}?tempauth=v1.{sid}",
                "expirationDateTime": expires,
                "nextExpectedRanges": ["0-"],
            }
        )

    async def _upload(self, request: web.Request) -> web.Response:
        sid = request.match_info["session"]
        session = self.sessions.get(sid)
        if session is None:
            raise DriveError(404, "itemNotFound", "The upload session was not found.")
        if request.method == "DELETE":
            del self.sessions[sid]
            return web.Response(status=204)
        if request.method == "GET":
            return web.json_response({"nextExpectedRanges": [f"{len(session.received)}-"]})
        return self._fragment(sid, session, request, await request.read())

    def _fragment(
        self, sid: str, session: Session, request: web.Request, data: bytes
    ) -> web.Response:
        match = RANGE.match(request.headers.get("Content-Range", ""))
        if match is None:
            raise DriveError(400, "invalidRequest", "Content-Range is required.")
        start, end, total = (int(g) for g in match.groups())
        length = end - start + 1
        authorized = "Authorization" in request.headers
        self.fragments.append(Fragment(sid, start, end, total, len(data), authorized))
        if authorized:
            raise DriveError(401, "unauthenticated", "Do not send Authorization to uploadUrl.")
        if length != len(data) or request.content_length != len(data):
            raise DriveError(400, "invalidRequest", "Content-Length does not match the range.")
        if start != len(session.received) or (session.total not in (None, total)):
            raise DriveError(416, "invalidRange", "Fragments must be sent in order.")
        if length >= FRAGMENT_LIMIT:
            raise DriveError(413, "requestTooLarge", "A fragment must be under 60 MiB.")
        if end + 1 < total and length % FRAGMENT_UNIT:
            raise DriveError(400, "invalidRequest", "Fragments must be multiples of 320 KiB.")
        if end + 1 > total:
            raise DriveError(416, "invalidRange", "The range is beyond the file size.")
        session.total = total
        session.received += data
        if len(session.received) < total:
            return web.json_response(
                {"nextExpectedRanges": [f"{len(session.received)}-"]}, status=202
            )
        del self.sessions[sid]
        made = self.drive.add(
            session.parent,
            session.name,
            folder=False,
            conflict=session.conflict,
            content=bytes(session.received),
        )
        return web.json_response(self.drive.as_json(made), status=201)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            self.download_auth.append("Authorization" in request.headers)
        found = self.downloads.get(request.match_info["key"])
        if found is None or not request.query.get("tempauth"):
            return web.Response(status=404)
        data, chunked, content_type = found
        if not chunked:
            return web.Response(body=data, headers={"Content-Type": content_type})
        response = web.StreamResponse(headers={"Content-Type": content_type})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(data), 64 * 1024):
            await response.write(data[start : start + 64 * 1024])
        await response.write_eof()
        return response


def error(
    request: web.Request,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """Graph's error body: {"error": {"code", "message", "innerError": {...}}}."""
    inner = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": str(uuid.uuid4()),
        "client-request-id": request.headers.get("client-request-id", str(uuid.uuid4())),
    }
    body = {"error": {"code": code, "message": message, "innerError": inner}}
    return web.json_response(body, status=status, headers=headers)
