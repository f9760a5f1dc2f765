"""The SQL unit of work: one session, the repositories on it, rollback unless committed."""

from __future__ import annotations

import weakref
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
from services.question_ports import QuestionRepository
from services.sparring_ports import (
    AuditTrail,
    CaseRepository,
    EvaluationRepository,
    HostPlanRepository,
    SummaryRepository,
)
from storage.cadence import SqlCadence
from storage.engagement import SqlActivitySources
from storage.evaluations import SqlAuditTrail, SqlEvaluationRepository
from storage.final_evaluations import SqlFinalEvaluations
from storage.material import SqlMaterialRepository
from storage.meeting_events import SqlMeetingEvents
from storage.membership import SqlMembershipRepository
from storage.outbox import SqlOutbox
from storage.pairs import SqlPairRepository
from storage.questions import SqlQuestionRepository
from storage.repositories import (
    SqlActivityLog,
    SqlConversationRepository,
    SqlNetworkRepository,
    SqlPeopleRepository,
    SqlPreferences,
)
from storage.rsvps import MeetingQueues, SqlPostedCards, SqlRsvpRepository
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

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._queues = _meeting_queues(sessions)

    async def __aenter__(self) -> SqlUnitOfWork:
        session = self._sessions()
        self._session = session
        self.networks = SqlNetworkRepository(session)
        self.conversations = SqlConversationRepository(session)
        self.people = SqlPeopleRepository(session)
        self.activities = SqlActivityLog(session)
        self.preferences = SqlPreferences(session)
        self.rsvps = self._rsvps = SqlRsvpRepository(session, self._queues)
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
                self._rsvps.end()  # after the transaction: the row lock is gone too

    async def commit(self) -> None:
        """Make everything done in this unit durable."""
        assert self._session is not None
        await self._rsvps.flush()
        await self._session.commit()
        self._rsvps.forget()

    async def rollback(self) -> None:
        """Discard everything done in this unit since the last commit."""
        assert self._session is not None
        await self._session.rollback()
        self._rsvps.forget()


_QUEUES: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], MeetingQueues] = (
    weakref.WeakKeyDictionary()
)


def _meeting_queues(sessions: async_sessionmaker[AsyncSession]) -> MeetingQueues | None:
    """The process's meeting lines for this database, on PostgreSQL only.

    SQLite has one pooled connection per process, handed out first come, first served: the
    pool is the line already (a second line there made the tail twice as long, measured)."""
    bind = sessions.kw.get("bind")
    if bind is None or bind.dialect.name != "postgresql":
        return None
    queues = _QUEUES.get(sessions)
    if queues is None:
        queues = _QUEUES[sessions] = MeetingQueues()
    return queues
