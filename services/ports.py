"""Ports: what the services need from the outside world, as Protocols."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from domain.cadence import PlannedStep
from domain.model import (
    ConversationRef,
    Meeting,
    Municipality,
    Network,
    NetworkFile,
    Person,
    Phase,
    RoleKind,
)
from domain.rsvp import Rsvp
from services.calendar_ports import MeetingEventRepository
from services.engagement_ports import ActivitySources
from services.final_evaluation_ports import FinalEvaluationRepository
from services.material_ports import MaterialRepository
from services.membership_ports import MembershipRepository
from services.pairs_ports import PairRepository
from services.question_ports import QuestionRepository
from services.send_budget import SendSlots
from services.sparring_ports import (
    AuditTrail,
    CaseRepository,
    EvaluationRepository,
    HostPlanRepository,
    SummaryRepository,
)


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What an import created, updated and withdrew."""

    created: int = 0
    updated: int = 0
    cancelled_meetings: int = 0


class NetworkRepository(Protocol):
    """Networks and what belongs to them."""

    async def get(self, slug: str) -> Network | None: ...
    async def all(self) -> list[Network]: ...
    async def meetings(self, slug: str) -> list[Meeting]: ...
    async def meeting(self, slug: str, number: int) -> Meeting | None: ...
    async def municipalities(self, slug: str) -> list[Municipality]: ...
    async def phases(self, slug: str) -> list[Phase]: ...
    async def people(self, slug: str) -> list[Person]: ...
    async def save_file(self, declared: NetworkFile) -> ImportCounts: ...


class PeopleRepository(Protocol):
    """People, their Teams identities and roles."""

    async def find(
        self,
        *,
        aad_object_id: str | None = None,
        teams_user_id: str | None = None,
        email: str | None = None,
    ) -> Person | None: ...
    async def roles(self, person_key: str, network_slug: str) -> frozenset[RoleKind]: ...
    async def networks_of(self, person_key: str) -> list[str]: ...
    async def remember_teams_ids(
        self,
        person_key: str,
        *,
        teams_user_id: str | None,
        aad_object_id: str | None,
        tenant_id: str | None = None,
    ) -> None: ...
    async def organiser_teams_ids(self, network_slug: str) -> list[str]:
        """The Teams user ids (MRIs) of the network's facilitators and secretariat that are
        known, in a stable order."""
        ...


class ConversationRepository(Protocol):
    """Stored conversation references."""

    async def save(self, ref: ConversationRef) -> None: ...
    async def get(self, conversation_id: str) -> ConversationRef | None: ...
    async def link(self, conversation_id: str, network_slug: str) -> bool: ...
    async def linked_to(self, network_slug: str) -> list[ConversationRef]: ...
    async def mark_uninstalled(self, conversation_id: str) -> None: ...
    async def mark_team_uninstalled(self, team_id: str) -> None: ...
    async def complete_team(self, team_id: str, aad_group_id: str) -> None: ...
    async def personal_for(self, teams_user_id: str) -> ConversationRef | None: ...


class ActivityLog(Protocol):
    """Inbound activities already handled."""

    async def claim(self, conversation_id: str, activity_id: str) -> bool: ...
    async def release(self, conversation_id: str, activity_id: str) -> None: ...


class Preferences(Protocol):
    """Per-user settings."""

    async def language(self, teams_user_id: str) -> str | None: ...
    async def set_language(self, teams_user_id: str, language: str) -> None: ...


class RsvpRepository(Protocol):
    """Answers to meetings."""

    async def lock(self, slug: str, number: int) -> bool:
        """Lock the meeting for this unit of work, first; False if there is no such meeting."""
        ...

    async def for_meeting(self, slug: str, number: int) -> list[Rsvp]: ...
    async def save(
        self, slug: str, number: int, rsvp: Rsvp, *, changed_by: str, at: datetime
    ) -> None: ...
    async def history(
        self, slug: str, number: int, person: str
    ) -> list[tuple[str | None, str]]: ...
    async def recent_teams_ids(self, slug: str, number: int, limit: int) -> list[str]:
        """The Teams user ids (MRIs) of the people whose answer changed last, newest first;
        people with no known Teams id are left out."""
        ...


class PostedCards(Protocol):
    """Where the bot posted the cards it keeps up to date."""

    async def get(self, kind: str, slug: str, number: int, conversation_id: str) -> str | None: ...
    async def remember(
        self, kind: str, slug: str, number: int, conversation_id: str, activity_id: str
    ) -> None: ...
    async def where(self, kind: str, slug: str, number: int) -> list[tuple[str, str]]: ...


@dataclass(frozen=True, slots=True)
class StepRecord:
    """A stored cadence step."""

    key: str
    network: str
    kind: str
    meeting: int | None
    theme: str
    due: datetime
    status: str
    reason: str


class CadenceRepository(Protocol):
    """Planned cadence steps."""

    async def sync(self, slug: str, planned: list[PlannedStep]) -> int: ...
    async def due(self, now: datetime, limit: int = 100) -> list[StepRecord]: ...
    async def upcoming(self, slug: str, start: datetime, end: datetime) -> list[StepRecord]: ...
    async def claim(self, key: str, worker: str) -> bool: ...
    async def finish(self, key: str, status: str, reason: str, at: datetime) -> None: ...
    async def unreported(self) -> list[str]: ...
    async def take_unreported(self, slug: str, now: datetime) -> list[StepRecord]: ...
    async def set_paused(self, slug: str, paused: bool) -> int: ...
    async def move(self, key: str, when: datetime) -> bool: ...


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """A message to put in the outbox: its key makes it exactly-once."""

    key: str
    ref: ConversationRef
    message: Outbound
    step_key: str | None = None
    network: str | None = None
    remember: dict[str, Any] | None = None  # e.g. {"posted": "agenda", "meeting": 3}


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """A delivery as the outbox holds it."""

    id: int
    key: str
    conversation_id: str
    message: Outbound
    status: str
    attempts: int
    last_error: str
    remember: dict[str, Any] | None = None
    activity_id: str | None = None
    network: str | None = None  # the network's slug, where the delivery belongs to one


class Outbox(Protocol):
    """Deliveries, claimed with a lease so each is attempted by one worker at a time."""

    async def enqueue(self, items: list[NewDelivery], now: datetime) -> int: ...
    async def claim_due(
        self, now: datetime, lease_seconds: float, limit: int
    ) -> list[DeliveryRecord]: ...
    async def mark_sending(self, delivery_id: int, now: datetime) -> bool: ...
    async def mark_sent(self, delivery_id: int, activity_id: str, now: datetime) -> None: ...
    async def mark_retry(
        self, delivery_id: int, when: datetime, error: str, *, counted: bool = True
    ) -> None: ...
    async def mark_failed(self, delivery_id: int, status: str, error: str) -> None: ...
    async def readdress(self, delivery_id: int, conversation_id: str) -> None: ...
    async def wait(self, delivery_id: int, error: str) -> None: ...
    async def release_waiting(self, person_key: str, conversation_id: str) -> int: ...
    async def recover(self, now: datetime) -> int: ...
    async def listing(
        self, network: str | None, statuses: tuple[str, ...]
    ) -> list[DeliveryRecord]: ...
    async def requeue(self, delivery_id: int, now: datetime) -> bool: ...


class UnitOfWork(Protocol):
    """One transaction over the repositories; rolls back unless committed."""

    networks: NetworkRepository
    people: PeopleRepository
    conversations: ConversationRepository
    activities: ActivityLog
    preferences: Preferences
    rsvps: RsvpRepository
    posted: PostedCards
    cadence: CadenceRepository
    outbox: Outbox
    cases: CaseRepository
    host_plans: HostPlanRepository
    summaries: SummaryRepository
    evaluations: EvaluationRepository
    final_evaluations: FinalEvaluationRepository
    audit: AuditTrail
    membership: MembershipRepository
    material: MaterialRepository
    meeting_events: MeetingEventRepository
    pairs: PairRepository
    questions: QuestionRepository
    engagement: ActivitySources
    send_slots: SendSlots

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per use case."""

    def __call__(self) -> UnitOfWork: ...


@dataclass(frozen=True, slots=True)
class Mention:
    """An @mention in an outbound text: `<at>{name}</at>` in the text, the person's Teams id."""

    teams_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Outbound:
    """A message to post: text, an Adaptive Card, or both; mentions notify those named."""

    text: str = ""
    card: dict[str, Any] | None = None
    mentions: tuple[Mention, ...] = ()


class Notifier(Protocol):
    """Posts into conversations on the bot's own initiative (proactively)."""

    async def send(self, ref: ConversationRef, message: Outbound) -> str: ...
    async def update(self, ref: ConversationRef, activity_id: str, message: Outbound) -> None: ...


class DeliveryStatus(enum.StrEnum):
    """How one delivery attempt ended."""

    SENT = "sent"  # the Connector accepted it
    RETRY = "retry"  # 429, 412, 5xx, timeout: try again after `retry_after`
    BLOCKED = "blocked"  # 403 MessageWritesBlocked, 404: the conversation is gone for us
    FAILED = "failed"  # any other refusal: retrying will not help


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """The outcome of one attempt to deliver one outbound message."""

    status: DeliveryStatus
    activity_id: str = ""
    retry_after: float | None = None  # seconds; None = the sender has no opinion
    error: str = ""
    attempted: bool = True  # False: deferred by the rate limit, nothing reached Teams


Handover = Callable[[], Awaitable[bool]]
"""What a Sender calls right before the request leaves for the Connector (after any wait for
a rate-limit slot): the outbox records the delivery as `sending` there, so a crash before it
leaves the delivery to be retried, and a crash after it holds it as `unconfirmed`. False: the
delivery is no longer this worker's (its lease ran out); the Sender then sends nothing."""


class Sender(Protocol):
    """Delivers one message, within Teams' rate limits; one attempt per call, never raises.

    When `handover` is given, the Sender awaits it once, immediately before the request that
    may post the message, and sends nothing if it returns False (the result is then a RETRY
    with attempted=False, which the worker does not record)."""

    async def deliver(
        self,
        ref: ConversationRef,
        message: Outbound,
        *,
        attempt: int = 1,
        handover: Handover | None = None,
    ) -> DeliveryResult: ...


class Clock(Protocol):
    """The current time; injected so tests never sleep."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """Now, aware, in UTC."""
        return datetime.now(UTC)
