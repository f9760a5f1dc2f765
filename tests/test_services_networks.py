"""Network use cases against in-memory fakes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from domain.errors import NotAllowed, NotFound, NotLinked
from domain.model import ConversationKind, ConversationRef, MeetingStatus
from services import conversations, networks
from services.networks import Actor
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeStore, FakeUnitOfWork
from tests.support.networks import small_network

CHANNEL = "19:general@thread.tacv2"
STRANGER = Actor(teams_user_id="29:stranger", aad_object_id="aad-stranger", locale="en-US")
FACILITATOR = Actor(teams_user_id="29:fac", aad_object_id="aad-fac", locale="en-US")
ROSTER = FakeDirectory({"29:fac": "facilitator@example.org"})


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    return store


@pytest.fixture
async def uow(store: FakeStore) -> FakeUnitOfWork:
    await networks.import_network(FakeUnitOfWork(store), small_network())
    await conversations.record_conversation(
        FakeUnitOfWork(store),
        ConversationRef(
            conversation_id=CHANNEL,
            kind=ConversationKind.CHANNEL,
            service_url="http://127.0.0.1:9/",
            channel_id="msteams",
        ),
    )
    return FakeUnitOfWork(store)


def at(year: int, month: int, day: int, hour: int = 12) -> FixedClock:
    return FixedClock(datetime(year, month, day, hour, tzinfo=UTC))


async def test_next_meeting_is_the_first_that_has_not_ended(uow: FakeUnitOfWork) -> None:
    found = await networks.find_next_meeting(uow, at(2024, 3, 14, 13), CHANNEL, FACILITATOR, ROSTER)
    assert found.meeting is not None and found.meeting.number == 1
    found = await networks.find_next_meeting(uow, at(2024, 3, 14, 15), CHANNEL, FACILITATOR, ROSTER)
    assert found.meeting is not None and found.meeting.number == 2


async def test_next_meeting_skips_a_cancelled_meeting(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    f = store.files["kompakte-groenne-byer"]
    store.files[f.network.slug] = dataclasses.replace(
        f,
        meetings=(
            dataclasses.replace(f.meetings[0], status=MeetingStatus.CANCELLED),
            f.meetings[1],
        ),
    )
    found = await networks.find_next_meeting(uow, at(2024, 3, 1), CHANNEL, FACILITATOR, ROSTER)
    assert found.meeting is not None and found.meeting.number == 2


async def test_after_the_last_meeting_there_is_no_next(uow: FakeUnitOfWork) -> None:
    found = await networks.find_next_meeting(uow, at(2026, 1, 1), CHANNEL, FACILITATOR, ROSTER)
    assert found.meeting is None and found.network.slug == "kompakte-groenne-byer"


async def test_the_next_meeting_is_not_shown_to_someone_outside_the_network(
    uow: FakeUnitOfWork,
) -> None:
    with pytest.raises(NotAllowed):
        await networks.find_next_meeting(uow, at(2024, 3, 14, 13), CHANNEL, STRANGER)


async def test_with_two_networks_an_unlinked_conversation_must_be_linked(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    other = small_network()
    store.files["other"] = dataclasses.replace(
        other, network=dataclasses.replace(other.network, slug="other", name="Other")
    )
    with pytest.raises(NotLinked):
        await networks.find_next_meeting(uow, at(2024, 3, 1), CHANNEL, STRANGER)


async def test_the_facilitator_found_by_roster_email_may_link(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    directory = FakeDirectory({"29:fac": "Facilitator@Example.org"})
    network = await networks.link_conversation(
        uow,
        CHANNEL + ";messageid=42",
        FACILITATOR,
        "Kompakte-Groenne-Byer",
        directory,
        clock=at(2024, 3, 1),
    )
    assert network.slug == "kompakte-groenne-byer"
    assert store.conversations[CHANNEL].network_slug == "kompakte-groenne-byer"
    assert store.people["facilitator@example.org"].aad_object_id == "aad-fac"


async def test_a_participant_may_not_link(uow: FakeUnitOfWork, store: FakeStore) -> None:
    directory = FakeDirectory({"29:stranger": "planner.odense@example.org"})
    with pytest.raises(NotAllowed) as refused:
        await networks.link_conversation(
            uow, CHANNEL, STRANGER, "kompakte-groenne-byer", directory, clock=at(2024, 3, 1)
        )
    assert refused.value.params["network"] == "Kompakte, grønne byer"
    assert store.conversations[CHANNEL].network_slug is None


async def test_linking_to_an_unknown_network_lists_the_known(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound) as refused:
        await networks.link_conversation(
            uow, CHANNEL, FACILITATOR, "atlantis", FakeDirectory(), clock=at(2024, 3, 1)
        )
    assert refused.value.params["known"] == "kompakte-groenne-byer"


async def language_of(uow: FakeUnitOfWork, actor: Actor) -> str:
    """The reader's language as a card action reads it, writing nothing."""
    return await networks.preferred_language(uow, CHANNEL, actor, "en")


async def test_language_follows_the_client_then_the_person_then_the_network(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    swede = Actor(teams_user_id="29:x", locale="sv-SE")
    assert await language_of(uow, swede) == "sv"
    german = Actor(teams_user_id="29:x", aad_object_id="aad-fac", locale="de-DE")
    assert await language_of(uow, german) == "da"
    store.people["facilitator@example.org"] = dataclasses.replace(
        store.people["facilitator@example.org"], aad_object_id="aad-fac", locale="en"
    )
    assert await language_of(uow, german) == "en"


async def test_reimport_cancels_meetings_no_longer_declared(uow: FakeUnitOfWork) -> None:
    declared = small_network()
    counts = await networks.import_network(
        uow, dataclasses.replace(declared, meetings=declared.meetings[:1])
    )
    assert counts.cancelled_meetings == 1
