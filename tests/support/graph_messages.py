"""The Graph stand-in's channel messages, shared links and moves, as Microsoft documents them.

- ``GET /teams/{team}/channels/{channel}/messages/{id}`` and
  ``GET .../messages/{id}/replies/{reply}``: a chatMessage; a file posted in the channel is an
  attachment ``{"id", "contentType": "reference", "contentUrl", "name"}`` whose id the HTML
  body names in ``<attachment id="...">`` (tests/contracts/graph/channel-message-with-file).
  ``{team}`` is the team's Microsoft 365 group id; any other id is not found.
- ``GET /shares/{shareId}/driveItem``: the driveItem behind a sharing URL; the id is ``u!``
  and the URL in unpadded base64url ("Encoding sharing URLs").
- ``PATCH /drives/{drive}/items/{id}`` with ``parentReference.id``: move an item, honouring
  ``@microsoft.graph.conflictBehavior`` in the query (fail: 409 nameAlreadyExists).
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from aiohttp import web

from tests import contracts
from tests.support.graph_drive import Drive, DriveError, Item

MESSAGE = re.compile(
    r"^/teams/(?P<team>[^/]+)/channels/(?P<channel>[^/]+)/messages/(?P<message>[^/]+)"
    r"(?:/replies/(?P<reply>[^/]+))?$"
)
SHARE = re.compile(r"^/shares/(?P<share>[^/]+)/driveItem$")
ITEM = re.compile(r"^/drives/(?P<drive>[^/]+)/items/(?P<item>[^/:]+)$")


@dataclass
class ChannelMessages:
    """Messages posted in channels, by (team, channel, message id[, reply id])."""

    messages: dict[tuple[str, str, str, str | None], dict[str, Any]] = field(default_factory=dict)

    def post_files(
        self,
        drive: Drive,
        team: str,
        channel: str,
        files: list[Item],
        *,
        text: str = "",
        parent: str | None = None,
    ) -> str:
        """A message (or a reply to `parent`) with these drive files attached; its id."""
        message_id = str(uuid.uuid4().int)[:13]
        attachments = [
            {
                "id": str(uuid.uuid4()),
                "contentType": "reference",
                # Teams writes the file's address undecoded (spaces and all).
                "contentUrl": unquote(drive.as_json(item)["webUrl"]),
                "content": None,
                "name": item.name,
                "thumbnailUrl": None,
                "teamsAppId": None,
            }
            for item in files
        ]
        stubs = "".join(f'<attachment id="{a["id"]}"></attachment>' for a in attachments)
        # The documented chatMessage, with this message's ids, body and attachments.
        message = contracts.load("graph", "channel-message-with-file")
        message.pop("@odata.context")
        message.update(
            id=message_id,
            replyToId=parent,
            etag=message_id,
            webUrl=None,
            body={"contentType": "html", "content": f"<p>{text}</p>{stubs}" if text else stubs},
            channelIdentity={"teamId": team, "channelId": channel},
            attachments=attachments,
        )
        message["from"]["user"]["displayName"] = "Planlægger Odense"
        key = (team, channel, parent or message_id, message_id if parent else None)
        self.messages[key] = message
        return message_id

    async def route(self, request: web.Request, path: str, drive: Drive) -> web.Response | None:
        """The answer for a path this module serves, else None."""
        if (found := MESSAGE.match(path)) is not None and request.method == "GET":
            key = (
                unquote(found["team"]),
                unquote(found["channel"]),
                unquote(found["message"]),
                unquote(found["reply"]) if found["reply"] else None,
            )
            message = self.messages.get(key)
            if message is None:
                raise DriveError(404, "NotFound", "Message not found.")
            team, channel = (quote(k, safe="") for k in key[:2])
            context = (
                "https://graph.microsoft.com/v1.0/$metadata#"
                f"teams('{team}')/channels('{channel}')/messages"
                + (f"('{quote(key[2], safe='')}')/replies" if key[3] else "")
                + "/$entity"
            )
            return web.json_response({"@odata.context": context, **message})
        if (found := SHARE.match(path)) is not None and request.method == "GET":
            return web.json_response(drive.as_json(_shared(drive, unquote(found["share"]))))
        if (found := ITEM.match(path)) is not None and request.method == "PATCH":
            if unquote(found["drive"]) != drive.id:
                raise DriveError(404, "itemNotFound", "The resource could not be found.")
            conflict = request.query.get("@microsoft.graph.conflictBehavior", "fail")
            moved = _move(drive, unquote(found["item"]), await request.json(), conflict)
            return web.json_response(drive.as_json(moved))
        return None


def share_id(url: str) -> str:
    """Microsoft's encoding of a sharing URL: 'u!' + unpadded base64url."""
    encoded = base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
    return f"u!{encoded}"


def _shared(drive: Drive, share: str) -> Item:
    if not share.startswith("u!"):
        raise DriveError(400, "invalidRequest", "Invalid shares key.")
    raw = share[2:]
    try:
        url = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise DriveError(400, "invalidRequest", "Invalid shares key.") from None
    for item in drive.items.values():
        if item.parent is not None and unquote(drive.as_json(item)["webUrl"]) == unquote(url):
            return item
    raise DriveError(404, "itemNotFound", "The sharing link could not be found.")


def _move(drive: Drive, item_id: str, body: Any, conflict: str) -> Item:
    item = drive.get(item_id)
    target = (body.get("parentReference") or {}).get("id") if isinstance(body, dict) else None
    if not target:
        raise DriveError(400, "invalidRequest", "Only moves (parentReference.id) are served.")
    name = str(body.get("name") or item.name)
    if not drive.get(target).folder:
        raise DriveError(400, "invalidRequest", "The parent is not a folder.")
    existing = drive.child(target, name)
    if existing is not None and existing.id != item.id:
        if conflict == "fail":
            raise DriveError(409, "nameAlreadyExists", "The item name already exists.")
        name = drive._free_name(target, name)
    item.parent, item.name = target, name
    return item
