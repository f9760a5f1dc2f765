"""The library: material and posted summaries, searched and filtered by meeting and theme."""

from __future__ import annotations

from dataclasses import dataclass

from domain.material import Material, search_words
from domain.model import Meeting
from domain.sparring import Summary
from services.ports import UnitOfWork
from tab.access import Access

LIMIT = 50
SEARCHED = 500  # searched before the theme filter picks its share


@dataclass(frozen=True, slots=True)
class Library:
    """What the library shows for a query."""

    access: Access
    words: str
    meeting: int | None
    theme: str
    meetings: tuple[Meeting, ...]
    themes: tuple[str, ...]
    items: tuple[Material, ...]
    summaries: tuple[tuple[Meeting, Summary], ...]
    more: bool


async def library(
    uow: UnitOfWork, access: Access, words: str, meeting: int | None, theme: str
) -> Library:
    """Material matching the words (every word as a prefix), the meeting and the theme."""
    slug = access.network.slug
    meetings = tuple(sorted(await uow.networks.meetings(slug), key=lambda m: m.number))
    numbers = {m.number for m in meetings}
    meeting = meeting if meeting in numbers else None
    theme = theme if theme in access.network.themes else ""
    found = await uow.material.search(
        slug, meeting=meeting, words=search_words(words), limit=SEARCHED if theme else LIMIT + 1
    )
    if theme:
        found = [m for m in found if theme in m.themes]
    posted = await uow.summaries.for_network(slug)
    summaries = tuple(
        (m, posted[m.number])
        for m in meetings
        if m.number in posted
        and posted[m.number].posted
        and (meeting is None or m.number == meeting)
    )
    return Library(
        access,
        words,
        meeting,
        theme,
        meetings,
        access.network.themes,
        tuple(found[:LIMIT]),
        summaries,
        len(found) > LIMIT,
    )
