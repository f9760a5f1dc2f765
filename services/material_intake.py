"""Material that arrives without a command: links in a message to the bot, files posted in the
channel (read through Graph), and the question which meeting an item is for when it is unclear.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime

from domain.errors import N_, InvalidInput, NotFound
from domain.material import (
    MAX_LINKS,
    MAX_THEMES,
    MAX_TITLE,
    Material,
    MaterialKind,
    links_in,
    meeting_folder,
    themes_in,
)
from domain.model import Meeting, MeetingStatus, Network, Person, channel_conversation_id
from domain.numbers import small_number
from domain.trips import leading_meeting
from services.graph_port import DriveFile, GraphFailure, GraphPort
from services.material import (
    ROOT_FOLDER,
    FilingFailed,
    MeetingLabel,
    _channel,
    choose_meeting,
    meeting_candidates,
    member,
)
from services.material_ports import ChannelFiles, ChannelPost
from services.networks import Actor, Directory
from services.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a message brought: new items, items already recorded, and whether to ask."""

    network: Network
    person: Person
    meeting: Meeting | None
    items: tuple[Material, ...] = ()
    known: tuple[Material, ...] = ()
    candidates: tuple[Meeting, ...] = ()  # two or more: ask which meeting the items are for
    too_long: int = 0  # links left out for their length


@dataclass(frozen=True, slots=True)
class Reassigned:
    """Items after the answer to 'which meeting?': where they are now, and which files moved."""

    network: Network
    items: tuple[Material, ...]
    meeting: Meeting
    moved: int  # files moved to the meeting's folder (files the bot filed itself)


async def record_links(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    message: str,
) -> Recorded:
    """Every http(s) link in a message to the bot, recorded once per meeting and address."""
    urls, rest, too_long = links_in(message)
    if not urls:
        raise InvalidInput(N_("I found no web address in that message."))
    async with uow:
        network, person = await member(uow, conversation_id, actor, directory)
        meetings = await uow.networks.meetings(network.slug)
        now = clock.now()
        number, caption = leading_meeting(rest, meetings, network.zone, now)
        # What is left around the links, without the punctuation that stood next to them.
        title = " ".join(caption.split()).strip(" .,;:!?-–()")[:MAX_TITLE]
        meeting = choose_meeting(meetings, network, now, number)
        new: list[Material] = []
        known: list[Material] = []
        for url in urls:
            earlier = await uow.material.link(
                network.slug, url, meeting.number if meeting else None
            )
            if earlier is not None:
                known.append(earlier)
                continue
            item = Material(
                title=title if title and len(urls) == 1 else url[:MAX_TITLE],
                kind=MaterialKind.LINK,
                url=url,
                shared_by=person.key,
                shared_by_name=person.name,
                shared_at=now,
                meeting_number=meeting.number if meeting else None,
                themes=themes_in(caption),
            )
            new.append(await uow.material.add(network.slug, item) or item)
        await uow.commit()
    ask = meeting_candidates(meetings, network, now, number) if new else ()
    return Recorded(network, person, meeting, tuple(new), tuple(known), ask, too_long)


async def record_channel_files(
    uow: UnitOfWork,
    clock: Clock,
    files: ChannelFiles,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    post: ChannelPost,
    caption: str,
) -> Recorded:
    """Files posted in the channel: read the message through Graph and record what it refers to.

    The files are in the channel's folder already (people put them there); nothing is uploaded.
    Graph names the team by its Microsoft 365 group id, which Teams' channel messages do not
    carry: without it in `post`, it is read from the stored conversation reference.
    """
    async with uow:
        network, person = await member(uow, conversation_id, actor, directory)
        meetings = await uow.networks.meetings(network.slug)
        group = post.team_id or await team_group_id(uow, conversation_id)
        await uow.commit()
    if not group:
        log.info("channel message %s: the team's group id is not known yet", post.message_id)
        raise FilingFailed(
            N_(
                "I could not read the files of that message yet: I do not know this team's "
                "Microsoft 365 group. Please post them again in a few minutes."
            )
        )
    post = dataclasses.replace(post, team_id=group)
    try:
        posted = await files.posted_files(post)
        items = [(p, await files.item_by_url(p.url)) for p in posted]
    except GraphFailure as exc:
        log.warning("reading channel message %s failed: %s", post.message_id, exc)
        raise FilingFailed(
            N_(
                "I could not read the files of that message: Microsoft Graph answered "
                "{status} {code}. Ask the facilitator to check the app's permissions."
            ),
            status=exc.status,
            code=exc.code,
        ) from exc
    now = clock.now()
    number, rest = leading_meeting(caption, meetings, network.zone, now)
    meeting = choose_meeting(meetings, network, now, number)
    new: list[Material] = []
    known: list[Material] = []
    async with uow:
        for posted_file, item in items:
            earlier = await uow.material.duplicate(network.slug, drive_item_id=item.item_id)
            if earlier is not None:
                known.append(earlier)
                continue
            # One caption names one file; several files keep their own names as titles.
            caption_title = rest if len(items) == 1 else ""
            material = _posted(posted_file.name, item, person, now, meeting, rest, caption_title)
            saved = await uow.material.add(network.slug, material)
            (new if saved is not None else known).append(saved or material)
        await uow.commit()
    ask = meeting_candidates(meetings, network, now, number) if new else ()
    return Recorded(network, person, meeting, tuple(new), tuple(known), ask)


async def team_group_id(uow: UnitOfWork, conversation_id: str) -> str | None:
    """The team's Microsoft 365 group id (aadGroupId) as stored for this channel, or for the
    team's General channel, whose conversation id is the team id."""
    ref = await uow.conversations.get(channel_conversation_id(conversation_id))
    if ref is not None and ref.team_aad_group_id:
        return ref.team_aad_group_id
    team = await uow.conversations.get(ref.team_id) if ref is not None and ref.team_id else None
    return team.team_aad_group_id if team is not None else None


def _posted(
    name: str,
    item: DriveFile,
    person: Person,
    now: datetime,
    meeting: Meeting | None,
    text: str,
    title: str,
) -> Material:
    file_name = item.name or name
    title = " ".join(title.split())[:MAX_TITLE] or file_name.rpartition(".")[0] or file_name
    return Material(
        title=title,
        kind=MaterialKind.FILE,
        url=item.web_url,
        shared_by=person.key,
        shared_by_name=person.name,
        shared_at=now,
        meeting_number=meeting.number if meeting else None,
        themes=themes_in(text),
        file_name=file_name,
        size=item.size or None,
        drive_id=item.drive_id,
        drive_item_id=item.item_id,
    )


async def reassign(
    uow: UnitOfWork,
    graph: GraphPort | None,
    files: ChannelFiles | None,
    label: MeetingLabel,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    material_ids: object,
    number: object,
    themes: object,
) -> Reassigned:
    """The answer to 'which meeting?': record the meeting and themes; move files the bot filed.

    A file the bot filed (it has the file's hash) moves into the chosen meeting's folder through
    Graph; a file people posted in the channel stays where they put it, only the record changes.
    Links only change their record.
    """
    ids = _numbers(material_ids)
    meeting_number = _number(number)
    async with uow:
        network, _ = await member(uow, conversation_id, actor, directory)
        found = [m for i in ids if (m := await uow.material.get(network.slug, i)) is not None]
        meetings = await uow.networks.meetings(network.slug)
        await uow.commit()
    target = next((m for m in meetings if m.number == meeting_number), None)
    if not found or len(found) != len(ids):
        raise NotFound(N_("That material is not recorded (any more)."))
    if target is None or target.status is MeetingStatus.CANCELLED:
        raise NotFound(
            N_("{network} has no meeting number {number}."), network=network.name, number=number
        )
    changed: list[Material] = []
    moved = 0
    for item in found:
        assert item.id is not None
        url = item.url
        filed_by_bot = item.kind is MaterialKind.FILE and item.sha256 and item.drive_item_id
        if filed_by_bot and target.number != item.meeting_number and graph and files:
            url = await _move(uow, graph, files, label, network, target, item)
            moved += 1
        chosen = _themes(themes, offered_themes(network, item))
        async with uow:
            now = await uow.material.reassign(
                network.slug, item.id, meeting=target.number, themes=chosen, url=url
            )
            await uow.commit()
        changed.append(now or item)
    return Reassigned(network, tuple(changed), target, moved)


async def _move(
    uow: UnitOfWork,
    graph: GraphPort,
    files: ChannelFiles,
    label: MeetingLabel,
    network: Network,
    target: Meeting,
    found: Material,
) -> str:
    async with uow:
        team_id, channel_id = await _channel(uow, network)
    try:
        folder = await graph.channel_folder(team_id, channel_id)
        for name in (ROOT_FOLDER, meeting_folder(target.day, label(network, target))):
            folder = await graph.ensure_folder(folder, name)
        item = DriveFile(
            found.drive_id or "", found.drive_item_id or "", found.file_name, found.url, 0
        )
        return (await files.move(item, folder)).web_url
    except GraphFailure as exc:
        log.warning("moving material %s failed: %s", found.id, exc)
        raise FilingFailed(
            N_(
                "I could not move {name}: Microsoft Graph answered {status} {code}. Nothing "
                "was changed; please try again later."
            ),
            name=found.file_name,
            status=exc.status,
            code=exc.code,
        ) from exc


def _numbers(value: object) -> list[int]:
    parts = value.split(",") if isinstance(value, str) else []
    return list(dict.fromkeys(n for p in parts[:MAX_LINKS] if (n := _number(p)) is not None))


def _number(value: object) -> int | None:
    return small_number(str(value) if isinstance(value, int) else value)


def offered_themes(network: Network, found: Material) -> tuple[str, ...]:
    """The themes the card offers, in order: the network's, then the item's own."""
    seen: dict[str, str] = {}
    for theme in (*network.themes, *found.themes):
        seen.setdefault(theme.casefold(), theme)
    return tuple(seen.values())


def _themes(chosen: object, offered: tuple[str, ...]) -> tuple[str, ...]:
    """The themes picked on the card (comma-separated indexes); anything else is ignored."""
    picked = str(chosen).split(",") if isinstance(chosen, str) else []
    numbers = (small_number(p, digits=3) for p in picked)
    indexes = dict.fromkeys(i for i in numbers if i is not None)
    return tuple(offered[i] for i in indexes if i < len(offered))[:MAX_THEMES]
