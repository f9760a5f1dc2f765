"""Export and erasure of one person's data, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.features.questions.views import question_view
from domain.membership import Call
from domain.model import chat_to_open, person_to_reach
from domain.privacy import ErasureRefused, UnknownSubject
from netpuls.i18n import translator
from services import privacy
from services.ports import NewDelivery, Outbound
from services.questions import QuestionState
from services.report import gather, report_markdown
from tests.conftest import FixedClock
from tests.support.privacy import (
    CASE_TITLE,
    DIET,
    EMAIL,
    KEY_POINTS,
    NAME,
    TEAMS_ID,
    dump,
    seed,
)
from tests.support.sparring import AFTER, BEFORE, SLUG, channel_ref

CLI = "cli"


def _forms(value: str) -> list[str]:
    return [value.casefold(), json.dumps(value)[1:-1].casefold()]


def _absent(everything: str, *values: str) -> list[str]:
    return [v for v in values if any(f in everything for f in _forms(v))]


async def test_an_export_holds_the_persons_dietary_need_case_and_application(
    uow_factory: Any,
) -> None:
    await seed(uow_factory)
    document = await privacy.export(uow_factory, AFTER, email=EMAIL, actor=CLI)
    tables = document["tables"]
    assert [r["dietary"] for r in tables["rsvps"]] == [DIET]
    assert [r["title"] for r in tables["cases"]] == [CASE_TITLE]
    assert tables["applications"][0]["email"] == EMAIL
    assert tables["application_versions"]
    assert tables["material"][0]["shared_by"] == EMAIL
    assert tables["questions"][0]["asker_key"] == EMAIL
    assert tables["people"][0]["name"] == NAME
    assert json.loads(json.dumps(document)) == document


async def test_an_export_by_teams_id_finds_the_same_person(uow_factory: Any) -> None:
    await seed(uow_factory)
    by_mail = await privacy.export(uow_factory, AFTER, email=EMAIL, actor=CLI)
    by_teams = await privacy.export(uow_factory, AFTER, teams_user_id=TEAMS_ID, actor=CLI)
    assert by_teams["tables"]["people"] == by_mail["tables"]["people"]


async def test_nobody_known_is_refused(uow_factory: Any) -> None:
    await seed(uow_factory)
    with pytest.raises(UnknownSubject):
        await privacy.export(uow_factory, AFTER, email="nobody@example.org", actor=CLI)


async def test_after_erasure_the_database_holds_no_email_name_or_diet_and_the_report_renders(
    uow_factory: Any, engine: AsyncEngine
) -> None:
    await seed(uow_factory)
    assert len(_absent(await dump(engine), EMAIL, NAME, DIET)) == 3  # the check can fail

    erasure = await privacy.erase(uow_factory, AFTER, email=EMAIL, actor=CLI)

    assert erasure.counts["people"] == 1
    assert _absent(await dump(engine), EMAIL, NAME, DIET, TEAMS_ID) == []
    async with uow_factory() as uow:
        report = await gather(uow, SLUG, AFTER.now())
        cases = await uow.cases.for_network(SLUG)
        summary = await uow.summaries.get(SLUG, 1)
    markdown = report_markdown(report, translator("da"))
    assert CASE_TITLE in markdown and KEY_POINTS in markdown
    assert [c.municipality for c in cases] == ["odense"]
    assert summary is not None and summary.key_points == KEY_POINTS


async def test_erasure_is_audited_without_the_person(uow_factory: Any, engine: AsyncEngine) -> None:
    await seed(uow_factory)
    await privacy.erase(uow_factory, AFTER, email=EMAIL, actor=EMAIL)
    async with uow_factory() as uow:
        trail = await uow.audit.entries(SLUG)
    erased = [e for e in trail if e.action == privacy.ERASE]
    assert [e.actor for e in erased] == ["erased"]
    assert [e.action for e in trail if e.subject == "" and e.actor == "erased"] == ["case.submit"]
    assert _absent(await dump(engine), EMAIL, NAME) == []


async def test_erasure_is_refused_while_a_call_they_applied_to_is_open(
    uow_factory: Any, engine: AsyncEngine
) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        deadline = AFTER.now().date().replace(year=AFTER.now().year + 1)
        await uow.membership.save_call(SLUG, Call(deadline=deadline, opened_at=AFTER.now()), by=CLI)
        await uow.commit()
    before = await dump(engine)
    with pytest.raises(ErasureRefused) as refused:
        await privacy.erase(uow_factory, AFTER, email=EMAIL, actor=CLI)
    assert refused.value.params == {"network": SLUG}
    assert await dump(engine) == before


async def test_after_the_call_closes_the_application_is_deleted(uow_factory: Any) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        await uow.membership.save_call(
            SLUG, Call(deadline=AFTER.now().date().replace(day=1), opened_at=AFTER.now()), by=CLI
        )
        await uow.commit()
    erasure = await privacy.erase(uow_factory, FixedClock(AFTER.now()), email=EMAIL, actor=CLI)
    assert erasure.counts["applications"] == 1


async def test_a_municipality_leaving_takes_its_people_and_application_with_it(
    uow_factory: Any, engine: AsyncEngine
) -> None:
    await seed(uow_factory)
    erasure = await privacy.erase_municipality(
        uow_factory, AFTER, slug=SLUG, municipality="odense", actor=CLI
    )
    assert erasure.counts["people"] >= 2  # the planner and the host contact
    everything = await dump(engine)
    assert _absent(everything, EMAIL, NAME, DIET, "host.odense@example.org", "Vært Odense") == []
    assert "planner.koege@example.org" in everything


async def test_an_erased_askers_question_reads_from_a_participant_of_their_municipality(
    uow_factory: Any,
) -> None:
    await seed(uow_factory)
    await privacy.erase(uow_factory, AFTER, email=EMAIL, actor=CLI)
    async with uow_factory() as uow:
        network = await uow.networks.get(SLUG)
        question = await uow.questions.get(SLUG, 1)
        towns = {m.key: m.name for m in await uow.networks.municipalities(SLUG)}
    assert network is not None and question is not None
    view = question_view(QuestionState(network, question, towns), translator("da"))
    assert view.asker == "en deltager fra Odense Kommune"


async def test_answers_to_coming_meetings_go_and_past_ones_stay_for_the_counts(
    uow_factory: Any,
) -> None:
    await seed(uow_factory)
    before = await privacy.erase(uow_factory, BEFORE, email=EMAIL, actor=CLI)
    assert before.counts["answers to coming meetings"] == 1
    async with uow_factory() as uow:
        assert await uow.rsvps.for_meeting(SLUG, 1) == []


async def test_an_answer_to_a_meeting_held_stays_without_its_diet(uow_factory: Any) -> None:
    await seed(uow_factory)
    after = await privacy.erase(uow_factory, AFTER, email=EMAIL, actor=CLI)
    assert "answers to coming meetings" not in after.counts
    async with uow_factory() as uow:
        (kept,) = await uow.rsvps.for_meeting(SLUG, 1)
    assert kept.dietary == "" and kept.municipality == "odense"


async def test_a_message_waiting_for_a_chat_to_open_goes_with_the_person(
    uow_factory: Any, engine: AsyncEngine
) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        channel = channel_ref()
        await uow.conversations.save(channel)
        await uow.conversations.link(channel.conversation_id, SLUG)
        person = await uow.people.find(email=EMAIL)
        assert person is not None
        to_open = chat_to_open(person.key, channel)
        message = Outbound(text="Du har fået en plads")
        item = NewDelivery(
            key=f"x|{to_open.conversation_id}", ref=to_open, message=message, network=SLUG
        )
        assert await uow.outbox.enqueue([item], AFTER.now()) == 1
        await uow.commit()

    await privacy.erase(uow_factory, AFTER, email=EMAIL, actor=CLI)

    assert _absent(await dump(engine), EMAIL, person.key) == []
    async with uow_factory() as uow:  # nothing is left to be sent to someone who is gone
        left = await uow.outbox.listing(None, ("pending", "waiting"))
    assert [d.key for d in left if person_to_reach(d.conversation_id)] == []
