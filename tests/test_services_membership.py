"""Calls, applications, selection and admission against in-memory fakes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.membership import (
    ApplicationsClosed,
    ApplicationStatus,
    DuplicateApplication,
    NoOpenCall,
)
from domain.model import ConversationKind, ConversationRef, RoleKind, SeatStatus
from services import admission, conversations, membership, networks, selection
from services.networks import Actor
from services.ports import Outbound
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeNotifier, FakeStore, FakeUnitOfWork
from tests.support import applications as ex

SECRETARIAT = Actor(teams_user_id="29:sek")
FACILITATOR = Actor(teams_user_id="29:fac")
ESBJERG = Actor(teams_user_id="29:esbjerg")
ESBJERG_2 = Actor(teams_user_id="29:esbjerg-2")
ROSTER = FakeDirectory({"29:sek": ex.PLAN22_SECRETARIAT, "29:fac": "facilitator@example.org"})
CHAT = "a:personal-chat"


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(ex.PLAN22_NOW)


@pytest.fixture
async def uow(store: FakeStore) -> FakeUnitOfWork:
    await networks.import_network(FakeUnitOfWork(store), ex.plan22())
    return FakeUnitOfWork(store)


async def open_call(uow: FakeUnitOfWork, clock: FixedClock, deadline: str = "2024-02-24") -> Any:
    return await membership.open_call(uow, clock, CHAT, SECRETARIAT, ROSTER, deadline)


async def send(
    uow: FakeUnitOfWork, clock: FixedClock, who: Actor = ESBJERG, **kw: Any
) -> membership.Submitted:
    data = kw.pop("data", None) or ex.form()
    return await membership.submit_application(uow, clock, ex.PLAN22, who, data, **kw)


async def test_only_the_secretariat_opens_the_call(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    with pytest.raises(NotAllowed):
        await membership.open_call(uow, clock, CHAT, FACILITATOR, ROSTER, "2024-02-24")
    state = await open_call(uow, clock)
    assert state.open and state.closes_at == datetime(
        2024, 2, 24, 23, 59, tzinfo=state.network.zone
    )


async def test_without_a_date_the_call_uses_the_network_files_deadline(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    state = await open_call(uow, clock, "")
    assert state.call is not None and state.call.deadline == date(2024, 2, 24)


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("2024-01-31", "The deadline {deadline} has already passed."),
        ("24/2", "Write the deadline as YYYY-MM-DD, e.g. call open {example}."),
    ],
)
async def test_a_bad_deadline_is_refused_and_opens_nothing(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore, argument: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await open_call(uow, clock, argument)
    assert refused.value.msgid == message
    assert await uow.membership.call(ex.PLAN22) is None


async def test_an_application_is_stored_as_version_1_and_edits_add_versions(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await open_call(uow, clock)
    first = await send(uow, clock)
    assert first.application.version == 1 and not first.replaced
    clock.current += timedelta(days=1)
    edited = ex.form(interest="Ny tekst om fortætning.")
    second = await send(uow, clock, data=edited, base="esbjerg:1")
    assert second.application.version == 2
    versions = await uow.membership.versions(ex.PLAN22, "esbjerg")
    assert [v.interest for v in versions] == [ex.form()["interest"], "Ny tekst om fortætning."]


async def test_the_form_is_prefilled_with_the_readers_own_application(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await open_call(uow, clock)
    await send(uow, clock)
    mine = await membership.application_form(uow, clock, CHAT, ESBJERG, ROSTER, ex.PLAN22)
    other = await membership.application_form(uow, clock, CHAT, ESBJERG_2, ROSTER, ex.PLAN22)
    assert mine.current is not None and mine.current.version == 1
    assert other.current is None
    assert len(mine.rules.themes) == 8 and "Region Nordjylland" in mine.rules.regions


async def test_a_duplicate_from_the_same_municipality_asks_first_and_then_replaces(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await open_call(uow, clock)
    await send(uow, clock)
    other = ex.form(head_of_planning="Ny planchef", email="ny.planchef@example.org")
    with pytest.raises(DuplicateApplication):
        await send(uow, clock, ESBJERG_2, data=other)
    assert (await uow.membership.application(ex.PLAN22, "esbjerg")).version == 1  # type: ignore[union-attr]
    replaced = await send(uow, clock, ESBJERG_2, data=other, replace_existing="true")
    assert replaced.replaced and replaced.application.version == 2
    assert replaced.application.head_of_planning == "Ny planchef"


async def test_a_known_municipality_written_another_way_is_the_same_applicant(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await open_call(uow, clock)
    stored = await send(uow, clock, data=ex.form("Køge", "Region Sjælland"))
    assert stored.application.municipality_key == "koege"
    assert stored.application.municipality_name == "Køge Kommune"
    with pytest.raises(DuplicateApplication):
        await send(uow, clock, ESBJERG_2, data=ex.form("køge kommune", "Region Sjælland"))
    capital = await send(uow, clock, data=ex.form("Københavns Kommune", "Region Hovedstaden"))
    assert capital.application.municipality_key == "koebenhavn"
    await send(uow, clock, data=ex.form("Esbjergs Kommune"))
    with pytest.raises(DuplicateApplication):
        await send(uow, clock, ESBJERG_2, data=ex.form("Esbjerg"))


async def test_late_applications_are_refused_naming_the_deadline(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await open_call(uow, clock)
    clock.current = datetime(2024, 2, 25, 0, 1, tzinfo=UTC)
    with pytest.raises(ApplicationsClosed) as late:
        await send(uow, clock)
    assert late.value.params["deadline"].date() == date(2024, 2, 24)
    with pytest.raises(ApplicationsClosed):
        await membership.application_form(uow, clock, CHAT, ESBJERG, ROSTER, ex.PLAN22)
    assert await uow.membership.applications(ex.PLAN22) == []


async def test_without_a_call_or_after_closing_nothing_is_taken(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(NoOpenCall):
        await send(uow, clock)
    await open_call(uow, clock)
    closed = await membership.close_call(uow, clock, CHAT, SECRETARIAT, ROSTER)
    assert not closed.open
    with pytest.raises(ApplicationsClosed):
        await send(uow, clock)
    with pytest.raises(NoOpenCall):
        await membership.close_call(uow, clock, CHAT, SECRETARIAT, ROSTER)


@pytest.mark.parametrize(
    "bad",
    [
        {"interest": " ".join(["ord"] * 401)},
        {"email": ""},
        {"email": "planchef(at)esbjerg.dk"},
        {"themes": "9"},
        {"links": "ftp://example.org/x"},
    ],
)
async def test_bad_input_saves_nothing(
    uow: FakeUnitOfWork, clock: FixedClock, bad: dict[str, str]
) -> None:
    await open_call(uow, clock)
    with pytest.raises(InvalidInput):
        await send(uow, clock, data=ex.form(**bad))
    assert await uow.membership.applications(ex.PLAN22) == []


async def test_the_secretariat_lists_applications_others_may_not(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await open_call(uow, clock)
    await send(uow, clock)
    listed = await membership.list_applications(uow, clock, CHAT, SECRETARIAT, ROSTER)
    assert [a.words for a in listed.applications] == [12]
    with pytest.raises(NotAllowed):
        await membership.list_applications(uow, clock, CHAT, ESBJERG, ROSTER)


async def applied(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    """Five newcomers apply, each with a theme of its own, then the call closes."""
    await open_call(uow, clock)
    for i, (name, region) in enumerate(ex.NEWCOMERS, 1):
        who = Actor(teams_user_id=f"29:{ex.slugified(name)}")
        await send(uow, clock, who, data=ex.form(name, region, themes=str(i)))
    await membership.close_call(uow, clock, CHAT, SECRETARIAT, ROSTER)


async def test_the_proposal_honours_seats_and_fixes(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    await applied(uow, clock)
    found = await selection.propose_selection(
        uow, clock, ex.PLAN22, seats=3, fixed_in=["Furesø"], fixed_out=["esbjerg"],
        actor=SECRETARIAT, directory=ROSTER,
    )  # fmt: skip
    assert len(found.proposal.chosen) == 3 and "furesoe" in found.proposal.chosen
    assert "esbjerg" not in found.proposal.chosen and found.open_until is None
    assert found.proposal.coverage.regions_covered == 3
    with pytest.raises(NotAllowed):
        await selection.propose_selection(uow, clock, ex.PLAN22, actor=ESBJERG, directory=ROSTER)


async def test_confirming_makes_members_and_declines_the_others_once(
    uow: FakeUnitOfWork, clock: FixedClock, store: FakeStore
) -> None:
    await applied(uow, clock)
    decided = await admission.confirm_selection(
        uow, clock, ex.PLAN22, "esbjerg,randers,furesoe", SECRETARIAT, ROSTER
    )
    assert [a.municipality_key for a in decided.admitted] == ["esbjerg", "randers", "furesoe"]
    assert [a.municipality_key for a in decided.declined] == ["kalundborg", "broenderslev"]
    seats = {m.key: m.seat_status for m in await uow.networks.municipalities(ex.PLAN22)}
    assert seats["esbjerg"] is SeatStatus.MEMBER and seats["kalundborg"] is SeatStatus.DECLINED
    assert seats["odense"] is SeatStatus.MEMBER  # members who did not apply keep their seat
    head = await uow.people.find(email="planchef.esbjerg@example.org")
    assert head is not None and head.municipality == "esbjerg"
    assert await uow.people.roles(head.key, ex.PLAN22) == frozenset({RoleKind.PARTICIPANT})
    statuses = {a.municipality_key: a.status for a in await uow.membership.applications(ex.PLAN22)}
    assert statuses["randers"] is ApplicationStatus.ADMITTED
    again = await admission.confirm_selection(
        uow, clock, ex.PLAN22, "esbjerg,randers,furesoe", SECRETARIAT, ROSTER
    )
    assert again.already
    with pytest.raises(NotFound):
        await admission.confirm_selection(uow, clock, ex.PLAN22, "esbjerg", SECRETARIAT, ROSTER)


async def test_confirming_is_refused_while_open_or_with_strangers_and_changes_nothing(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await open_call(uow, clock)
    await send(uow, clock)
    with pytest.raises(InvalidInput) as still_open:
        await admission.confirm_selection(uow, clock, ex.PLAN22, "esbjerg", SECRETARIAT, ROSTER)
    assert "Close the call first" in still_open.value.msgid
    await membership.close_call(uow, clock, CHAT, SECRETARIAT, ROSTER)
    for chosen in ("esbjerg,atlantis", "", 42):
        with pytest.raises(InvalidInput):
            await admission.confirm_selection(uow, clock, ex.PLAN22, chosen, SECRETARIAT, ROSTER)
    with pytest.raises(NotAllowed):
        await admission.confirm_selection(uow, clock, ex.PLAN22, "esbjerg", ESBJERG, ROSTER)
    (application,) = await uow.membership.applications(ex.PLAN22)
    assert application.status is ApplicationStatus.SUBMITTED


async def test_applicants_with_a_personal_chat_are_told_the_others_listed(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await applied(uow, clock)
    await conversations.record_conversation(
        uow,
        ConversationRef(
            conversation_id="a:esbjerg",
            kind=ConversationKind.PERSONAL,
            service_url="http://127.0.0.1:9/",
            channel_id="msteams",
            user_id="29:esbjerg",
        ),
    )
    decided = await admission.confirm_selection(
        uow, clock, ex.PLAN22, "esbjerg,randers", SECRETARIAT, ROSTER
    )
    answers, unreachable = await admission.reachable(uow, decided)
    assert [a.application.municipality_key for a in answers] == ["esbjerg"]
    assert len(unreachable) == 4
    notifier = FakeNotifier()
    sent = await admission.send_answers(
        notifier, decided.network, answers, lambda n, a, yes: Outbound(text=f"{a.email} {yes}")
    )
    assert sent == 1 and notifier.sent == [
        ("a:esbjerg", Outbound(text="planchef.esbjerg@example.org True"))
    ]


async def test_skl_fees_are_tracked_per_member_and_year(store: FakeStore) -> None:
    uow = FakeUnitOfWork(store)
    await networks.import_network(uow, ex.skl())
    clock = FixedClock(datetime(2016, 1, 20, 9, tzinfo=UTC))
    roster = FakeDirectory({"29:skl": ex.SKL_SECRETARIAT})
    who = Actor(teams_user_id="29:skl")
    _, lines = await admission.fee_lines(uow, clock, "a:skl", who, roster)
    assert len(lines) == 16 and {x.record.state.value for x in lines} == {"open"}
    _, paid = await admission.mark_fee(uow, clock, "a:skl", who, roster, "paid Malmö stad 2016")
    assert paid.record.paid_on == date(2016, 1, 20) and paid.amount == 5000
    _, lines = await admission.fee_lines(uow, clock, "a:skl", who, roster)
    assert [x.record.state.value for x in lines if x.municipality.key == "malmo"] == [
        "paid",
        "open",
    ]
    with pytest.raises(NotFound):
        await admission.mark_fee(uow, clock, "a:skl", who, roster, "paid malmo 2019")
    with pytest.raises(InvalidInput):
        await admission.mark_fee(uow, clock, "a:skl", who, roster, "refunded malmo 2016")
