"""In-memory fakes of the material ports: the repository and Graph's channel files."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from domain.material import Material
from services.graph_port import Content, DriveFile, DriveFolder, GraphFailure, TooLarge
from services.material_ports import ChannelPost, PostedFile

_STATES: WeakKeyDictionary[Any, list[tuple[str, Material]]] = WeakKeyDictionary()


def material_state(store: Any) -> list[tuple[str, Material]]:
    """The material recorded in a FakeStore, with its network's slug."""
    if store not in _STATES:
        _STATES[store] = []
    return _STATES[store]


class FakeMaterial:
    def __init__(self, items: list[tuple[str, Material]], store: Any) -> None:
        self._items = items
        self._store = store

    def _network(self, slug: str) -> list[Material]:
        return [m for s, m in self._items if s == slug]

    async def add(self, slug: str, material: Material) -> Material | None:
        if await self.duplicate(slug, sha256=material.sha256, drive_item_id=material.drive_item_id):
            return None
        numbers = {m.number for m in self._store.files[slug].meetings}
        number = material.meeting_number if material.meeting_number in numbers else None
        saved = dataclasses.replace(material, id=len(self._items) + 1, meeting_number=number)
        self._items.append((slug, saved))
        return saved

    async def duplicate(
        self,
        slug: str,
        *,
        sha256: str | None = None,
        drive_item_id: str | None = None,
        url: str | None = None,
    ) -> Material | None:
        for m in self._network(slug):
            if (
                (sha256 and m.sha256 == sha256)
                or (drive_item_id and m.drive_item_id == drive_item_id)
                or (url and m.url == url)
            ):
                return m
        return None

    async def link(self, slug: str, url: str, meeting: int | None) -> Material | None:
        return next(
            (m for m in self._network(slug) if m.url == url and m.meeting_number == meeting), None
        )

    async def get(self, slug: str, material_id: int) -> Material | None:
        return next((m for m in self._network(slug) if m.id == material_id), None)

    async def reassign(
        self,
        slug: str,
        material_id: int,
        *,
        meeting: int | None,
        themes: tuple[str, ...],
        url: str,
    ) -> Material | None:
        for i, (s, m) in enumerate(self._items):
            if s == slug and m.id == material_id:
                numbers = {x.number for x in self._store.files[slug].meetings}
                number = meeting if meeting in numbers else None
                changed = dataclasses.replace(m, meeting_number=number, themes=themes, url=url)
                self._items[i] = (s, changed)
                return changed
        return None

    async def search(
        self, slug: str, *, meeting: int | None, words: Sequence[str], limit: int
    ) -> list[Material]:
        found = [
            m
            for m in self._network(slug)
            if (meeting is None or m.meeting_number == meeting)
            and all(any(t.startswith(w.casefold()) for t in m.search_text().split()) for w in words)
        ]
        return sorted(found, key=lambda m: (m.shared_at, m.id or 0), reverse=True)[:limit]


def attach_material_fakes(uow: Any, store: Any) -> None:
    """Give a FakeUnitOfWork the material repository, sharing state through its store."""
    uow.material = FakeMaterial(material_state(store), store)


class FakeGraphFiles:
    """Channel folders, uploads and downloads in memory; the HTTP stand-in is graph_server."""

    def __init__(self) -> None:
        self.folders: dict[str, DriveFolder] = {}
        self.files: dict[str, bytes] = {}
        self.downloads: dict[str, bytes] = {}
        self.uploads = 0
        self.fail_with: GraphFailure | None = None

    async def channel_folder(self, team_id: str, channel_id: str) -> DriveFolder:
        if self.fail_with is not None:
            raise self.fail_with
        return DriveFolder("drive", f"{team_id}/{channel_id}", "General", "https://sp/General")

    async def ensure_folder(self, parent: DriveFolder, name: str) -> DriveFolder:
        path = f"{parent.item_id}/{name}"
        found = self.folders.setdefault(
            path, DriveFolder("drive", path, name, f"https://sp/{path}")
        )
        return found

    async def upload(self, folder: DriveFolder, name: str, content: Content) -> DriveFile:
        self.uploads += 1
        path = f"{folder.item_id}/{name}"
        self.files[path] = content.read(0, content.size)
        return DriveFile("drive", f"item-{self.uploads}", name, f"https://sp/{path}", content.size)

    async def download(self, url: str, limit: int) -> Content:
        data = self.downloads[url]
        if len(data) > limit:
            raise TooLarge(limit)
        content = Content(limit)
        content.write(data)
        return content


class FakeChannelFiles:
    """Channel messages with file references, items by address, and moves, in memory."""

    def __init__(self) -> None:
        self.posts: dict[ChannelPost, list[PostedFile]] = {}
        self.items: dict[str, DriveFile] = {}
        self.moves: list[tuple[str, str]] = []  # (item id, folder item id)
        self.fail_with: GraphFailure | None = None

    def post(self, post: ChannelPost, *files: tuple[str, str]) -> None:
        """A channel message referring to files given as (name, item id)."""
        self.posts[post] = []
        for name, item_id in files:
            url = f"https://sp/General/{name}"
            self.posts[post].append(PostedFile(name, url))
            self.items[url] = DriveFile("drive", item_id, name, url, 10)

    async def posted_files(self, post: ChannelPost) -> list[PostedFile]:
        if self.fail_with is not None:
            raise self.fail_with
        return list(self.posts.get(post, []))

    async def item_by_url(self, url: str) -> DriveFile:
        return self.items[url]

    async def move(self, item: DriveFile, folder: DriveFolder) -> DriveFile:
        if self.fail_with is not None:
            raise self.fail_with
        self.moves.append((item.item_id, folder.item_id))
        url = f"https://sp/{folder.item_id}/{item.name}"
        return DriveFile(item.drive_id, item.item_id, item.name, url, item.size)
