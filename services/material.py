"""Material use cases: file a file in the channel's folder, record a link, find material."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import N_, DomainError, NotAllowed, NotFound
from domain.material import (
    MAX_TITLE,
    FileRules,
    Material,
    MaterialKind,
    meeting_folder,
    parse_link,
    split_meeting_number,
    themes_in,
)
from domain.model import ConversationKind, Meeting, MeetingStatus, Network, Person, next_meeting
from domain.trips import leading_trip, the_trip
from services.graph_port import Content, DriveFile, GraphFailure, GraphPort, TooLarge
from services.networks import Actor, Directory, identify, network_for, no_linked_channel
from services.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)
ROOT_FOLDER = "netpuls"
# "Unclear" (ask with a quick card): the next meeting is further away than this...
ASK_BEYOND = timedelta(days=21)
# ...or a meeting ended this recently, so the item may well be about that one.
ASK_AFTER = timedelta(days=3)
MAX_CANDIDATES = 3

# The meeting's name in the network's language, e.g. 'Netværksmøde 2' (the edge translates).
MeetingLabel = Callable[[Network, Meeting], str]


class FilingFailed(DomainError):
    """Graph refused or failed for good; the file was not filed."""


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A file a person sent the bot: its name, Teams' file type, the download URL, a caption."""

    name: str
    download_url: str
    file_type: str = ""
    caption: str = ""


@dataclass(frozen=True, slots=True)
class FilingPlan:
    """Where a file goes and under whose name, decided before anything is downloaded."""

    network: Network
    meeting: Meeting | None
    person: Person
    file_name: str
    title: str
    themes: tuple[str, ...]
    folders: tuple[str, ...]  # below the channel's folder: ('netpuls', '2024-05-30 …')
    team_id: str
    channel_id: str
    candidates: tuple[Meeting, ...] = ()  # when the meeting is unclear: the ones to offer


@dataclass(frozen=True, slots=True)
class Filed:
    """The recorded material, its network and meeting, and whether it was there before."""

    material: Material
    network: Network
    meeting: Meeting | None = None
    duplicate: bool = False


def choose_meeting(
    meetings: list[Meeting], network: Network, now: datetime, number: int | None
) -> Meeting | None:
    """The meeting a number names; else the next one; else the latest one."""
    live = [m for m in meetings if m.status is not MeetingStatus.CANCELLED]
    named = next((m for m in live if m.number == number), None)
    if named is not None:
        return named
    coming = next_meeting(live, network.zone, now)
    return coming or max(live, key=lambda m: m.starts_at(network.zone), default=None)


def meeting_candidates(
    meetings: list[Meeting], network: Network, now: datetime, number: int | None
) -> tuple[Meeting, ...]:
    """The meetings to offer when nothing names one and the default is not obviously meant.

    Unclear means: no meeting number was written, and either the next meeting is more than
    three weeks away or the last one ended less than three days ago. The offer is the meeting
    that just ended, the next one and the one after it, in date order; () when clear.
    """
    if number is not None:
        return ()
    zone = network.zone
    live = sorted(
        (m for m in meetings if m.status is not MeetingStatus.CANCELLED),
        key=lambda m: m.starts_at(zone),
    )
    coming = next_meeting(live, zone, now)
    ended = [m for m in live if m.ends_at(zone) <= now]
    last = ended[-1] if ended else None
    recent = last is not None and now - last.ends_at(zone) <= ASK_AFTER
    far = coming is None or coming.starts_at(zone) - now > ASK_BEYOND
    if not (recent or far):
        return ()
    after = [m for m in live if m.ends_at(zone) > now][:2]
    offer = ([last] if last is not None else []) + after
    return tuple(offer[:MAX_CANDIDATES]) if len(offer) > 1 else ()


async def member(
    uow: UnitOfWork, conversation_id: str, actor: Actor, directory: Directory | None
) -> tuple[Network, Person]:
    """The network this conversation speaks for and the sender, who must belong to it."""
    person = await identify(uow, actor, directory)
    network = await network_for(uow, conversation_id, person, actor)
    roles = await uow.people.roles(person.key, network.slug) if person else frozenset()
    if person is None or not roles:
        raise NotAllowed(
            N_("Only members of {network} can share and see its material."), network=network.name
        )
    return network, person


async def _channel(uow: UnitOfWork, network: Network) -> tuple[str, str]:
    """The Graph ids (team group id, channel id) of the network's linked channel."""
    for ref in await uow.conversations.linked_to(network.slug):
        usable = ref.kind is ConversationKind.CHANNEL and ref.installed
        if usable and ref.team_aad_group_id and ref.teams_channel_id:
            return ref.team_aad_group_id, ref.teams_channel_id
    raise no_linked_channel(network)


async def plan_filing(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    incoming: IncomingFile,
    rules: FileRules,
    label: MeetingLabel,
) -> FilingPlan:
    """Check the file's type, the sender and the channel, and pick the meeting and folder."""
    file_name = rules.safe_name(incoming.name, incoming.file_type)
    number, caption = split_meeting_number(incoming.caption)
    async with uow:
        network, person = await member(uow, conversation_id, actor, directory)
        meetings = await uow.networks.meetings(network.slug)
        meeting = choose_meeting(meetings, network, clock.now(), number)
        candidates = meeting_candidates(meetings, network, clock.now(), number)
        team_id, channel_id = await _channel(uow, network)
        await uow.commit()
    folders: tuple[str, ...] = (ROOT_FOLDER,)
    if meeting is not None:
        folders += (meeting_folder(meeting.day, label(network, meeting)),)
    title = " ".join(caption.split())[:MAX_TITLE] or file_name.rpartition(".")[0] or file_name
    return FilingPlan(
        network=network,
        meeting=meeting,
        person=person,
        file_name=file_name,
        title=title,
        themes=themes_in(caption),
        folders=folders,
        team_id=team_id,
        channel_id=channel_id,
        candidates=candidates,
    )


async def file_material(
    uow: UnitOfWork,
    clock: Clock,
    graph: GraphPort,
    rules: FileRules,
    plan: FilingPlan,
    download_url: str,
) -> Filed:
    """Download (size-capped), upload into the meeting's folder and record it, once per file."""
    try:
        content = await graph.download(download_url, rules.max_bytes)
    except TooLarge:
        raise rules.too_large(plan.file_name) from None
    except GraphFailure as exc:
        raise _failed(plan, exc) from exc
    if _a_web_page(content, plan.file_name):
        content.close()
        log.info("download of %s for %s was a web page", plan.file_name, plan.network.slug)
        raise FilingFailed(
            N_(
                "{name} reached me as a web page, not as the file itself (the Teams app on "
                "iPhone and iPad sometimes sends a sharing link). Nothing was filed: please send "
                "it from Teams on a computer or in a browser, or post it in the channel."
            ),
            name=plan.file_name,
        )
    slug = plan.network.slug
    try:
        async with uow:
            earlier = await uow.material.duplicate(slug, sha256=content.sha256)
        if earlier is not None:
            meeting = await _meeting_of(uow, slug, earlier)
            return Filed(earlier, plan.network, meeting, duplicate=True)
        stored = await _store(graph, plan, content)
        material = _file_material(plan, stored, content, clock.now())
    finally:
        content.close()
    async with uow:
        saved = await uow.material.add(slug, material)
        duplicate = saved is None
        if saved is None:  # a concurrent turn filed the same bytes a moment ago
            saved = await uow.material.duplicate(
                slug, sha256=material.sha256, drive_item_id=material.drive_item_id
            )
            log.warning("filed twice at once, extra copy left at %s", stored.web_url)
        await uow.commit()
    recorded = saved or material
    meeting = await _meeting_of(uow, slug, recorded) if duplicate else plan.meeting
    return Filed(recorded, plan.network, meeting, duplicate=duplicate)


def _a_web_page(content: Content, file_name: str) -> bool:
    """A download that answered with an HTML page for a file that is no HTML file: a sharing
    page (Teams for iOS may hand one over as downloadUrl), not the file's bytes."""
    html = content.media_type in ("text/html", "application/xhtml+xml")
    return html and not file_name.lower().endswith((".html", ".htm"))


async def _meeting_of(uow: UnitOfWork, slug: str, recorded: Material) -> Meeting | None:
    """The meeting recorded material belongs to (it may be another than the one asked for)."""
    if recorded.meeting_number is None:
        return None
    async with uow:
        meetings = await uow.networks.meetings(slug)
    return next((m for m in meetings if m.number == recorded.meeting_number), None)


async def _store(graph: GraphPort, plan: FilingPlan, content: Content) -> DriveFile:
    try:
        folder = await graph.channel_folder(plan.team_id, plan.channel_id)
        for name in plan.folders:
            folder = await graph.ensure_folder(folder, name)
        return await graph.upload(folder, plan.file_name, content)
    except GraphFailure as exc:
        raise _failed(plan, exc) from exc


def _file_material(
    plan: FilingPlan, stored: DriveFile, content: Content, now: datetime
) -> Material:
    return Material(
        title=plan.title,
        kind=MaterialKind.FILE,
        url=stored.web_url,
        shared_by=plan.person.key,
        shared_by_name=plan.person.name,
        shared_at=now,
        meeting_number=plan.meeting.number if plan.meeting else None,
        themes=plan.themes,
        file_name=stored.name,
        size=content.size,
        sha256=content.sha256,
        drive_id=stored.drive_id,
        drive_item_id=stored.item_id,
    )


def _failed(plan: FilingPlan, exc: GraphFailure) -> FilingFailed:
    log.warning("filing %s for %s failed: %s", plan.file_name, plan.network.slug, exc)
    return FilingFailed(
        N_(
            "I could not file {name}: Microsoft Graph answered {status} {code}. Please try "
            "again later; if it keeps failing, tell the facilitator."
        ),
        name=plan.file_name,
        status=exc.status,
        code=exc.code,
    )


async def share_link(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    args: str,
) -> Filed:
    """`share [trip] <url> [#meeting] [title]`: record a link as material, once per meeting
    (the study trip's, if its word is written first)."""
    trip_first, args = leading_trip(args)
    url, rest = parse_link(args)
    number, title = split_meeting_number(rest)
    async with uow:
        network, person = await member(uow, conversation_id, actor, directory)
        meetings = await uow.networks.meetings(network.slug)
        if trip_first:
            trip = the_trip(meetings, network.zone, clock.now())
            if trip is None:
                raise NotFound(N_("{network} has no study trip."), network=network.name)
            number = trip.number
        meeting = choose_meeting(meetings, network, clock.now(), number)
        # Once per meeting and address: the same link may serve two meetings.
        earlier = await uow.material.link(network.slug, url, meeting.number if meeting else None)
        if earlier is not None:
            await uow.commit()
            return Filed(earlier, network, meeting, duplicate=True)
        material = Material(
            title=title or url,
            kind=MaterialKind.LINK,
            url=url,
            shared_by=person.key,
            shared_by_name=person.name,
            shared_at=clock.now(),
            meeting_number=meeting.number if meeting else None,
            themes=themes_in(title),
        )
        saved = await uow.material.add(network.slug, material)
        await uow.commit()
    return Filed(saved or material, network, meeting)
