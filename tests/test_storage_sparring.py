"""Cases, host proposals, summaries, evaluations and the audit log on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import inspect

from domain.model import RoleKind
from domain.sparring import AuditEntry, Case, CaseStatus, HostPlan, Summary
from services import cases, rsvp
from services.networks import import_network
from tests.support.sparring import (
    BEFORE,
    CASE,
    FACILITATOR,
    KEY,
    ODENSE,
    SLUG,
    sparring_network,
)

AT = datetime(2024, 3, 1, 12, tzinfo=UTC)


class Roster:
    async def email_of(self, teams_user_id: str) -> str | None:
        from tests.support.sparring import EMAILS

        return EMAILS.get(teams_user_id)


def new_case(title: str, minutes: int = 0) -> Case:
    return Case(
        id=0,
        network=SLUG,
        meeting=1,
        title=title,
        description="Spørgsmål",
        themes=("Tema",),
        submitter="planner.odense@example.org",
        submitter_name="Planlægger Odense",
        municipality="odense",
        municipality_name="Odense Kommune",
        submitted_at=AT + timedelta(minutes=minutes),
    )


async def test_cases_round_trip_and_list_accepted_first_in_the_facilitators_order(
    uow_factory: Any,
) -> None:
    await import_network(uow_factory(), sparring_network())
    async with uow_factory() as uow:
        ids = [await uow.cases.add(new_case(f"Sag {i}", i)) for i in range(3)]
        await uow.commit()
    async with uow_factory() as uow:
        first = await uow.cases.get(ids[0])
        third = await uow.cases.get(ids[2])
        assert first is not None and third is not None
        await uow.cases.update(
            Case(**{**_fields(third), "status": CaseStatus.ACCEPTED, "position": 2})
        )
        await uow.cases.update(
            Case(
                **{
                    **_fields(first),
                    "status": CaseStatus.ACCEPTED,
                    "position": 1,
                    "decision_note": "Velkommen",
                    "sparring_notes": "Noter",
                    "decided_at": AT,
                }
            )
        )
        await uow.commit()
    async with uow_factory() as uow:
        listed = await uow.cases.for_meeting(SLUG, 1)
        everything = await uow.cases.for_network(SLUG)
        none = await uow.cases.for_meeting(SLUG, 2)
        missing = await uow.cases.get(9999)
    assert [(c.title, c.position) for c in listed] == [("Sag 0", 1), ("Sag 2", 2), ("Sag 1", None)]
    assert listed[0].decision_note == "Velkommen" and listed[0].sparring_notes == "Noter"
    assert listed[0].themes == ("Tema",) and listed[0].municipality_name == "Odense Kommune"
    assert listed[0].decided_at == AT and listed[0].network == SLUG
    assert [c.id for c in everything] == [c.id for c in listed] and none == [] and missing is None


def _fields(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in Case.__dataclass_fields__}


async def test_host_plans_are_replaced_and_host_contacts_found_by_role_and_town(
    uow_factory: Any,
) -> None:
    await import_network(uow_factory(), sparring_network())
    async with uow_factory() as uow:
        assert await uow.host_plans.get(SLUG, 1) is None
        await uow.host_plans.save(SLUG, 1, HostPlan(("A", "B"), "Havnegade 1", "Havnen", "x", AT))
        await uow.host_plans.save(SLUG, 1, HostPlan(("C",), "Torvet", "Torvet", "y", AT))
        await uow.commit()
    async with uow_factory() as uow:
        plan = await uow.host_plans.get(SLUG, 1)
        hosts = await uow.host_plans.contacts(SLUG, RoleKind.HOST_CONTACT, "odense")
        koege = await uow.host_plans.contacts(SLUG, RoleKind.HOST_CONTACT, "koege")
        facilitators = await uow.host_plans.contacts(SLUG, RoleKind.FACILITATOR)
    assert plan == HostPlan(("C",), "Torvet", "Torvet", "y", AT)
    assert [p.key for p in hosts] == ["host.odense@example.org"] and koege == []
    assert [p.key for p in facilitators] == ["facilitator@example.org"]


async def test_summaries_keep_drafts_posts_notes_and_reminders(uow_factory: Any) -> None:
    await import_network(uow_factory(), sparring_network())
    draft = Summary(key_points="Tæt", case_notes=((3, "Note"),), author="f", updated_at=AT)
    async with uow_factory() as uow:
        await uow.summaries.save(SLUG, 1, draft)
        await uow.commit()
    posted = Summary(
        key_points="Tæt og grønt",
        good_advice="Råd",
        posted=True,
        posted_at=AT,
        updated_at=AT,
        reminders=2,
        reminded_at=AT,
    )
    async with uow_factory() as uow:
        assert await uow.summaries.get(SLUG, 1) == draft
        await uow.summaries.save(SLUG, 1, posted)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.summaries.get(SLUG, 1) == posted
        assert await uow.summaries.get(SLUG, 2) is None
        assert await uow.summaries.for_network(SLUG) == {1: posted}


async def test_two_answers_from_one_person_at_once_leave_exactly_one(uow_factory: Any) -> None:
    await import_network(uow_factory(), sparring_network())

    async def answer(score: int) -> bool:
        async with uow_factory() as uow:
            added = bool(
                await uow.evaluations.add(SLUG, 1, "planner.odense@example.org", score, "")
            )
            await uow.commit()
            return added

    results = await asyncio.gather(*(answer(s) for s in (1, 2, 3, 4, 5)))
    async with uow_factory() as uow:
        await uow.evaluations.add(SLUG, 1, "planner.koege@example.org", 5, "Godt")
        await uow.commit()
    async with uow_factory() as uow:
        answers = await uow.evaluations.answers(SLUG, 1)
        assert await uow.evaluations.answered(SLUG, 1, "planner.odense@example.org")
        assert not await uow.evaluations.answered(SLUG, 2, "planner.odense@example.org")
    assert sorted(results) == [False] * 4 + [True]
    assert len(answers) == 2 and (5, "Godt") in answers


async def test_an_evaluation_answer_has_no_column_that_points_at_a_person(engine: Any) -> None:
    async with engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: [c["name"] for c in inspect(sync).get_columns("evaluation_answers")]
        )
    assert sorted(columns) == ["comment", "id", "meeting_id", "score"]


async def test_the_audit_log_keeps_who_what_when(uow_factory: Any) -> None:
    async with uow_factory() as uow:
        await uow.audit.record(AuditEntry(SLUG, "f@example.org", "case.accept", "case 1", AT))
        await uow.audit.record(AuditEntry("other", "x", "y", "z", AT))
        await uow.audit.record(
            AuditEntry(SLUG, "f@example.org", "summary.post", "s" * 400, AT + timedelta(hours=1))
        )
        await uow.commit()
    async with uow_factory() as uow:
        entries = await uow.audit.entries(SLUG)
        later = await uow.audit.entries(SLUG, since=AT + timedelta(minutes=1))
    assert [(e.actor, e.action) for e in entries] == [
        ("f@example.org", "case.accept"),
        ("f@example.org", "summary.post"),
    ]
    assert entries[0].at == AT and len(entries[1].subject) == 300
    assert [e.action for e in later] == ["summary.post"]


async def test_an_accepted_case_shows_in_the_agenda_state_on_a_real_database(
    uow_factory: Any,
) -> None:
    await import_network(uow_factory(), sparring_network())
    case = await cases.submit_case(uow_factory(), BEFORE, ODENSE, Roster(), SLUG, "1", dict(CASE))
    assert (await rsvp.meeting_state(uow_factory(), BEFORE, KEY)).cases == ()
    await cases.decide_case(uow_factory(), BEFORE, FACILITATOR, Roster(), case.id, "accept", {})
    state = await rsvp.meeting_state(uow_factory(), BEFORE, KEY)
    assert [(c.title, c.position) for c in state.cases] == [(CASE["title"], 1)]
    async with uow_factory() as uow:
        actions = [e.action for e in await uow.audit.entries(SLUG)]
    assert actions == ["case.submit", "case.accept"]


async def test_the_summary_reminder_counts_on_a_real_database(uow_factory: Any) -> None:
    from services import summaries
    from services.ports import Outbound
    from tests.conftest import FixedClock

    await import_network(uow_factory(), sparring_network())
    day_after = FixedClock(datetime(2024, 3, 15, 9, tzinfo=UTC))
    three_days = FixedClock(datetime(2024, 3, 18, 9, tzinfo=UTC))
    assert await summaries.summary_reminder_due(uow_factory(), day_after, SLUG, 1)

    class Quiet:
        async def send(self, ref: object, message: Outbound) -> str:
            return "x"

        async def update(self, ref: object, activity_id: str, message: Outbound) -> None:
            return None

    def render(state: object) -> Outbound:
        return Outbound(text="remember")

    await summaries.remind_summary(uow_factory(), day_after, Quiet(), SLUG, 1, render)  # type: ignore[arg-type]
    assert not await summaries.summary_reminder_due(uow_factory(), day_after, SLUG, 1)
    assert await summaries.summary_reminder_due(uow_factory(), three_days, SLUG, 1)
    async with uow_factory() as uow:
        stored = await uow.summaries.get(SLUG, 1)
    assert stored is not None and stored.reminders == 1 and not stored.posted
