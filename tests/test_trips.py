"""The study trip: no host prompt or call for cases, named and not numbered, addressable."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.features.cadence.messages import cadence_renderer
from cards.cadence import CadenceView, StepRow, cadence_card
from domain.cadence import StepKind, plan
from domain.errors import NotFound
from domain.model import ConversationKind, ConversationRef, MeetingKind, NetworkFile
from domain.trips import is_trip_word, leading_meeting, the_trip
from netpuls.i18n import translator
from services import conversations, networks, rsvp
from services.cadence import StepContext
from services.meeting_state import MeetingState
from services.network_file import load_network_file, parse_network_file
from services.networks import Actor
from services.ports import Outbound, StepRecord
from tests.conftest import EXAMPLES, FixedClock
from tests.support.cadence_messages import step_messages
from tests.support.networks import SMALL, TRIP

PLAN22 = EXAMPLES / "plan22-kompakte-groenne-byer.yaml"
SLUG = "kompakte-groenne-byer"
CHANNEL = ConversationRef(
    conversation_id="19:plan22@thread.tacv2",
    kind=ConversationKind.CHANNEL,
    service_url="http://127.0.0.1:9/",
    channel_id="msteams",
    network_slug=SLUG,
)
FACILITATOR = Actor(teams_user_id="29:fac")


def plan22() -> Any:
    return load_network_file(PLAN22, today=date(2024, 1, 1))


def test_the_study_trip_gets_no_host_prompt_and_no_call_for_cases() -> None:
    declared = plan22()
    steps = plan(declared.network, list(declared.meetings))
    trip_steps = {s.kind for s in steps if s.meeting == 9}
    assert StepKind.HOST_PROMPT not in trip_steps
    assert StepKind.CALL_FOR_CASES not in trip_steps
    assert {StepKind.AGENDA, StepKind.RSVP_REMINDER, StepKind.RSVP_CLOSE} <= trip_steps
    hosted = {s.kind for s in steps if s.meeting == 5}
    assert {StepKind.HOST_PROMPT, StepKind.CALL_FOR_CASES} <= hosted


def test_a_study_trip_whose_file_asks_for_a_call_for_cases_gets_one() -> None:
    text = SMALL + TRIP + "    call_for_cases: true\n"
    declared = parse_network_file(text, name="small.yaml", today=date(2024, 3, 1))
    trip = next(m for m in declared.meetings if m.kind is MeetingKind.STUDY_TRIP)
    assert trip.skip_steps == frozenset({"host_prompt"})
    hosted = next(m for m in declared.meetings if m.number == 2)
    assert hosted.skip_steps == frozenset()


def test_a_hosted_meeting_can_switch_off_its_host_prompt_in_the_file() -> None:
    text = SMALL.replace("    host: koege\n", "    host: koege\n    host_prompt: false\n")
    declared = parse_network_file(text, name="small.yaml", today=date(2024, 3, 1))
    assert next(m for m in declared.meetings if m.number == 2).skip_steps == {"host_prompt"}


def test_the_trip_is_named_by_its_word_in_every_language() -> None:
    assert all(is_trip_word(w) for w in ("trip", "Studietur", "studieresa", "study  trip"))
    assert not is_trip_word("9")
    declared = plan22()
    zone = declared.network.zone
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert the_trip(declared.meetings, zone, now).number == 9  # type: ignore[union-attr]
    assert leading_meeting("studietur slides", declared.meetings, zone, now) == (9, "slides")
    assert leading_meeting("study trip", declared.meetings, zone, now) == (9, "")
    assert leading_meeting("#2 notes", declared.meetings, zone, now) == (2, "notes")


def _context(kind: StepKind) -> StepContext:
    declared = plan22()
    trip = next(m for m in declared.meetings if m.number == 9)
    state = MeetingState(
        network=declared.network,
        meeting=trip,
        municipalities=declared.municipalities,
        rsvps=(),
        deadline=datetime(2025, 5, 3, 21, 59, tzinfo=UTC),
        closed=False,
    )
    step = StepRecord(
        key=f"{SLUG}:{kind.value}:m9",
        network=SLUG,
        kind=kind.value,
        meeting=9,
        theme="",
        due=datetime(2025, 4, 28, 7, tzinfo=UTC),
        status="planned",
        reason="",
    )
    return StepContext(
        step,
        declared.network,
        state,
        (CHANNEL,),
        organiser_chats=(CHANNEL,),
        silent=("Aalborg Kommune",),
    )


@pytest.mark.parametrize(
    "kind",
    [
        StepKind.RSVP_REMINDER,
        StepKind.RSVP_CLOSE,
        StepKind.PRACTICAL_INFO,
        StepKind.FOLLOW_UP,
        StepKind.MATERIAL_PACK,
    ],
)
def test_cadence_messages_call_the_trip_studietur_never_meeting_9(kind: StepKind) -> None:
    render = cadence_renderer(step_messages(lambda _state: Outbound(text="agenda card")))
    texts = [t.message.text for t in render(_context(kind)) if t.message.text]
    assert texts
    assert all("tudietur" in text and "9" not in text for text in texts), texts


def test_a_host_prompt_for_a_meeting_nobody_hosts_goes_nowhere() -> None:
    render = cadence_renderer(step_messages(lambda _state: Outbound(text="agenda card")))
    assert render(_context(StepKind.HOST_PROMPT)) == []


def test_the_cadence_card_lists_the_trips_steps_as_the_study_trip() -> None:
    row = StepRow(date(2025, 4, 14), datetime.min.time(), "agenda", 9, "", "planned", trip=True)
    card = str(cadence_card(CadenceView("Net", (row,)), translator("sv")))
    assert "Studieresa" in card
    assert "möte 9" not in card.lower()


async def imported(uow_factory: Any, declared: NetworkFile) -> None:
    await networks.import_network(uow_factory(), declared)
    await conversations.record_conversation(uow_factory(), CHANNEL)
    async with uow_factory() as uow:
        await uow.conversations.link(CHANNEL.conversation_id, SLUG)
        await uow.commit()


async def test_commands_address_the_trip_by_its_word_on_both_databases(uow_factory: Any) -> None:
    await imported(uow_factory, plan22())
    clock = FixedClock(datetime(2024, 3, 1, 12, tzinfo=UTC))
    cid = CHANNEL.conversation_id
    for word in ("studietur", "trip", "Study trip", "studieresa"):
        key = await rsvp.resolve_meeting(uow_factory(), clock, cid, FACILITATOR, word)
        assert key == f"{SLUG}:9"
    assert await rsvp.resolve_meeting(uow_factory(), clock, cid, FACILITATOR, "5") == f"{SLUG}:5"


async def test_a_network_without_a_trip_says_so(uow_factory: Any) -> None:
    declared = parse_network_file(SMALL, name="small.yaml", today=date(2024, 3, 1))
    await imported(uow_factory, declared)
    clock = FixedClock(datetime(2024, 3, 1, 12, tzinfo=UTC))
    with pytest.raises(NotFound):
        await rsvp.resolve_meeting(
            uow_factory(), clock, CHANNEL.conversation_id, FACILITATOR, "trip"
        )


async def test_the_cadence_command_names_and_moves_the_trip_by_its_word(
    start_bot: Any, connector: Any, uow_factory: Any
) -> None:
    from services import cadence
    from tests.support import activities as act

    people = {"29:fac": "facilitator@example.org"}
    spring = TRIP.replace("2024-09-10", "2024-05-07").replace("2024-09-12", "2024-05-09")
    declared = parse_network_file(SMALL + spring, name="small.yaml", today=date(2024, 3, 1))
    await networks.import_network(uow_factory(), declared)
    await cadence.sync_all(uow_factory)
    bot = await start_bot(people)
    fake, url = connector
    me = act.personal(url, user_id="29:fac", aad=None, name=people["29:fac"])
    await bot.post("/api/messages", json=act.message(me, "cadence"))
    listing = str(fake.sent[-1].activity["attachments"][0]["content"])
    assert "Agenda card · Study trip" in listing and "meeting 3" not in listing
    await bot.post("/api/messages", json=act.message(me, "cadence move agenda trip 2024-04-12"))
    assert fake.texts()[-1].startswith("Moved agenda of the study trip to")
