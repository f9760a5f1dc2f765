"""The Graph port: what filing material needs from Microsoft Graph, in plain values only."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from typing import IO, Protocol

# Downloads stay in memory up to this size and spill to a temporary file above it.
SPOOL_IN_MEMORY = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DriveFolder:
    """A folder in a SharePoint document library (a driveItem with a folder facet)."""

    drive_id: str
    item_id: str
    name: str
    web_url: str = ""


@dataclass(frozen=True, slots=True)
class DriveFile:
    """A file stored in a document library."""

    drive_id: str
    item_id: str
    name: str
    web_url: str
    size: int


class GraphFailure(Exception):
    """Graph refused or failed for good (retries already spent); carries Graph's error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(f"Graph {status} {code}: {message}")


class TooLarge(Exception):
    """A download grew beyond the allowed size; it was stopped there."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"more than {limit} bytes")


class Content:
    """Downloaded bytes with their size and SHA-256; spooled to disk when large."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        # Owned by this object and closed by close(): it outlives any one `with` block.
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        self._hash = hashlib.sha256()
        self.size = 0
        self.media_type = ""  # the download's Content-Type, without parameters

    def write(self, data: bytes) -> None:
        """Append bytes; raise TooLarge as soon as the limit is passed."""
        self.size += len(data)
        if self.size > self._limit:
            raise TooLarge(self._limit)
        self._hash.update(data)
        self._file.write(data)

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of everything written."""
        return self._hash.hexdigest()

    def read(self, start: int, length: int) -> bytes:
        """`length` bytes from offset `start` (fewer at the end)."""
        self._file.seek(start)
        return self._file.read(length)

    def close(self) -> None:
        """Drop the bytes (and the temporary file, if any)."""
        self._file.close()


class GraphPort(Protocol):
    """Channel files through Microsoft Graph: find the folder, make folders, upload, download."""

    async def channel_folder(self, team_id: str, channel_id: str) -> DriveFolder:
        """The channel's files folder (GET /teams/{id}/channels/{id}/filesFolder)."""
        ...

    async def ensure_folder(self, parent: DriveFolder, name: str) -> DriveFolder:
        """The child folder `name` of `parent`, created when missing."""
        ...

    async def upload(self, folder: DriveFolder, name: str, content: Content) -> DriveFile:
        """Store `content` as `name` in `folder` (renamed by SharePoint if the name is taken)."""
        ...

    async def download(self, url: str, limit: int) -> Content:
        """Fetch a pre-authorised download URL, stopping beyond `limit` bytes."""
        ...
