"""The Graph port on msgraph-sdk: channel folders, folders per meeting, uploads, downloads."""

from __future__ import annotations

import contextlib
import mimetypes
from collections.abc import Awaitable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import httpx
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph.generated.drives.item.items.item.create_upload_session.create_upload_session_post_request_body import (  # noqa: E501
    CreateUploadSessionPostRequestBody,
)
from msgraph.generated.models.drive_item import DriveItem
from msgraph.generated.models.drive_item_uploadable_properties import (
    DriveItemUploadableProperties,
)
from msgraph.generated.models.folder import Folder
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from graph.client import THROUGH_MIDDLEWARE, GraphConnection, call
from services.graph_port import Content, DriveFile, DriveFolder, GraphFailure, TooLarge

T = TypeVar("T")
CONFLICT = "@microsoft.graph.conflictBehavior"
# Microsoft: simple upload for small files; upload sessions above 4 MiB.
SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024
# Fragments must be multiples of 320 KiB (except the last) and under 60 MiB; 5 MiB is 16 units.
FRAGMENT_UNIT = 320 * 1024
FRAGMENT_SIZE = 16 * FRAGMENT_UNIT
ERRORS: dict[str, Any] = {"XXX": ODataError}


class GraphFiles:
    """Implements services.graph_port.GraphPort; nothing outside graph/ sees a Graph type."""

    def __init__(self, connection: GraphConnection, fragment_size: int = FRAGMENT_SIZE) -> None:
        if fragment_size % FRAGMENT_UNIT:
            raise ValueError("fragment_size must be a multiple of 320 KiB")
        self._graph = connection
        self._fragment = fragment_size

    async def channel_folder(self, team_id: str, channel_id: str) -> DriveFolder:
        """GET /teams/{team}/channels/{channel}/filesFolder."""
        channel = self._graph.client.teams.by_team_id(team_id).channels.by_channel_id(channel_id)
        return _folder(await call(channel.files_folder.get()))

    async def ensure_folder(self, parent: DriveFolder, name: str) -> DriveFolder:
        """The child folder by path; created with conflictBehavior=fail when missing."""
        found = await self._child(parent, name)
        if found is not None:
            return found
        items = self._graph.client.drives.by_drive_id(parent.drive_id).items
        body = DriveItem(name=name, folder=Folder(), additional_data={CONFLICT: "fail"})
        try:
            return _folder(await call(items.by_drive_item_id(parent.item_id).children.post(body)))
        except GraphFailure as exc:
            # Another filing created it a moment ago: use that one.
            again = await self._child(parent, name) if exc.status == 409 else None
            if again is None:
                raise
            return again

    async def _child(self, parent: DriveFolder, name: str) -> DriveFolder | None:
        # The builder only lends its request and parsing; with_url replaces the placeholder id
        # with path-based addressing (items/{parent}:/{name}:), which the SDK has no builder for.
        item = self._graph.client.drives.by_drive_id(parent.drive_id).items.by_drive_item_id("x")
        try:
            found = await call(item.with_url(self._path_url(parent, name)).get())
        except GraphFailure as exc:
            if exc.status == 404:
                return None
            raise
        return _folder(found) if found.folder is not None else None

    async def upload(self, folder: DriveFolder, name: str, content: Content) -> DriveFile:
        """A simple PUT up to 4 MiB, an upload session above; a taken name gets renamed."""
        if content.size <= SIMPLE_UPLOAD_LIMIT:
            return await self._simple(folder, name, content)
        return await self._session(folder, name, content)

    async def _simple(self, folder: DriveFolder, name: str, content: Content) -> DriveFile:
        info = RequestInformation(Method.PUT)
        info.url = f"{self._path_url(folder, name)}/content?{CONFLICT}=rename"
        # The file's own type: kiota's RetryHandler never retries an octet-stream body.
        info.headers.try_add("Content-Type", _mime(name))
        info.content = content.read(0, content.size)
        sent = self._graph.adapter.send_async(info, DriveItem, ERRORS)
        return _file(await call(sent))

    async def _session(self, folder: DriveFolder, name: str, content: Content) -> DriveFile:
        item = self._graph.client.drives.by_drive_id(folder.drive_id).items.by_drive_item_id("x")
        builder = item.create_upload_session.with_url(
            f"{self._path_url(folder, name)}/createUploadSession"
        )
        properties = DriveItemUploadableProperties(name=name, additional_data={CONFLICT: "rename"})
        session = await call(builder.post(CreateUploadSessionPostRequestBody(item=properties)))
        if not session.upload_url:
            raise GraphFailure(502, "noUploadUrl", "createUploadSession gave no uploadUrl")
        try:
            return await self._fragments(session.upload_url, content)
        except BaseException:
            await self._cancel(session.upload_url)
            raise

    async def _fragments(self, upload_url: str, content: Content) -> DriveFile:
        """PUT the fragments in order, each where Graph's nextExpectedRanges says to go on."""
        start = 0
        while True:
            data = content.read(start, self._fragment)
            end = start + len(data) - 1
            # The upload URL is pre-authorised: no Authorization header (the client adds none).
            headers = {"Content-Range": f"bytes {start}-{end}/{content.size}"}
            put = self._graph.http.put(
                upload_url, content=data, headers=headers, extensions=dict(THROUGH_MIDDLEWARE)
            )
            response = await _send(put)
            body = _json(response)
            if response.status_code in (200, 201):
                return _file_from_json(body)
            if response.status_code != 202:
                raise _failure(response.status_code, body)
            following = _next_start(body)
            if following <= start or following > content.size:
                raise GraphFailure(502, "unexpectedRange", f"upload resumed at {following}")
            start = following

    async def _cancel(self, upload_url: str) -> None:
        # Best effort: the session expires by itself, and the original error matters more.
        with contextlib.suppress(httpx.HTTPError):
            await self._graph.http.delete(upload_url, extensions=dict(THROUGH_MIDDLEWARE))

    async def download(self, url: str, limit: int) -> Content:
        """Stream a pre-authorised https download URL, stopping as soon as it passes `limit`."""
        if urlsplit(url).scheme != "https":
            raise GraphFailure(400, "invalidDownloadUrl", "only https download URLs are fetched")
        content = Content(limit)
        try:
            fetch = self._graph.http.stream("GET", url, extensions=dict(THROUGH_MIDDLEWARE))
            async with fetch as response:
                if response.status_code != 200:
                    raise GraphFailure(response.status_code, "downloadFailed", url.split("?")[0])
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise TooLarge(limit)  # refused before a byte is read
                media = response.headers.get("Content-Type", "")
                content.media_type = media.partition(";")[0].strip().lower()
                async for piece in response.aiter_bytes():
                    content.write(piece)
        except httpx.HTTPError as exc:
            content.close()
            raise GraphFailure(0, "network", str(exc)) from exc
        except BaseException:
            content.close()
            raise
        return content

    def _path_url(self, parent: DriveFolder, name: str) -> str:
        """Path-based addressing below a folder: .../items/{parent}:/{name}: (name fully quoted)."""
        drive, item = quote(parent.drive_id, safe=""), quote(parent.item_id, safe="")
        return f"{self._graph.config.base_url}/drives/{drive}/items/{item}:/{quote(name, safe='')}:"


async def _send(pending: Awaitable[httpx.Response]) -> httpx.Response:
    try:
        return await pending
    except httpx.HTTPError as exc:
        raise GraphFailure(0, "network", str(exc)) from exc


def _failure(status: int, body: Any) -> GraphFailure:
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    return GraphFailure(status, str(error.get("code", "unknown")), str(error.get("message", "")))


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # a proxy's or gateway's HTML error page
        return {}


def _next_start(body: Any) -> int:
    ranges = body.get("nextExpectedRanges") if isinstance(body, dict) else None
    first = str(ranges[0]) if isinstance(ranges, list) and ranges else ""
    head = first.split("-", 1)[0]
    if not head.isdigit():
        raise GraphFailure(502, "unexpectedRange", f"nextExpectedRanges: {ranges!r}")
    return int(head)


def _mime(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/binary"


def _folder(item: DriveItem) -> DriveFolder:
    drive = item.parent_reference.drive_id if item.parent_reference else None
    if not (drive and item.id):
        raise GraphFailure(502, "incompleteItem", "driveItem without id or parentReference.driveId")
    return DriveFolder(drive, item.id, item.name or "", item.web_url or "")


def _file(item: DriveItem) -> DriveFile:
    folder = _folder(item)
    return DriveFile(folder.drive_id, folder.item_id, folder.name, folder.web_url, item.size or 0)


def _file_from_json(body: Any) -> DriveFile:
    reference = body.get("parentReference") or {} if isinstance(body, dict) else {}
    if not (isinstance(body, dict) and body.get("id") and reference.get("driveId")):
        raise GraphFailure(502, "incompleteItem", "upload finished without a driveItem")
    return DriveFile(
        str(reference["driveId"]),
        str(body["id"]),
        str(body.get("name", "")),
        str(body.get("webUrl", "")),
        int(body.get("size") or 0),
    )
