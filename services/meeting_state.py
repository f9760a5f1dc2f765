"""A meeting with everything its cards show, read inside a unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import N_, InvalidInput, NotAllowed, NotFound
from domain.material import Material
from domain.model import (
    Meeting,
    MeetingStatus,
    Municipality,
    Network,
    Person,
    Phase,
    SeatStatus,
    meeting_key,
    rsvp_deadline,
)
from domain.numbers import small_number
from domain.rsvp import REFRESH_USERS_MAX, Rsvp, refresh_user_ids
from domain.sparring import Case, CaseStatus
from services.networks import Actor, Directory, identify
from services.ports import Clock, UnitOfWork

# The agenda card and the D-14 material pack list this much of a meeting's material.
MATERIAL_SHOWN = 15


@dataclass(frozen=True, slots=True)
class MeetingState:
    """A meeting with everything its cards show: network, members, answers, deadline."""

    network: Network
    meeting: Meeting
    municipalities: tuple[Municipality, ...]
    rsvps: tuple[Rsvp, ...]
    deadline: datetime
    closed: bool
    cases: tuple[Case, ...] = ()  # accepted problem statements, in the facilitator's order
    material: tuple[Material, ...] = ()  # recorded for the meeting, newest first
    # The Teams users whose copy of the agenda card refreshes by itself (refresh.userIds).
    refresh_ids: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()  # the network's phases, if it runs in phases
    join_url: str = ""  # the Teams meeting's join link, once its Outlook event exists

    @property
    def key(self) -> str:
        """The meeting's id in card data."""
        return meeting_key(self.network.slug, self.meeting.number)

    def answer_of(self, person_key: str | None) -> Rsvp | None:
        """A person's current answer, if any."""
        return next((r for r in self.rsvps if r.person == person_key), None)

    def towns(self) -> dict[str, str]:
        """Municipality names by key."""
        return {m.key: m.name for m in self.municipalities}

    def members(self) -> tuple[Municipality, ...]:
        """The municipalities holding a seat."""
        return tuple(m for m in self.municipalities if m.seat_status is SeatStatus.MEMBER)


def parse_meeting_key(key: object) -> tuple[str, int]:
    """'<network>:<number>' from card data, or a refusal; never trust a card payload."""
    if isinstance(key, str) and key.count(":") == 1:
        slug, _, text = key.partition(":")
        number = small_number(text, digits=6)
        if slug and number is not None and len(key) <= 100:
            return slug, number
    raise InvalidInput(N_("This card does not belong to a meeting I know."))


def unknown_meeting() -> NotFound:
    """The refusal for a well-formed meeting id of a meeting that does not exist."""
    return NotFound(N_("This card does not belong to a meeting I know."))


async def load_state(uow: UnitOfWork, clock: Clock, slug: str, number: int) -> MeetingState:
    """The meeting's state inside an open unit of work."""
    network = await uow.networks.get(slug)
    meeting = await uow.networks.meeting(slug, number) if network else None
    if network is None or meeting is None:
        raise unknown_meeting()
    deadline = rsvp_deadline(meeting, network)
    return MeetingState(
        network=network,
        meeting=meeting,
        municipalities=tuple(await uow.networks.municipalities(slug)),
        rsvps=tuple(await uow.rsvps.for_meeting(slug, number)),
        deadline=deadline,
        closed=clock.now() > deadline or meeting.status is not MeetingStatus.PLANNED,
        cases=tuple(
            c for c in await uow.cases.for_meeting(slug, number) if c.status is CaseStatus.ACCEPTED
        ),
        material=tuple(
            await uow.material.search(slug, meeting=number, words=(), limit=MATERIAL_SHOWN)
        ),
        refresh_ids=await load_refresh_ids(uow, slug, number),
        phases=tuple(await uow.networks.phases(slug)),
        join_url=await uow.meeting_events.join_url(slug, number),
    )


async def load_refresh_ids(uow: UnitOfWork, slug: str, number: int) -> tuple[str, ...]:
    """Who gets their own agenda card automatically: the organisers and the latest answerers."""
    return refresh_user_ids(
        await uow.people.organiser_teams_ids(slug),
        await uow.rsvps.recent_teams_ids(slug, number, REFRESH_USERS_MAX),
    )


async def meeting_state(uow: UnitOfWork, clock: Clock, key: object) -> MeetingState:
    """The state of the meeting a card names."""
    slug, number = parse_meeting_key(key)
    async with uow:
        return await load_state(uow, clock, slug, number)


@dataclass(frozen=True, slots=True)
class Reading:
    """A meeting's state as one reader of its network may see it."""

    state: MeetingState
    person: Person


async def read_meeting(
    uow: UnitOfWork, clock: Clock, key: object, actor: Actor, directory: Directory | None
) -> Reading:
    """The meeting a card names, for a reader who belongs to its network; others are refused.

    A card can be forwarded or its data forged: the card alone is no permission to read.
    """
    slug, number = parse_meeting_key(key)
    async with uow:
        state = await load_state(uow, clock, slug, number)
        person = await identify(uow, actor, directory)
        if person is None or not await uow.people.roles(person.key, slug):
            raise NotAllowed(
                N_("Only members of {network} can see its meetings."),
                network=state.network.name,
            )
        await uow.commit()  # the Teams ids the roster gave are kept
    return Reading(state, person)
