"""Problem statements and the host prompt against in-memory fakes: every rule, nothing half-done."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.model import chat_to_open
from domain.sparring import CaseStatus
from services import cases, conversations, host, networks, rsvp
from services.ports import Outbound
from tests.fakes import FakeDirectory, FakeNotifier, FakeStore, FakeUnitOfWork
from tests.fakes_sparring import sparring_state
from tests.support.sparring import (
    AFTER,
    BEFORE,
    CASE,
    DURING,
    EMAILS,
    FACILITATOR,
    HOST,
    KEY,
    KOEGE,
    ODENSE,
    SECRETARIAT,
    SLUG,
    STRANGER,
    channel_ref,
    personal_ref,
    sparring_network,
)

ROSTER = FakeDirectory(EMAILS)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
async def uow(store: FakeStore) -> FakeUnitOfWork:
    await networks.import_network(FakeUnitOfWork(store), sparring_network())
    await conversations.record_conversation(FakeUnitOfWork(store), channel_ref())
    await FakeUnitOfWork(store).conversations.link(channel_ref().conversation_id, SLUG)
    return FakeUnitOfWork(store)


async def submit(uow: FakeUnitOfWork, who: object = ODENSE, **fields: object) -> cases.Case:
    number = fields.pop("meeting", "1")
    return await cases.submit_case(
        uow,
        BEFORE,
        who,
        ROSTER,
        SLUG,
        number,
        {**CASE, **fields},  # type: ignore[arg-type]
    )


async def test_a_member_submits_a_case_with_themes_and_it_is_audited(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    case = await submit(uow)
    assert case.status is CaseStatus.SUBMITTED and case.municipality_name == "Odense Kommune"
    assert case.themes == ("Hvilken rolle spiller det grønne i den kompakte by?",)
    (entry,) = sparring_state(store).audit
    assert (entry.actor, entry.action) == ("planner.odense@example.org", "case.submit")


async def test_the_case_form_offers_coming_meetings_and_defaults_to_the_named_one(
    uow: FakeUnitOfWork,
) -> None:
    form = await cases.case_form(uow, BEFORE, f"{SLUG}:2", KOEGE, ROSTER)
    assert [m.number for m in form.meetings] == [1, 2] and form.chosen == 2
    later = await cases.case_form(uow, AFTER, KEY, KOEGE, ROSTER)
    assert [m.number for m in later.meetings] == [2] and later.chosen == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "x" * 121}, "The title is too long: {length} characters, at most {limit}."),
        (
            {"description": "y" * 2001},
            "The description is too long: {length} characters, at most {limit}.",
        ),
        ({"title": "  "}, "Give the problem statement a title."),
        ({"description": ""}, "Describe the question you want sparring on."),
        ({"themes": "7"}, "That theme is not one of the network's themes."),
        ({"meeting": "x"}, "Choose the meeting the problem statement is for."),
    ],
)
async def test_over_long_or_missing_fields_are_refused_with_a_clear_message(
    uow: FakeUnitOfWork, store: FakeStore, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await submit(uow, **fields)
    assert refused.value.msgid == message
    assert sparring_state(store).cases == {}


async def test_exactly_the_limits_are_accepted(uow: FakeUnitOfWork) -> None:
    case = await submit(uow, title="x" * 120, description="y" * 2000)
    assert len(case.title) == 120 and len(case.description) == 2000


async def test_outsiders_and_past_meetings_are_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotAllowed):
        await submit(uow, STRANGER)
    with pytest.raises(NotFound):
        await submit(uow, meeting="9")
    with pytest.raises(InvalidInput):
        await cases.submit_case(uow, AFTER, ODENSE, ROSTER, SLUG, "1", dict(CASE))


async def test_the_facilitator_sees_every_case_and_a_member_only_their_own(
    uow: FakeUnitOfWork,
) -> None:
    await submit(uow)
    await submit(uow, KOEGE, title="Grønne tage")
    everything = await cases.list_cases(uow, BEFORE, KEY, FACILITATOR, ROSTER)
    own = await cases.list_cases(uow, BEFORE, KEY, KOEGE, ROSTER)
    assert len(everything.cases) == 2 and everything.reviewer
    assert [c.title for c in own.cases] == ["Grønne tage"] and not own.reviewer
    with pytest.raises(NotAllowed):
        await cases.list_cases(uow, BEFORE, KEY, STRANGER, ROSTER)


async def test_accepting_orders_the_cases_and_the_agenda_shows_them_in_that_order(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    first, second, third = [await submit(uow, title=f"Case {i}") for i in (1, 2, 3)]
    for case in (first, second, third):
        await cases.decide_case(uow, BEFORE, FACILITATOR, ROSTER, case.id, "accept", {})
    moved = await cases.decide_case(
        uow, BEFORE, SECRETARIAT, ROSTER, third.id, "accept", {"position": "1"}
    )
    assert [(c.title, c.position) for c in moved.state.cases] == [
        ("Case 3", 1),
        ("Case 1", 2),
        ("Case 2", 3),
    ]
    await cases.decide_case(uow, BEFORE, FACILITATOR, ROSTER, first.id, "decline", {"note": "No"})
    state = await rsvp.meeting_state(uow, BEFORE, KEY)
    assert [(c.title, c.position) for c in state.cases] == [("Case 3", 1), ("Case 2", 2)]
    actions = [e.action for e in sparring_state(store).audit if e.action.startswith("case.")]
    assert actions.count("case.accept") == 4 and actions.count("case.decline") == 1


async def test_an_edit_changes_the_text_but_not_the_decision(uow: FakeUnitOfWork) -> None:
    case = await submit(uow)
    edited = await cases.decide_case(
        uow, BEFORE, FACILITATOR, ROSTER, case.id, "edit", {"title": "Kortere titel"}
    )
    assert edited.case.title == "Kortere titel" and edited.case.status is CaseStatus.SUBMITTED
    assert edited.case.description == CASE["description"]


@pytest.mark.parametrize("who", [ODENSE, HOST, STRANGER])
async def test_only_the_facilitator_or_secretariat_decides(
    uow: FakeUnitOfWork, store: FakeStore, who: object
) -> None:
    case = await submit(uow)
    with pytest.raises(NotAllowed) as refused:
        await cases.decide_case(uow, BEFORE, who, ROSTER, case.id, "accept", {})  # type: ignore[arg-type]
    assert "facilitator or the secretariat" in refused.value.msgid
    assert sparring_state(store).cases[case.id].status is CaseStatus.SUBMITTED


@pytest.mark.parametrize(
    ("case_id", "decision", "fields"),
    [
        ("99", "accept", {}),
        ("x", "accept", {}),
        ("1", "explode", {}),
        ("1", "accept", {"note": "n" * 1001}),
        ("1", "accept", {"position": "first"}),
    ],
)
async def test_forged_decisions_are_refused(
    uow: FakeUnitOfWork, store: FakeStore, case_id: str, decision: str, fields: dict[str, str]
) -> None:
    await submit(uow)
    with pytest.raises((InvalidInput, NotFound)):
        await cases.decide_case(uow, BEFORE, FACILITATOR, ROSTER, case_id, decision, fields)
    assert sparring_state(store).cases[1].status is CaseStatus.SUBMITTED


async def test_the_submitter_is_told_in_their_personal_chat_and_only_there(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    case = await submit(uow)
    decided = await cases.decide_case(
        uow, BEFORE, FACILITATOR, ROSTER, case.id, "decline", {"note": "Næste gang"}
    )
    notifier = FakeNotifier()

    def message(c: cases.Case, n: object) -> Outbound:
        return Outbound(text=f"{c.title}: {c.status} ({c.decision_note})")

    await conversations.record_conversation(uow, personal_ref("29:odense"))
    assert await cases.tell_submitter(uow, BEFORE, notifier, decided.case, message)
    assert notifier.sent == [
        ("a:personal-29:odense", Outbound(text=f"{CASE['title']}: declined (Næste gang)"))
    ]
    assert not store.outbox


async def test_a_submitter_without_a_personal_chat_gets_one_opened_by_the_outbox(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    case = await submit(uow)
    decided = await cases.decide_case(
        uow, BEFORE, FACILITATOR, ROSTER, case.id, "decline", {"note": "Næste gang"}
    )
    notifier = FakeNotifier()

    def message(c: cases.Case, n: object) -> Outbound:
        return Outbound(text=f"{c.title}: {c.status}")

    assert await cases.tell_submitter(uow, BEFORE, notifier, decided.case, message)
    assert notifier.sent == []  # nothing in the channel: the outcome is the submitter's
    [queued] = store.outbox.values()
    assert queued.ref.conversation_id == chat_to_open(case.submitter, queued.ref).conversation_id
    assert queued.message == Outbound(text=f"{CASE['title']}: declined")


async def test_sparring_notes_come_after_the_meeting_from_the_facilitator_or_the_owner(
    uow: FakeUnitOfWork,
) -> None:
    case = await submit(uow)
    with pytest.raises(InvalidInput):  # not accepted yet
        await cases.attach_notes(uow, DURING, ODENSE, ROSTER, case.id, "Noter")
    await cases.decide_case(uow, BEFORE, FACILITATOR, ROSTER, case.id, "accept", {})
    with pytest.raises(InvalidInput):  # the meeting has not begun
        await cases.attach_notes(uow, BEFORE, ODENSE, ROSTER, case.id, "Noter")
    with pytest.raises(NotAllowed):
        await cases.attach_notes(uow, AFTER, KOEGE, ROSTER, case.id, "Noter")
    with pytest.raises(NotAllowed):  # the secretariat is not the facilitator
        await cases.attach_notes(uow, AFTER, SECRETARIAT, ROSTER, case.id, "Noter")
    with pytest.raises(InvalidInput):
        await cases.attach_notes(uow, AFTER, ODENSE, ROSTER, case.id, "z" * 4001)
    owner = await cases.attach_notes(uow, DURING, ODENSE, ROSTER, case.id, "Egne noter")
    assert owner.case.sparring_notes == "Egne noter"
    notes = await cases.attach_notes(uow, AFTER, FACILITATOR, ROSTER, case.id, "Gode råd")
    assert notes.case.notes_by == "facilitator@example.org"
    assert notes.case.sparring_notes == "Gode råd"


async def test_the_host_prompt_reaches_the_host_contacts_with_a_personal_chat(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    await host.host_state(uow, KEY, HOST, ROSTER)  # the contact is seen once: ids remembered
    await conversations.record_conversation(uow, personal_ref("29:host"))
    notifier = FakeNotifier()
    sent = await host.send_host_prompt(
        uow, BEFORE, notifier, KEY, FACILITATOR, ROSTER, lambda s: Outbound(text=s.host_name)
    )
    assert sent.sent == ("Vært Odense",) and sent.unreachable == ()
    assert notifier.sent == [("a:personal-29:host", Outbound(text="Odense Kommune"))]
    cadence = await host.host_prompt(uow, BEFORE, notifier, SLUG, 2, lambda s: Outbound(text="x"))
    assert cadence.sent == () and cadence.unreachable == ()  # Køge has no host contact
    with pytest.raises(NotAllowed):
        await host.send_host_prompt(
            uow, BEFORE, notifier, KEY, HOST, ROSTER, lambda s: Outbound(text="x")
        )
    actions = [e.action for e in sparring_state(store).audit]
    assert actions == ["host.prompt", "refused.send_host_prompt"]


async def test_only_the_hosts_contacts_and_the_facilitator_edit_the_proposals(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    fields = {
        "programme": "Velkomst\n\n Byvandring ved havnen ",
        "address": "Havnegade 1, Odense",
        "what_to_see": "Den nye bydel",
    }
    state = await host.save_host_plan(uow, BEFORE, HOST, ROSTER, KEY, fields)
    assert state.plan.programme == ("Velkomst", "Byvandring ved havnen")
    assert state.plan.updated_by == "host.odense@example.org"
    await host.save_host_plan(uow, BEFORE, FACILITATOR, ROSTER, KEY, {**fields, "address": "B"})
    for who in (ODENSE, SECRETARIAT, KOEGE):
        with pytest.raises(NotAllowed) as refused:
            await host.save_host_plan(uow, BEFORE, who, ROSTER, KEY, fields)
        assert refused.value.params == {"host": "Odense Kommune"}
    with pytest.raises(NotAllowed):  # Odense's contact does not host meeting 2 (Køge)
        await host.save_host_plan(uow, BEFORE, HOST, ROSTER, f"{SLUG}:2", fields)
    with pytest.raises(InvalidInput):
        await host.save_host_plan(uow, BEFORE, HOST, ROSTER, KEY, {"programme": "x\n" * 16})
    assert sparring_state(store).host_plans[(SLUG, 1)].address == "B"
