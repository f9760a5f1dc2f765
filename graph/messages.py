"""Files posted in a channel (read through resource-specific consent) and moves of filed files."""

from __future__ import annotations

import base64
from urllib.parse import quote

from msgraph.generated.models.drive_item import DriveItem
from msgraph.generated.models.item_reference import ItemReference

from graph.client import GraphConnection, call
from graph.files import CONFLICT, _file
from services.graph_port import DriveFile, DriveFolder, GraphFailure
from services.material_ports import ChannelPost, PostedFile

# A file posted in a channel is an attachment of this type; its body holds only a stub.
REFERENCE = "reference"


def share_id(url: str) -> str:
    """Microsoft's 'Encoding sharing URLs': 'u!' and the URL in unpadded base64url."""
    return "u!" + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


class GraphChannelFiles:
    """Implements services.material_ports.ChannelFiles on msgraph-sdk."""

    def __init__(self, connection: GraphConnection) -> None:
        self._graph = connection

    async def posted_files(self, post: ChannelPost) -> list[PostedFile]:
        """The 'reference' attachments of a channel message or reply (ChannelMessage.Read.Group).

        Graph's {team-id} is the team's Microsoft 365 group id, not the Teams thread id."""
        if not post.team_id:
            raise GraphFailure(400, "teamGroupUnknown", "the team's group id is not known")
        channel = self._graph.client.teams.by_team_id(post.team_id).channels.by_channel_id(
            post.channel_id
        )
        message = channel.messages.by_chat_message_id(post.message_id)
        if post.reply_id is None:
            found = await call(message.get())
        else:
            found = await call(message.replies.by_chat_message_id1(post.reply_id).get())
        return [
            PostedFile(name=a.name or "", url=a.content_url)
            for a in found.attachments or []
            if a.content_type == REFERENCE and a.content_url
        ]

    async def item_by_url(self, url: str) -> DriveFile:
        """GET /shares/{u!…}/driveItem: the file behind its SharePoint address."""
        shared = self._graph.client.shares.by_shared_drive_item_id(share_id(url))
        return _file(await call(shared.drive_item.get()))

    async def move(self, item: DriveFile, folder: DriveFolder) -> DriveFile:
        """PATCH the item's parentReference; a taken name is renamed, never replaced."""
        builder = self._graph.client.drives.by_drive_id(item.drive_id).items.by_drive_item_id(
            item.item_id
        )
        drive, item_id = quote(item.drive_id, safe=""), quote(item.item_id, safe="")
        url = f"{self._graph.config.base_url}/drives/{drive}/items/{item_id}?{CONFLICT}=rename"
        body = DriveItem(parent_reference=ItemReference(id=folder.item_id))
        return _file(await call(builder.with_url(url).patch(body)))
