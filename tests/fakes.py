"""In-memory fakes of the service ports (cosmic-python style): no database, no mocks."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from types import TracebackType
from typing import Self

from domain.model import (
    ORGANISERS,
    ConversationRef,
    Meeting,
    MeetingStatus,
    Municipality,
    Network,
    NetworkFile,
    Person,
    Phase,
    RoleKind,
)
from domain.rsvp import Rsvp
from services.ports import (
    DeliveryResult,
    DeliveryStatus,
    Handover,
    ImportCounts,
    NewDelivery,
    Outbound,
)
from services.send_budget import Reservation
from storage.conversations import KEPT_WHEN_MISSING
from tests.fakes_engagement import attach_engagement_fakes
from tests.fakes_material import attach_material_fakes
from tests.fakes_membership import attach_membership_fakes
from tests.fakes_pairs import attach_pairs_fakes
from tests.fakes_sparring import attach_sparring_fakes


class FakeStore:
    """The state the fake repositories share across units of work."""

    def __init__(self) -> None:
        self.files: dict[str, NetworkFile] = {}
        self.people: dict[str, Person] = {}
        self.conversations: dict[str, ConversationRef] = {}
        self.claims: set[tuple[str, str]] = set()
        self.languages: dict[str, str] = {}
        self.rsvps: dict[tuple[str, int], dict[str, Rsvp]] = {}
        self.changes: list[tuple[str, int, str, str | None, str]] = []
        self.posted: dict[tuple[str, str, int, str], str] = {}
        self.send_slots: dict[str, float] = {}  # tenant: its next free send time
        self.join_urls: dict[tuple[str, int], str] = {}  # (network, meeting): Teams join link
        self.outbox: dict[str, NewDelivery] = {}  # by key: what waits for the outbox worker
        self.waiting: dict[str, str] = {}  # delivery key: person key (waiting for their chat)
        self.commits = 0


class FakeNetworks:
    def __init__(self, store: FakeStore) -> None:
        self._s = store

    async def get(self, slug: str) -> Network | None:
        f = self._s.files.get(slug)
        return f.network if f else None

    async def all(self) -> list[Network]:
        return sorted((f.network for f in self._s.files.values()), key=lambda n: n.name)

    async def meetings(self, slug: str) -> list[Meeting]:
        f = self._s.files.get(slug)
        return sorted(f.meetings, key=lambda m: (m.day, m.number)) if f else []

    async def meeting(self, slug: str, number: int) -> Meeting | None:
        return next((m for m in await self.meetings(slug) if m.number == number), None)

    async def municipalities(self, slug: str) -> list[Municipality]:
        f = self._s.files.get(slug)
        return list(f.municipalities) if f else []

    async def phases(self, slug: str) -> list[Phase]:
        f = self._s.files.get(slug)
        return list(f.phases) if f else []

    async def people(self, slug: str) -> list[Person]:
        f = self._s.files.get(slug)
        return [self._s.people.get(p.key, p) for p in f.people] if f else []

    async def save_file(self, declared: NetworkFile) -> ImportCounts:
        old = self._s.files.get(declared.network.slug)
        numbers = {m.number for m in declared.meetings}
        kept = tuple(
            dataclasses.replace(m, status=MeetingStatus.CANCELLED)
            for m in (old.meetings if old else ())
            if m.number not in numbers
        )
        self._s.files[declared.network.slug] = dataclasses.replace(
            declared, meetings=declared.meetings + kept
        )
        for p in declared.people:
            self._s.people[p.key] = p
        return ImportCounts(
            created=0 if old else 1, updated=1 if old else 0, cancelled_meetings=len(kept)
        )


class FakePeople:
    def __init__(self, store: FakeStore) -> None:
        self._s = store

    async def find(
        self,
        *,
        aad_object_id: str | None = None,
        teams_user_id: str | None = None,
        email: str | None = None,
    ) -> Person | None:
        for p in self._s.people.values():
            if (aad_object_id and p.aad_object_id == aad_object_id) or (
                teams_user_id and p.teams_user_id == teams_user_id
            ):
                return p
        return self._s.people.get(email.strip().lower()) if email else None

    async def roles(self, person_key: str, network_slug: str) -> frozenset[RoleKind]:
        f = self._s.files.get(network_slug)
        if f and any(p.key == person_key for p in f.people):
            return self._s.people[person_key].roles
        return frozenset()

    async def networks_of(self, person_key: str) -> list[str]:
        return sorted(
            slug for slug, f in self._s.files.items() if any(p.key == person_key for p in f.people)
        )

    async def remember_teams_ids(
        self,
        person_key: str,
        *,
        teams_user_id: str | None,
        aad_object_id: str | None,
        tenant_id: str | None = None,
    ) -> None:
        p = self._s.people[person_key]
        self._s.people[person_key] = dataclasses.replace(
            p,
            teams_user_id=teams_user_id or p.teams_user_id,
            aad_object_id=aad_object_id or p.aad_object_id,
            tenant_id=p.tenant_id or tenant_id,
        )

    async def organiser_teams_ids(self, network_slug: str) -> list[str]:
        f = self._s.files.get(network_slug)
        keys = {p.key for p in f.people} if f else set()
        ids = {
            p.teams_user_id
            for p in self._s.people.values()
            if p.key in keys and p.teams_user_id and p.roles & ORGANISERS
        }
        return sorted(ids)


class FakeConversations:
    def __init__(self, store: FakeStore) -> None:
        self._s = store

    async def save(self, ref: ConversationRef) -> None:
        old = self._s.conversations.get(ref.conversation_id)
        kept = {
            name: getattr(old, name)
            for name in KEPT_WHEN_MISSING
            if old is not None and getattr(ref, name) is None
        }
        self._s.conversations[ref.conversation_id] = dataclasses.replace(
            ref, network_slug=old.network_slug if old else None, **kept
        )

    async def get(self, conversation_id: str) -> ConversationRef | None:
        return self._s.conversations.get(conversation_id)

    async def link(self, conversation_id: str, network_slug: str) -> bool:
        ref = self._s.conversations.get(conversation_id)
        if ref is None or network_slug not in self._s.files:
            return False
        self._s.conversations[conversation_id] = dataclasses.replace(ref, network_slug=network_slug)
        return True

    async def linked_to(self, network_slug: str) -> list[ConversationRef]:
        return [r for r in self._s.conversations.values() if r.network_slug == network_slug]

    async def mark_uninstalled(self, conversation_id: str) -> None:
        ref = self._s.conversations.get(conversation_id)
        if ref:
            self._s.conversations[conversation_id] = dataclasses.replace(ref, installed=False)

    async def mark_team_uninstalled(self, team_id: str) -> None:
        for cid, ref in list(self._s.conversations.items()):
            if ref.team_id == team_id:
                self._s.conversations[cid] = dataclasses.replace(ref, installed=False)

    async def complete_team(self, team_id: str, aad_group_id: str) -> None:
        for cid, ref in list(self._s.conversations.items()):
            if ref.team_id == team_id and ref.team_aad_group_id is None:
                self._s.conversations[cid] = dataclasses.replace(
                    ref, team_aad_group_id=aad_group_id
                )

    async def personal_for(self, teams_user_id: str) -> ConversationRef | None:
        return next(
            (
                r
                for r in self._s.conversations.values()
                if r.kind.value == "personal" and r.user_id == teams_user_id and r.installed
            ),
            None,
        )


class FakeActivities:
    def __init__(self, store: FakeStore) -> None:
        self._s = store

    async def claim(self, conversation_id: str, activity_id: str) -> bool:
        key = (conversation_id, activity_id)
        fresh = key not in self._s.claims
        self._s.claims.add(key)
        return fresh

    async def release(self, conversation_id: str, activity_id: str) -> None:
        self._s.claims.discard((conversation_id, activity_id))


class FakePreferences:
    def __init__(self, store: FakeStore) -> None:
        self._s = store

    async def language(self, teams_user_id: str) -> str | None:
        return self._s.languages.get(teams_user_id)

    async def set_language(self, teams_user_id: str, language: str) -> None:
        self._s.languages[teams_user_id] = language


class FakeRsvps:
    def __init__(self, store: FakeStore) -> None:
        self._s = store

    async def lock(self, slug: str, number: int) -> bool:
        f = self._s.files.get(slug)
        return bool(f and any(m.number == number for m in f.meetings))

    async def for_meeting(self, slug: str, number: int) -> list[Rsvp]:
        return sorted(self._s.rsvps.get((slug, number), {}).values(), key=lambda r: r.answered_at)

    async def save(
        self, slug: str, number: int, rsvp: Rsvp, *, changed_by: str, at: datetime
    ) -> None:
        answers = self._s.rsvps.setdefault((slug, number), {})
        before = answers.get(rsvp.person)
        self._s.changes.append(
            (slug, number, rsvp.person, before.answer.value if before else None, rsvp.answer.value)
        )
        answers[rsvp.person] = rsvp

    async def history(self, slug: str, number: int, person: str) -> list[tuple[str | None, str]]:
        return [(a, b) for s, n, p, a, b in self._s.changes if (s, n, p) == (slug, number, person)]

    async def recent_teams_ids(self, slug: str, number: int, limit: int) -> list[str]:
        changes = reversed(self._s.changes)
        newest_first = [p for s, n, p, _, _ in changes if (s, n) == (slug, number)]
        ids = (self._s.people[p].teams_user_id for p in dict.fromkeys(newest_first))
        return [i for i in ids if i][:limit]


class FakePostedCards:
    def __init__(self, store: FakeStore) -> None:
        self._s = store

    async def get(self, kind: str, slug: str, number: int, conversation_id: str) -> str | None:
        return self._s.posted.get((kind, slug, number, conversation_id))

    async def remember(
        self, kind: str, slug: str, number: int, conversation_id: str, activity_id: str
    ) -> None:
        self._s.posted[(kind, slug, number, conversation_id)] = activity_id

    async def where(self, kind: str, slug: str, number: int) -> list[tuple[str, str]]:
        return [
            (c, a)
            for (k, s, n, c), a in self._s.posted.items()
            if (k, s, n) == (kind, slug, number)
        ]


class FakeNotifier:
    """Records what would be posted and updated."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Outbound]] = []
        self.updated: list[tuple[str, str, Outbound]] = []

    async def send(self, ref: ConversationRef, message: Outbound) -> str:
        self.sent.append((ref.conversation_id, message))
        return f"activity-{len(self.sent)}"

    async def update(self, ref: ConversationRef, activity_id: str, message: Outbound) -> None:
        self.updated.append((ref.conversation_id, activity_id, message))


class FakeSendSlots:
    """The tenants' next free send times, in memory (storage.send_slots.SqlSendSlots)."""

    def __init__(self, store: FakeStore) -> None:
        self.next_at = store.send_slots

    async def reserve(
        self, tenant: str, now: float, interval: float, horizon: float
    ) -> Reservation:
        free = self.next_at.get(tenant, now)
        if free > now + horizon:
            return Reservation(False, free)
        slot = max(free, now)
        self.next_at[tenant] = slot + interval
        return Reservation(True, slot)


class FakeOutbox:
    """What services put in the outbox, by key (the worker runs on real storage only)."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def enqueue(self, items: list[NewDelivery], now: datetime) -> int:
        fresh = [i for i in items if i.key not in self.store.outbox]
        self.store.outbox.update((i.key, i) for i in fresh)
        return len(fresh)

    async def release_waiting(self, person_key: str, conversation_id: str) -> int:
        released = [k for k, p in self.store.waiting.items() if p == person_key]
        for key in released:
            del self.store.waiting[key]
        return len(released)


class FakeMeetingEvents:
    """Outlook events as far as the cards read them: the Teams join link per meeting."""

    def __init__(self, store: FakeStore) -> None:
        self.links = store.join_urls

    async def join_url(self, slug: str, number: int) -> str:
        return self.links.get((slug, number), "")


class FakeUnitOfWork:
    """Applies to the shared store directly; counts commits so tests can check them."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.networks = FakeNetworks(store)
        self.people = FakePeople(store)
        self.conversations = FakeConversations(store)
        self.activities = FakeActivities(store)
        self.preferences = FakePreferences(store)
        self.rsvps = FakeRsvps(store)
        self.posted = FakePostedCards(store)
        self.send_slots = FakeSendSlots(store)
        self.outbox = FakeOutbox(store)
        self.meeting_events = FakeMeetingEvents(store)
        attach_sparring_fakes(self, store)
        attach_membership_fakes(self, store)
        attach_material_fakes(self, store)
        attach_pairs_fakes(self, store)
        attach_engagement_fakes(self, store)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        self.store.commits += 1

    async def rollback(self) -> None:
        return None


class FakeDirectory:
    """A roster that knows some members' e-mail addresses."""

    def __init__(self, emails: dict[str, str] | None = None) -> None:
        self.emails = emails or {}
        self.lookups = 0

    async def email_of(self, teams_user_id: str) -> str | None:
        self.lookups += 1
        return self.emails.get(teams_user_id)


class FakeSender:
    """A Sender that accepts everything (or fails as told) and records what it delivered."""

    def __init__(self, fail: dict[str, DeliveryResult] | None = None) -> None:
        self.delivered: list[tuple[str, Outbound]] = []
        self.fail = fail or {}

    async def deliver(
        self,
        ref: ConversationRef,
        message: Outbound,
        *,
        attempt: int = 1,
        handover: Handover | None = None,
    ) -> DeliveryResult:
        if handover is not None and not await handover():
            return DeliveryResult(DeliveryStatus.RETRY, error="lease lost", attempted=False)
        planned = self.fail.pop(ref.conversation_id, None)
        if planned is not None:
            return planned
        self.delivered.append((ref.conversation_id, message))
        return DeliveryResult(DeliveryStatus.SENT, activity_id=f"a-{len(self.delivered)}")
