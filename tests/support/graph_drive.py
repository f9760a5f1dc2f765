"""The document library behind the Graph stand-in: items, names, paths and conflicts."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

# SharePoint refuses these in a file or folder name, and these names altogether.
INVALID_CHARS = re.compile(r'["*:<>?/\\|\x00-\x1f]')
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
RESERVED |= {f"lpt{i}" for i in range(10)}
MAX_NAME = 255
MAX_PATH = 400
CREATED = "2024-03-01T12:00:00Z"


class DriveError(Exception):
    """A refusal in Graph's terms: HTTP status, error code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message
        super().__init__(message)


def check_name(name: str) -> None:
    """Refuse a name SharePoint would refuse (400 invalidRequest)."""
    stem = name.split(".", 1)[0].strip().lower()
    bad = (
        not name
        or len(name) > MAX_NAME
        or INVALID_CHARS.search(name)
        or name != name.strip()
        or name.endswith(".")
        or stem in RESERVED
        or name.startswith("~$")
        or "_vti_" in name.lower()
    )
    if bad:
        raise DriveError(400, "invalidRequest", f"Invalid name: {name!r}")


@dataclass
class Item:
    """A file or folder."""

    id: str
    name: str
    parent: str | None
    folder: bool
    content: bytes = b""
    mime: str = ""


@dataclass
class Drive:
    """One document library: a root, the channel's folder under it, and what gets added."""

    id: str = "b!netpuls-test-drive"
    site: str = "https://contoso.sharepoint.com/sites/Network/Shared%20Documents"
    items: dict[str, Item] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.items["root"] = Item("root", "root", None, folder=True)

    def new_id(self) -> str:
        """A driveItem id in Graph's style."""
        return f"01NETPULS{next(self._ids):08d}"

    def get(self, item_id: str) -> Item:
        """The item, or 404 itemNotFound."""
        item = self.items.get(item_id)
        if item is None:
            raise DriveError(404, "itemNotFound", "The resource could not be found.")
        return item

    def path(self, item_id: str) -> str:
        """The item's path below the root, e.g. 'General/netpuls/2024-05-30 x/a.pdf'."""
        parts: list[str] = []
        item = self.get(item_id)
        while item.parent is not None:
            parts.append(item.name)
            item = self.get(item.parent)
        return "/".join(reversed(parts))

    def children(self, parent_id: str) -> list[Item]:
        """The items directly inside a folder, by name."""
        self.get(parent_id)
        return sorted(
            (i for i in self.items.values() if i.parent == parent_id), key=lambda i: i.name
        )

    def child(self, parent_id: str, name: str) -> Item | None:
        """A child by name; SharePoint compares names without case."""
        return next((i for i in self.children(parent_id) if i.name.lower() == name.lower()), None)

    def walk(self, parent_id: str, relative: str) -> tuple[str, str]:
        """Resolve 'a/b/name' below a folder: (folder id, leaf name).

        The worst case on purpose: '..' climbs and missing folders are created, so a name that
        reaches Graph unsanitised would land outside the folder meant for it.
        """
        *folders, leaf = relative.split("/")
        current = parent_id
        for part in folders:
            if part in ("", "."):
                continue
            if part == "..":
                current = self.get(current).parent or current
                continue
            found = self.child(current, part)
            if found is None:
                found = self.add(current, part, folder=True, conflict="fail")
            current = found.id
        return current, leaf

    def add(
        self,
        parent_id: str,
        name: str,
        *,
        folder: bool,
        conflict: str,
        content: bytes = b"",
        mime: str = "",
    ) -> Item:
        """Create an item honouring @microsoft.graph.conflictBehavior (fail, replace, rename)."""
        check_name(name)
        if not self.get(parent_id).folder:
            raise DriveError(400, "invalidRequest", "The parent is not a folder.")
        if len(self.path(parent_id)) + len(name) + 1 > MAX_PATH:
            raise DriveError(400, "invalidRequest", "The path is too long.")
        existing = self.child(parent_id, name)
        if existing is not None:
            if conflict == "fail":
                raise DriveError(409, "nameAlreadyExists", "The item name already exists.")
            if conflict == "replace" and existing.folder == folder:
                existing.content, existing.mime = content, mime
                return existing
            name = self._free_name(parent_id, name)
        item = Item(self.new_id(), name, parent_id, folder, content, mime)
        self.items[item.id] = item
        return item

    def _free_name(self, parent_id: str, name: str) -> str:
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        for n in itertools.count(1):
            candidate = f"{stem} {n}{dot}{ext}"
            if self.child(parent_id, candidate) is None:
                return candidate
        raise AssertionError("unreachable")

    def as_json(self, item: Item) -> dict[str, Any]:
        """The driveItem resource as Graph returns it."""
        body: dict[str, Any] = {
            "id": item.id,
            "name": item.name,
            "webUrl": f"{self.site}/{quote(self.path(item.id))}",
            "size": len(item.content),
            "createdDateTime": CREATED,
            "lastModifiedDateTime": CREATED,
            "parentReference": {"driveId": self.id, "driveType": "documentLibrary"},
        }
        if item.parent is not None:
            body["parentReference"]["id"] = item.parent
        if item.folder:
            body["folder"] = {"childCount": len(self.children(item.id))}
        else:
            body["file"] = {"mimeType": item.mime or "application/octet-stream"}
        return body
