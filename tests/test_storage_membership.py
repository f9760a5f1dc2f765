"""Calls, application versions, admission and fees on real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.membership import (
    ApplicationStatus,
    Call,
    DuplicateApplication,
    FeeRecord,
)
from domain.model import RoleKind, SeatStatus
from services import admission, membership, selection
from services.networks import Actor, import_network
from tests.conftest import FixedClock
from tests.support import applications as ex


class Roster:
    """Teams user id '29:<e-mail>' -> e-mail, as the Teams roster would answer."""

    async def email_of(self, teams_user_id: str) -> str | None:
        return teams_user_id.removeprefix("29:")


SECRETARIAT = Actor(teams_user_id=f"29:{ex.PLAN22_SECRETARIAT}")
CHAT = "a:chat"


async def plan22_with_call(uow_factory: Any, clock: FixedClock) -> None:
    await import_network(uow_factory(), ex.plan22())
    await membership.open_call(uow_factory(), clock, CHAT, SECRETARIAT, Roster(), "2024-02-24")


async def send(
    uow_factory: Any, clock: FixedClock, who: str, data: dict[str, Any], **kw: Any
) -> Any:
    return await membership.submit_application(
        uow_factory(), clock, ex.PLAN22, Actor(teams_user_id=who), data, **kw
    )


async def test_a_call_is_stored_moved_and_closed(uow_factory: Any) -> None:
    await import_network(uow_factory(), ex.plan22())
    opened = Call(date(2024, 2, 24), ex.PLAN22_NOW)
    async with uow_factory() as uow:
        assert await uow.membership.call(ex.PLAN22) is None
        await uow.membership.save_call(ex.PLAN22, opened, by="sekretariat@example.org")
        await uow.commit()
    closed = Call(date(2024, 2, 28), ex.PLAN22_NOW, ex.PLAN22_NOW + timedelta(days=2))
    async with uow_factory() as uow:
        assert await uow.membership.lock_call(ex.PLAN22) == opened
        await uow.membership.save_call(ex.PLAN22, closed, by="sekretariat@example.org")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.membership.call(ex.PLAN22) == closed


async def test_every_version_of_an_application_is_kept(uow_factory: Any) -> None:
    clock = FixedClock(ex.PLAN22_NOW)
    await plan22_with_call(uow_factory, clock)
    await send(uow_factory, clock, "29:a", ex.form())
    clock.current += timedelta(hours=1)
    await send(uow_factory, clock, "29:a", ex.form(interest="Anden udgave."), base="esbjerg:1")
    clock.current += timedelta(hours=1)
    await send(uow_factory, clock, "29:b", ex.form(themes="2"), replace_existing=True)
    async with uow_factory() as uow:
        versions = await uow.membership.versions(ex.PLAN22, "esbjerg")
        current = await uow.membership.application(ex.PLAN22, "esbjerg")
        by_a = await uow.membership.application_by(ex.PLAN22, "29:a")
        by_b = await uow.membership.application_by(ex.PLAN22, "29:b")
    assert [(v.version, v.submitted_by) for v in versions] == [
        (1, "29:a"),
        (2, "29:a"),
        (3, "29:b"),
    ]
    assert (
        versions[1].interest == "Anden udgave."
        and versions[0].themes == ex.plan22().network.themes[0:5:4]
    )
    assert current is not None and current.version == 3 and len(current.themes) == 1
    assert current.submitted_at == ex.PLAN22_NOW + timedelta(hours=2)
    assert by_a is None and by_b == current


async def test_the_skl_extras_survive_the_round_trip(uow_factory: Any) -> None:
    clock = FixedClock(ex.SKL_NOW)
    await import_network(uow_factory(), ex.skl())
    kansli = Actor(teams_user_id=f"29:{ex.SKL_SECRETARIAT}")
    await membership.open_call(uow_factory(), clock, CHAT, kansli, Roster(), "")
    await membership.submit_application(
        uow_factory(), clock, ex.SKL, Actor(teams_user_id="29:lund"), ex.skl_form()
    )
    async with uow_factory() as uow:
        (stored,) = await uow.membership.applications(ex.SKL)
        (version,) = await uow.membership.versions(ex.SKL, "lunds")
    assert stored.commitment is not None and stored.commitment.board_reference == "KS 2015/123"
    assert version.commitment == stored.commitment and stored.region == "Skåne län"
    assert stored.area_idea.startswith("Stationsområdet") and version.area_idea == stored.area_idea
    assert stored.working_group.splitlines() == [
        "Planarkitekt",
        "Dialogansvarig",
        "Landskapsarkitekt",
    ]
    assert version.working_group == stored.working_group


async def test_a_refused_duplicate_writes_nothing(uow_factory: Any) -> None:
    clock = FixedClock(ex.PLAN22_NOW)
    await plan22_with_call(uow_factory, clock)
    await send(uow_factory, clock, "29:a", ex.form())
    with pytest.raises(DuplicateApplication):
        await send(uow_factory, clock, "29:b", ex.form(head_of_planning="Anden"))
    async with uow_factory() as uow:
        assert len(await uow.membership.versions(ex.PLAN22, "esbjerg")) == 1


async def test_two_colleagues_applying_at_once_leave_one_application_and_one_question(
    uow_factory: Any,
) -> None:
    clock = FixedClock(ex.PLAN22_NOW)
    await plan22_with_call(uow_factory, clock)

    async def attempt(who: str) -> object:
        try:
            return await send(uow_factory, clock, who, ex.form(head_of_planning=who))
        except DuplicateApplication as refused:
            return refused

    results = await asyncio.gather(*(attempt(f"29:{i}") for i in range(6)))
    assert sum(isinstance(r, DuplicateApplication) for r in results) == 5
    async with uow_factory() as uow:
        assert len(await uow.membership.versions(ex.PLAN22, "esbjerg")) == 1


async def test_confirming_a_selection_gives_seats_people_and_roles(uow_factory: Any) -> None:
    clock = FixedClock(ex.PLAN22_NOW)
    await plan22_with_call(uow_factory, clock)
    for i, (name, region) in enumerate(ex.NEWCOMERS, 1):
        await send(uow_factory, clock, f"29:{i}", ex.form(name, region, themes=str(i)))
    clock.current = datetime(2024, 2, 25, 9, tzinfo=UTC)
    found = await selection.propose_selection(uow_factory(), clock, ex.PLAN22, seats=3)
    assert found.open_until is None and found.proposal.coverage.themes_covered == 3
    chosen = ",".join(found.proposal.chosen)
    decided = await admission.confirm_selection(
        uow_factory(), clock, ex.PLAN22, chosen, SECRETARIAT, Roster()
    )
    assert len(decided.admitted) == 3 and len(decided.declined) == 2
    async with uow_factory() as uow:
        seats = {m.key: m for m in await uow.networks.municipalities(ex.PLAN22)}
        head = await uow.people.find(email=decided.admitted[0].email)
        statuses = {
            a.municipality_key: a.status for a in await uow.membership.applications(ex.PLAN22)
        }
        roles = await uow.people.roles(decided.admitted[0].email, ex.PLAN22)
    assert len(seats) == 30
    assert {seats[k].seat_status for k in found.proposal.chosen} == {SeatStatus.MEMBER}
    declined = decided.declined[0].municipality_key
    assert seats[declined].seat_status is SeatStatus.DECLINED
    assert seats[declined].region == decided.declined[0].region
    assert head is not None and head.municipality == decided.admitted[0].municipality_key
    assert roles == frozenset({RoleKind.PARTICIPANT})
    assert sorted(statuses.values()) == ["admitted"] * 3 + ["declined"] * 2
    assert statuses[declined] is ApplicationStatus.DECLINED


async def test_fee_records_are_kept_per_municipality_and_year(uow_factory: Any) -> None:
    await import_network(uow_factory(), ex.skl())
    async with uow_factory() as uow:
        await uow.membership.save_fee(ex.SKL, FeeRecord("malmo", 2016, date(2016, 1, 5)), by="x")
        await uow.membership.save_fee(ex.SKL, FeeRecord("boras", 2017), by="x")
        await uow.commit()
    async with uow_factory() as uow:
        paid = FeeRecord("malmo", 2016, date(2016, 1, 5), date(2016, 2, 1))
        await uow.membership.save_fee(ex.SKL, paid, by="x")
        await uow.commit()
    async with uow_factory() as uow:
        records = await uow.membership.fees(ex.SKL)
    assert records == [FeeRecord("boras", 2017), paid]
