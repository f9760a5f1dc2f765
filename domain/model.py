"""Entities of a network: values that storage loads and services reason about."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from domain.workdays import working_day_before

LANGUAGES = ("da", "sv", "en")


def normalise_language(tag: str | None) -> str | None:
    """Map a Teams locale such as 'da-DK', 'sv-se' or 'en-US' onto da, sv or en."""
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


class RoleKind(enum.StrEnum):
    """What a person may do in a network."""

    FACILITATOR = "facilitator"
    SECRETARIAT = "secretariat"
    HOST_CONTACT = "host_contact"
    PARTICIPANT = "participant"


# Those who run a network: they post agendas, see attendee lists, review cases, build reports.
ORGANISERS = frozenset({RoleKind.FACILITATOR, RoleKind.SECRETARIAT})


class SeatStatus(enum.StrEnum):
    """Where a municipality's seat stands."""

    APPLICANT = "applicant"
    MEMBER = "member"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class MeetingKind(enum.StrEnum):
    """A regular network meeting or the optional study trip."""

    MEETING = "meeting"
    STUDY_TRIP = "study_trip"


class MeetingStatus(enum.StrEnum):
    """The life of a meeting."""

    PLANNED = "planned"
    CANCELLED = "cancelled"
    HELD = "held"


class ProgrammeKind(enum.StrEnum):
    """What a programme item is."""

    TALK = "talk"
    DISCUSSION = "discussion"
    SPARRING = "sparring"
    FIELD_VISIT = "field_visit"
    BREAK = "break"
    OTHER = "other"


class ConversationKind(enum.StrEnum):
    """Where a stored conversation reference points."""

    CHANNEL = "channel"
    PERSONAL = "personal"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class Cadence:
    """When the network's recurring steps run, as offsets in days from a meeting."""

    step_time: time = time(9, 0)
    rsvp_deadline_days: int = 2
    offsets: tuple[tuple[str, int], ...] = (
        ("host_prompt", -42),
        ("call_for_cases", -28),
        ("agenda", -21),
        ("material_pack", -14),
        ("rsvp_reminder", -7),
        ("rsvp_close", -2),
        ("practical_info", -1),
        ("follow_up", 1),
    )
    disabled: frozenset[str] = frozenset()
    pulse_every_weeks: int = 4
    final_evaluation: date | None = None  # else a week after the last meeting
    working_days_only: bool = True  # steps on a weekend or holiday move to a working day
    country: str | None = None  # whose public holidays count (ISO 3166-1 alpha-2)
    # That country's days off over the network's life (services/workdays.py fills them in).
    days_off: frozenset[date] = field(default=frozenset(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Fee:
    """A yearly participation fee per municipality."""

    year: int
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class Network:
    """A professional network of municipalities with its own calendar and language."""

    slug: str
    name: str
    language: str
    timezone: str
    starts_on: date
    ends_on: date
    seat_limit: int
    themes: tuple[str, ...] = ()
    description: str = ""
    registration_deadline: date | None = None
    call_opens: date | None = None  # the network file's call opens by itself on this day
    evaluation: str = ""
    cadence: Cadence = field(default_factory=Cadence)
    fees: tuple[Fee, ...] = ()
    tenants: tuple[str, ...] = ()  # tenants allowed besides those of its linked channels
    # What the application form asks for besides the basics: 'area_idea', 'working_group'.
    application_requires: tuple[str, ...] = ()
    id: int | None = None

    @property
    def zone(self) -> ZoneInfo:
        """The network's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Municipality:
    """A member (or applicant) municipality; the seat belongs to its planning department."""

    key: str
    name: str
    region: str
    seat_status: SeatStatus = SeatStatus.MEMBER


@dataclass(frozen=True, slots=True)
class Person:
    """Someone using a seat or running the network. Teams ids are filled in when seen."""

    key: str
    name: str
    email: str
    municipality: str | None = None
    locale: str | None = None
    teams_user_id: str | None = None
    aad_object_id: str | None = None
    roles: frozenset[RoleKind] = frozenset()
    tenant_id: str | None = None  # bound at the first identification; ids never leave it


@dataclass(frozen=True, slots=True)
class ProgrammeItem:
    """One slot in a meeting's programme."""

    position: int
    title: str
    kind: ProgrammeKind = ProgrammeKind.OTHER
    starts: time | None = None
    ends: time | None = None
    speaker: str = ""


@dataclass(frozen=True, slots=True)
class Meeting:
    """A network meeting or study trip, on a local date and time in the network's zone."""

    number: int
    kind: MeetingKind
    day: date
    starts: time
    ends: time
    region: str
    place: str = ""
    host: str | None = None
    title: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    field_visit: str = ""
    end_day: date | None = None
    programme: tuple[ProgrammeItem, ...] = ()
    capacity: int | None = None
    seats_per_municipality: int = 1
    skip_steps: frozenset[str] = frozenset()
    online: bool = False  # people may attend online (the Teams meeting), apart from the seats

    def starts_at(self, zone: ZoneInfo) -> datetime:
        """The meeting's start as an aware datetime."""
        return datetime.combine(self.day, self.starts, zone)

    def ends_at(self, zone: ZoneInfo) -> datetime:
        """The meeting's end as an aware datetime."""
        return datetime.combine(self.end_day or self.day, self.ends, zone)


@dataclass(frozen=True, slots=True)
class Phase:
    """A phase of a network that runs in phases (the SKL case)."""

    number: int
    title: str
    starts_on: date
    ends_on: date
    description: str = ""


@dataclass(frozen=True, slots=True)
class ConversationRef:
    """Everything needed to post proactively into a conversation, Teams ids included."""

    conversation_id: str
    kind: ConversationKind
    service_url: str
    channel_id: str
    tenant_id: str | None = None
    bot_id: str | None = None
    bot_name: str | None = None
    team_id: str | None = None
    team_aad_group_id: str | None = None
    teams_channel_id: str | None = None
    user_id: str | None = None
    user_aad_object_id: str | None = None
    network_slug: str | None = None
    installed: bool = True


@dataclass(frozen=True, slots=True)
class NetworkFile:
    """A whole network as declared in a network file: what an import writes."""

    network: Network
    municipalities: tuple[Municipality, ...]
    people: tuple[Person, ...]
    meetings: tuple[Meeting, ...]
    phases: tuple[Phase, ...] = ()
    warnings: tuple[str, ...] = ()  # "file:line: field: why", for the importer to print


def next_meeting(
    meetings: tuple[Meeting, ...] | list[Meeting], zone: ZoneInfo, now: datetime
) -> Meeting | None:
    """The first meeting not cancelled that has not ended at `now`."""
    upcoming = [
        m for m in meetings if m.status is not MeetingStatus.CANCELLED and m.ends_at(zone) > now
    ]
    return min(upcoming, key=lambda m: m.starts_at(zone), default=None)


def local_day(at: datetime, zone: tzinfo) -> date:
    """The day an instant falls on in the network's time zone: every date shown is this day
    (never the server's or UTC's day, which differ for an hour or two around midnight)."""
    if at.tzinfo is None:
        raise ValueError("a naive datetime has no day in any zone")
    return at.astimezone(zone).date()


def rsvp_deadline(meeting: Meeting, network: Network) -> datetime:
    """RSVPs close at 23:59 local time, N days (the network's setting) before the meeting."""
    day = meeting.day - timedelta(days=network.cadence.rsvp_deadline_days)
    if network.cadence.working_days_only:
        day = working_day_before(day, network.cadence.days_off)
    return datetime.combine(day, time(23, 59), network.zone)


def meeting_key(network_slug: str, number: int) -> str:
    """The id of a meeting in card data and commands: '<network>:<number>'."""
    return f"{network_slug}:{number}"


CHAT_TO_OPEN = "netpuls:chat-to-open:"


def chat_to_open(person_key: str, via: ConversationRef) -> ConversationRef:
    """A personal chat with a person that the bot has yet to open: Teams ids of the network's
    channel (tenant, service URL, bot), through which the chat is created when a message to
    the person is delivered. Its conversation id names the person, never a real conversation."""
    return ConversationRef(
        conversation_id=f"{CHAT_TO_OPEN}{person_key}",
        kind=ConversationKind.PERSONAL,
        service_url=via.service_url,
        channel_id=via.channel_id,
        tenant_id=via.tenant_id,
        bot_id=via.bot_id,
        bot_name=via.bot_name,
        team_id=via.team_id,
        network_slug=via.network_slug,
    )


def person_to_reach(conversation_id: str) -> str | None:
    """The person's key when the conversation id is a chat still to open, else None."""
    if conversation_id.startswith(CHAT_TO_OPEN):
        return conversation_id.removeprefix(CHAT_TO_OPEN) or None
    return None


def channel_conversation_id(conversation_id: str) -> str:
    """A channel's own conversation id, without the ';messageid=' of a thread."""
    return conversation_id.split(";messageid=", 1)[0]
