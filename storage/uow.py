"""The SQL unit of work: one session, the repositories on it, rollback unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.calendar_ports import MeetingEventRepository
from services.engagement_ports import ActivitySources
from services.final_evaluation_ports import FinalEvaluationRepository
from services.material_ports import MaterialRepository
from services.membership_ports import MembershipRepository
from services.pairs_ports import PairRepository
from services.ports import (
    ActivityLog,
    CadenceRepository,
    ConversationRepository,
    NetworkRepository,
    Outbox,
    PeopleRepository,
    PostedCards,
    Preferences,
    RsvpRepository,
)
from services.privacy_ports import PrivacyStore, RetentionStore
from services.question_ports import QuestionRepository
from services.send_budget import SendSlots
from services.sparring_ports import (
    AuditTrail,
    CaseRepository,
    EvaluationRepository,
    HostPlanRepository,
    SummaryRepository,
)
from storage.cadence import SqlCadence
from storage.conversations import SqlActivityLog, SqlConversationRepository
from storage.engagement import SqlActivitySources
from storage.evaluations import SqlAuditTrail, SqlEvaluationRepository
from storage.final_evaluations import SqlFinalEvaluations
from storage.material import SqlMaterialRepository
from storage.meeting_events import SqlMeetingEvents
from storage.membership import SqlMembershipRepository
from storage.networks import SqlNetworkRepository
from storage.outbox import SqlOutbox
from storage.pairs import SqlPairRepository
from storage.people import SqlPeopleRepository, SqlPreferences
from storage.privacy import SqlPrivacy
from storage.questions import SqlQuestionRepository
from storage.retention import SqlRetention
from storage.rsvps import SqlPostedCards, SqlRsvpRepository
from storage.send_slots import SqlSendSlots
from storage.sparring import SqlCaseRepository, SqlHostPlanRepository, SqlSummaryRepository


class SqlUnitOfWork:
    """Async context manager; `commit()` makes the work durable, leaving rolls it back."""

    networks: NetworkRepository
    conversations: ConversationRepository
    people: PeopleRepository
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
    privacy: PrivacyStore
    retention: RetentionStore

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        session = self._sessions()
        self._session = session
        self.networks = SqlNetworkRepository(session)
        self.conversations = SqlConversationRepository(session)
        self.people = SqlPeopleRepository(session)
        self.activities = SqlActivityLog(session)
        self.preferences = SqlPreferences(session)
        self.rsvps = SqlRsvpRepository(session)
        self.posted = SqlPostedCards(session)
        self.cadence = SqlCadence(session)
        self.outbox = SqlOutbox(session)
        self.cases = SqlCaseRepository(session)
        self.host_plans = SqlHostPlanRepository(session)
        self.summaries = SqlSummaryRepository(session)
        self.evaluations = SqlEvaluationRepository(session)
        self.final_evaluations = SqlFinalEvaluations(session)
        self.audit = SqlAuditTrail(session)
        self.membership = SqlMembershipRepository(session)
        self.material = SqlMaterialRepository(session)
        self.meeting_events = SqlMeetingEvents(session)
        self.pairs = SqlPairRepository(session)
        self.questions = SqlQuestionRepository(session)
        self.engagement = SqlActivitySources(session)
        self.send_slots = SqlSendSlots(session)
        self.privacy = SqlPrivacy(session)
        self.retention = SqlRetention(session, SqlPrivacy(session))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()
        finally:
            try:
                await self._session.close()
            finally:
                self._session = None

    async def commit(self) -> None:
        """Make everything done in this unit durable."""
        assert self._session is not None
        await self._session.commit()

    async def rollback(self) -> None:
        """Discard everything done in this unit since the last commit."""
        assert self._session is not None
        await self._session.rollback()
