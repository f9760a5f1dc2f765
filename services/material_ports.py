"""The material ports: the repository (the unit of work carries it) and channel messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from domain.material import Material
from services.graph_port import DriveFile, DriveFolder


class MaterialRepository(Protocol):
    """Shared files and links, per network."""

    async def add(self, slug: str, material: Material) -> Material | None:
        """Record material; None when that file (same hash or drive item) is already recorded."""
        ...

    async def duplicate(
        self,
        slug: str,
        *,
        sha256: str | None = None,
        drive_item_id: str | None = None,
        url: str | None = None,
    ) -> Material | None:
        """Material already recorded with the same hash, drive item or link."""
        ...

    async def link(self, slug: str, url: str, meeting: int | None) -> Material | None:
        """The link already recorded for this meeting (or for no meeting), if any."""
        ...

    async def get(self, slug: str, material_id: int) -> Material | None:
        """One item of the network's material."""
        ...

    async def reassign(
        self,
        slug: str,
        material_id: int,
        *,
        meeting: int | None,
        themes: tuple[str, ...],
        url: str,
    ) -> Material | None:
        """Give an item another meeting, themes and address (after a move); None if unknown."""
        ...

    async def search(
        self, slug: str, *, meeting: int | None, words: Sequence[str], limit: int
    ) -> list[Material]:
        """Material of a meeting (or all) holding every word as a prefix; best matches first."""
        ...


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """A message in a channel, by the Graph ids: a top-level post, or a reply to one."""

    # The team's Microsoft 365 group id (aadGroupId): Graph's {team-id}. None when the activity
    # did not carry it (Teams' channel messages do not); the stored reference has it.
    team_id: str | None
    channel_id: str
    message_id: str
    reply_id: str | None = None


@dataclass(frozen=True, slots=True)
class PostedFile:
    """A file a channel message refers to (a 'reference' attachment)."""

    name: str
    url: str


class ChannelFiles(Protocol):
    """What Graph tells about files posted in a channel, and how filed files are moved."""

    async def posted_files(self, post: ChannelPost) -> list[PostedFile]:
        """The files the message refers to (GET .../messages/{id}[/replies/{id}])."""
        ...

    async def item_by_url(self, url: str) -> DriveFile:
        """The drive item behind a file's address (GET /shares/{u!...}/driveItem)."""
        ...

    async def move(self, item: DriveFile, folder: DriveFolder) -> DriveFile:
        """Move an item into another folder, renamed if the name is taken there."""
        ...
