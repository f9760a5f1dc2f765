"""RSVP use cases against in-memory fakes: every rule, and bad input that changes nothing."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.model import (
    ConversationKind,
    ConversationRef,
    MeetingStatus,
    Person,
    RoleKind,
    person_to_reach,
)
from domain.rsvp import Answer, RsvpClosed, SeatTaken, Standing
from services import conversations, networks, rsvp
from services.networks import Actor
from services.ports import Outbound
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeNotifier, FakeStore, FakeUnitOfWork
from tests.support.networks import small_network_with_colleague

KEY = "kompakte-groenne-byer:1"
CHANNEL = "19:general@thread.tacv2"
ODENSE = Actor(teams_user_id="29:odense")
ODENSE_2 = Actor(teams_user_id="29:odense-2")
FACILITATOR = Actor(teams_user_id="29:fac")
STRANGER = Actor(teams_user_id="29:stranger")
ROSTER = FakeDirectory(
    {
        "29:odense": "planner.odense@example.org",
        "29:odense-2": "colleague.odense@example.org",
        "29:fac": "facilitator@example.org",
        "29:stranger": "someone@example.org",
    }
)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
async def uow(store: FakeStore) -> FakeUnitOfWork:
    await networks.import_network(FakeUnitOfWork(store), small_network_with_colleague())
    await conversations.record_conversation(
        FakeUnitOfWork(store),
        ConversationRef(
            conversation_id=CHANNEL,
            kind=ConversationKind.CHANNEL,
            service_url="http://127.0.0.1:9/",
            channel_id="msteams",
            network_slug="kompakte-groenne-byer",
        ),
    )
    await FakeUnitOfWork(store).conversations.link(CHANNEL, "kompakte-groenne-byer")
    return FakeUnitOfWork(store)


CLOCK = FixedClock(datetime(2024, 3, 1, 12, tzinfo=UTC))


async def say(
    uow: FakeUnitOfWork, who: Actor, answer: object = "attending", **kw: object
) -> rsvp.Answered:
    return await rsvp.respond(uow, CLOCK, kw.pop("key", KEY), who, ROSTER, answer, **kw)


async def test_a_member_answers_for_the_municipality_and_the_change_is_logged(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    answered = await say(uow, ODENSE, dietary="vegetarian")
    assert answered.outcome.rsvp.standing is Standing.CONFIRMED
    await say(uow, ODENSE, "maybe")
    assert [c[3:] for c in store.changes] == [(None, "attending"), ("attending", "maybe")]
    state = await rsvp.meeting_state(uow, CLOCK, KEY)
    assert state.answer_of("planner.odense@example.org").answer is Answer.MAYBE


async def test_a_colleague_from_the_same_municipality_is_refused(uow: FakeUnitOfWork) -> None:
    await say(uow, ODENSE)
    with pytest.raises(SeatTaken) as refused:
        await say(uow, ODENSE_2)
    assert refused.value.params["holder"] == "Planlægger Odense"


async def test_someone_outside_the_network_may_not_answer_and_nothing_is_written(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    with pytest.raises(NotAllowed):
        await say(uow, STRANGER)
    with pytest.raises(NotAllowed):  # the facilitator holds no seat
        await say(uow, FACILITATOR)
    assert store.rsvps == {}


@pytest.mark.parametrize(
    "key", ["", "nonsense", "a:b", None, 42, "x" * 200 + ":1", "kompakte-groenne-byer:1:2"]
)
async def test_a_forged_meeting_id_is_refused(
    uow: FakeUnitOfWork, store: FakeStore, key: object
) -> None:
    with pytest.raises(InvalidInput):
        await say(uow, ODENSE, key=key)
    assert store.rsvps == {}


async def test_a_card_for_a_meeting_that_does_not_exist_asks_no_roster(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    roster = FakeDirectory(dict(ROSTER.emails))
    with pytest.raises(NotFound):
        await rsvp.respond(uow, CLOCK, "kompakte-groenne-byer:99", ODENSE, roster, "attending")
    assert roster.lookups == 0 and store.rsvps == {}


async def test_an_unknown_meeting_or_another_networks_card_is_refused(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    with pytest.raises(NotFound):
        await say(uow, ODENSE, key="kompakte-groenne-byer:99")
    with pytest.raises(NotFound):
        await say(uow, ODENSE, key="other-network:1")
    f = store.files["kompakte-groenne-byer"]
    store.files["other"] = dataclasses.replace(
        f, network=dataclasses.replace(f.network, slug="other", name="Other")
    )
    with pytest.raises(InvalidInput):  # a card of network "other" clicked in our channel
        await rsvp.respond(
            uow,
            CLOCK,
            "other:1",
            ODENSE,
            ROSTER,
            "attending",
            conversation_id=CHANNEL + ";messageid=7",
        )
    assert store.rsvps == {}


@pytest.mark.parametrize(
    ("answer", "extra"),
    [
        ("dancing", {}),
        ({"answer": "attending"}, {}),  # not text: a forged payload
        ("attending", {"dietary": "x" * 201}),
        ("attending", {"note": "y" * 501}),
    ],
)
async def test_bad_answers_and_over_long_texts_are_refused(
    uow: FakeUnitOfWork, store: FakeStore, answer: object, extra: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput):
        await say(uow, ODENSE, answer, **extra)
    assert store.rsvps == {}


async def test_after_the_deadline_answers_are_refused(uow: FakeUnitOfWork) -> None:
    late = FixedClock(datetime(2024, 3, 12, 23, 30, tzinfo=UTC))  # 13 March 00:30 in Denmark
    with pytest.raises(RsvpClosed):
        await rsvp.respond(uow, late, KEY, ODENSE, ROSTER, "attending")
    state = await rsvp.meeting_state(uow, late, KEY)
    assert state.closed


async def test_a_cancelled_meeting_takes_no_answers(uow: FakeUnitOfWork, store: FakeStore) -> None:
    f = store.files["kompakte-groenne-byer"]
    store.files[f.network.slug] = dataclasses.replace(
        f,
        meetings=(
            dataclasses.replace(f.meetings[0], status=MeetingStatus.CANCELLED),
            *f.meetings[1:],
        ),
    )
    with pytest.raises(InvalidInput):
        await say(uow, ODENSE)


def render(state: rsvp.MeetingState) -> Outbound:
    return Outbound(text=f"agenda {state.key} {len(state.rsvps)}")


async def test_posting_the_agenda_twice_updates_the_first_post(uow: FakeUnitOfWork) -> None:
    notifier = FakeNotifier()
    assert await rsvp.post_agenda(uow, CLOCK, notifier, KEY, FACILITATOR, ROSTER, render) == (1, 0)
    await say(uow, ODENSE)
    assert await rsvp.post_agenda(uow, CLOCK, notifier, KEY, FACILITATOR, ROSTER, render) == (0, 1)
    assert [c for c, _ in notifier.sent] == [CHANNEL]
    assert notifier.updated[0][1] == "activity-1"
    assert notifier.updated[0][2].text == f"agenda {KEY} 1"


async def test_the_card_is_rendered_once_for_all_posted_copies_and_not_at_all_without_one(
    uow: FakeUnitOfWork,
) -> None:
    rendered: list[str] = []

    def counting(state: rsvp.MeetingState) -> Outbound:
        rendered.append(state.key)
        return render(state)

    notifier = FakeNotifier()
    refresher = rsvp.AgendaRefresher(lambda: uow, CLOCK, notifier, counting)
    await say(uow, ODENSE)
    assert await refresher.refresh(KEY) == 0
    assert rendered == []  # nothing posted: a click renders no shared card
    await rsvp.post_agenda(uow, CLOCK, notifier, KEY, FACILITATOR, ROSTER, render)
    await say(uow, ODENSE, "maybe")
    assert await refresher.refresh(KEY) == 1
    assert rendered == [KEY]


class SlowNotifier(FakeNotifier):
    """Updates wait until the test lets them through, as a slow Bot Connector would."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.failures = 0

    async def update(self, ref: ConversationRef, activity_id: str, message: Outbound) -> None:
        await self.gate.wait()
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the connector went away")
        await super().update(ref, activity_id, message)


async def posted_agenda_with_slow_updates(uow: FakeUnitOfWork) -> SlowNotifier:
    """The agenda posted in the channel; its updates then wait for the test's gate."""
    notifier = SlowNotifier()
    notifier.gate.set()
    await rsvp.post_agenda(uow, CLOCK, notifier, KEY, FACILITATOR, ROSTER, render)
    notifier.gate.clear()
    return notifier


async def test_a_burst_of_answers_updates_the_card_a_few_times_and_the_newest_state_lands_last(
    uow: FakeUnitOfWork,
) -> None:
    notifier = await posted_agenda_with_slow_updates(uow)
    refresher = rsvp.AgendaRefresher(lambda: uow, CLOCK, notifier, render)
    first = asyncio.create_task(refresher.refresh(KEY))  # reads 0 answers, then waits
    await asyncio.sleep(0)
    await say(uow, ODENSE)
    later = [refresher.refresh(KEY) for _ in range(10)]  # asked while the first one runs
    assert await asyncio.gather(*later) == [0] * 10
    notifier.gate.set()
    assert await first == 2  # its own update, then one more for everything asked meanwhile
    assert [m.text for _, _, m in notifier.updated] == [f"agenda {KEY} 0", f"agenda {KEY} 1"]


async def test_a_failed_refresh_with_a_newer_change_waiting_still_brings_the_card_up_to_date(
    uow: FakeUnitOfWork,
) -> None:
    notifier = await posted_agenda_with_slow_updates(uow)
    notifier.failures = 1
    refresher = rsvp.AgendaRefresher(lambda: uow, CLOCK, notifier, render)
    first = asyncio.create_task(refresher.refresh(KEY))
    await asyncio.sleep(0)
    await say(uow, ODENSE)
    await refresher.refresh(KEY)
    notifier.gate.set()
    assert await first == 1
    assert [m.text for _, _, m in notifier.updated] == [f"agenda {KEY} 1"]
    notifier.failures = 1  # alone, a failure is the caller's to log
    with pytest.raises(ConnectionError):
        await refresher.refresh(KEY)


async def test_only_organisers_post_the_agenda(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotAllowed):
        await rsvp.post_agenda(uow, CLOCK, FakeNotifier(), KEY, ODENSE, ROSTER, render)


async def test_the_attendee_list_is_for_organisers_and_the_hosts_contacts(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    with pytest.raises(NotAllowed):
        await rsvp.attendees(uow, CLOCK, KEY, ODENSE, ROSTER)
    store.people["planner.odense@example.org"] = dataclasses.replace(
        store.people["planner.odense@example.org"],
        roles=frozenset({RoleKind.PARTICIPANT, RoleKind.HOST_CONTACT}),
    )
    assert (await rsvp.attendees(uow, CLOCK, KEY, ODENSE, ROSTER)).meeting.host == "odense"
    assert (await rsvp.attendees(uow, CLOCK, KEY, FACILITATOR, ROSTER)).key == KEY


async def test_a_meeting_is_named_by_number_or_defaults_to_the_next(uow: FakeUnitOfWork) -> None:
    assert await rsvp.resolve_meeting(uow, CLOCK, CHANNEL, FACILITATOR, "") == KEY
    assert (
        await rsvp.resolve_meeting(uow, CLOCK, CHANNEL, FACILITATOR, "2")
        == "kompakte-groenne-byer:2"
    )
    with pytest.raises(NotFound):
        await rsvp.resolve_meeting(uow, CLOCK, CHANNEL, FACILITATOR, "9")


async def test_someone_promoted_from_the_waitlist_without_a_chat_is_told_in_one_the_bot_opens(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    f = store.files["kompakte-groenne-byer"]
    store.files[f.network.slug] = dataclasses.replace(
        f, meetings=(dataclasses.replace(f.meetings[0], capacity=1), *f.meetings[1:])
    )
    store.people["someone@example.org"] = Person(
        key="someone@example.org",
        name="Planlægger Køge",
        email="someone@example.org",
        municipality="koege",
    )
    store.files[f.network.slug] = dataclasses.replace(
        store.files[f.network.slug], people=(*f.people, store.people["someone@example.org"])
    )
    await say(uow, ODENSE)
    waiting = await say(uow, STRANGER)
    assert waiting.outcome.rsvp.standing is Standing.WAITLISTED
    freed = await say(uow, ODENSE, "not_attending")
    assert [p.person for p in freed.outcome.promoted] == ["someone@example.org"]
    notifier = FakeNotifier()
    told = await rsvp.tell_promoted(
        uow,
        CLOCK,
        notifier,
        freed.state,
        freed.outcome.promoted,
        lambda state, name: Outbound(text=f"{name} is in"),
    )
    # Never in the channel, which would name them to everyone: the outbox opens their chat.
    assert told == 1 and notifier.sent == []
    [queued] = store.outbox.values()
    assert person_to_reach(queued.ref.conversation_id) == "someone@example.org"
    assert queued.message == Outbound(text="Planlægger Køge is in")
