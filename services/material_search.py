"""`material [meeting] [words]`: a meeting's material, or a search across all of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import N_, NotFound
from domain.material import Material, search_words
from domain.model import Meeting, Network
from domain.trips import leading_meeting
from services.material import choose_meeting, member
from services.networks import Actor, Directory
from services.ports import Clock, UnitOfWork

LIST_LIMIT = 25


@dataclass(frozen=True, slots=True)
class Found:
    """The answer to `material`: the network, the meeting asked about, the words, the items."""

    network: Network
    meeting: Meeting | None
    words: tuple[str, ...]
    items: tuple[Material, ...]
    meetings: tuple[Meeting, ...] = ()  # every meeting of the network, to name the items'
    more: bool = False  # there is more than the list shows
    towns: dict[str, str] = field(default_factory=dict)  # municipality names by key


async def find_material(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    args: str,
) -> Found:
    """`material [meeting|trip] [words]`: a meeting's material, or everything matching the words."""
    async with uow:
        network, _ = await member(uow, conversation_id, actor, directory)
        meetings = await uow.networks.meetings(network.slug)
        number, rest = leading_meeting(args, meetings, network.zone, clock.now())
        words = search_words(rest)
        meeting = None
        if number is not None:
            meeting = next((m for m in meetings if m.number == number), None)
            if meeting is None:
                raise NotFound(
                    N_("{network} has no meeting number {number}."),
                    network=network.name,
                    number=number,
                )
        elif not words:
            meeting = choose_meeting(meetings, network, clock.now(), None)
        found = await uow.material.search(
            network.slug,
            meeting=meeting.number if meeting else None,
            words=words,
            limit=LIST_LIMIT + 1,
        )
        towns = {m.key: m.name for m in await uow.networks.municipalities(network.slug)}
        await uow.commit()
    shown = tuple(found[:LIST_LIMIT])
    return Found(network, meeting, words, shown, tuple(meetings), len(found) > LIST_LIMIT, towns)
