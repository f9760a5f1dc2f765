"""The network's final evaluation on SQLite and PostgreSQL: opened once, sent once, anonymous."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from docx import Document
from sqlalchemy import inspect

from bot.features.cadence.messages import cadence_renderer
from domain.cadence import StepKind, final_step, plan
from domain.errors import InvalidInput, NotAllowed
from domain.final_evaluation import FinalAnswer, clean_final, final_aggregate
from netpuls.i18n import translator
from services import cadence, conversations, final_evaluation, networks, outbox, report
from services.network_file import NetworkFileError, load_network_file, parse_network_file
from services.ports import Outbound
from services.report_docx import report_docx
from tests.conftest import EXAMPLES, FixedClock
from tests.fakes import FakeDirectory, FakeSender
from tests.support.cadence_messages import step_messages
from tests.support.networks import SMALL
from tests.support.sparring import (
    EMAILS,
    FACILITATOR,
    HOST,
    KOEGE,
    ODENSE,
    SECRETARIAT,
    SLUG,
    personal_ref,
    sparring_network,
)

ROSTER = FakeDirectory(EMAILS)
NOW = FixedClock(datetime(2024, 6, 1, 12, tzinfo=UTC))
# Meeting 2 of the small network is on 30 May 2024: the final evaluation a week later, 09:00.
DUE = FixedClock(datetime(2024, 6, 6, 7, 0, tzinfo=UTC))
render = cadence_renderer(
    step_messages(lambda state: Outbound(text=f"agenda card {state.meeting.number}"))
)
GOOD = {"usefulness": "5", "take_home": "Grønne gårdrum", "recommend": "yes", "comment": ""}


def card(network: Any) -> Outbound:
    return Outbound(text=f"final evaluation of {network.slug}")


async def members_with_chats(uow_factory: Any) -> None:
    """The small network; Odense's and Køge's planners have a personal chat, the host has none."""
    await networks.import_network(uow_factory(), sparring_network())
    for user in ("29:odense", "29:koege"):
        await conversations.record_conversation(uow_factory(), personal_ref(user))
        async with uow_factory() as uow:
            await uow.people.remember_teams_ids(
                EMAILS[user], teams_user_id=user, aad_object_id=None
            )
            await uow.commit()


async def delivered(uow_factory: Any, clock: FixedClock) -> list[tuple[str, Outbound]]:
    sender = FakeSender()
    await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
    return sender.delivered


async def audit(uow_factory: Any) -> list[tuple[str, str]]:
    async with uow_factory() as uow:
        return [(e.actor, e.action) for e in await uow.audit.entries(SLUG)]


def test_the_final_evaluation_comes_a_week_after_the_last_meeting_or_on_the_declared_day() -> None:
    declared = sparring_network()
    step = final_step(declared.network, list(declared.meetings))
    assert step is not None and step.key == f"{SLUG}:final_evaluation:2024-06-06"
    assert step.due == datetime(2024, 6, 6, 9, 0, tzinfo=declared.network.zone)
    assert step in plan(declared.network, list(declared.meetings))
    skl = load_network_file(EXAMPLES / "skl-medborgardialog.yaml", today=date(2015, 11, 1))
    assert skl.network.cadence.final_evaluation == date(2018, 4, 25)
    skl_step = final_step(skl.network, list(skl.meetings))
    assert skl_step is not None and skl_step.due.date() == date(2018, 4, 25)
    assert skl_step.kind is StepKind.FINAL_EVALUATION


def test_a_final_evaluation_outside_the_networks_period_is_an_import_error() -> None:
    text = SMALL.replace("  seats: 25\n", "  seats: 25\n  final_evaluation: 2027-01-10\n")
    with pytest.raises(NetworkFileError) as refused:
        parse_network_file(text, name="small.yaml", today=date(2024, 3, 1))
    assert refused.value.field == "network.final_evaluation"
    assert "within the network's period" in refused.value.message


async def test_the_facilitator_opens_it_and_each_member_with_a_chat_gets_one_card(
    uow_factory: Any,
) -> None:
    await members_with_chats(uow_factory)
    with pytest.raises(NotAllowed):
        await final_evaluation.open_final(uow_factory(), NOW, SLUG, ODENSE, ROSTER, card)
    opened = await final_evaluation.open_final(uow_factory(), NOW, SLUG, FACILITATOR, ROSTER, card)
    assert (opened.queued, opened.unreachable, opened.first) == (2, 1, True)  # the host: no chat
    again = await final_evaluation.open_final(uow_factory(), NOW, SLUG, SECRETARIAT, ROSTER, card)
    assert (again.queued, again.first) == (0, False)
    sent = await delivered(uow_factory, NOW)
    assert sorted(c for c, _ in sent) == ["a:personal-29:koege", "a:personal-29:odense"]
    assert await delivered(uow_factory, NOW) == []
    assert await audit(uow_factory) == [
        ("planner.odense@example.org", "refused.final_evaluation"),
        ("facilitator@example.org", "final_evaluation.open"),
        ("secretariat@example.org", "final_evaluation.open"),
    ]


async def test_the_cadence_sends_it_once_even_with_two_replicas_at_the_same_minute(
    uow_factory: Any,
) -> None:
    await members_with_chats(uow_factory)
    await cadence.sync_all(uow_factory)
    reports = await asyncio.gather(
        cadence.run_due(uow_factory, DUE, render, "replica-1", timedelta(hours=24)),
        cadence.run_due(uow_factory, DUE, render, "replica-2", timedelta(hours=24)),
    )
    finals = [k for r in reports for k in r.done if ":final_evaluation:" in k]
    assert finals == [f"{SLUG}:final_evaluation:2024-06-06"]
    sent = await delivered(uow_factory, DUE)  # nothing else is due within the grace window
    assert sorted(c for c, _ in sent) == ["a:personal-29:koege", "a:personal-29:odense"]
    card_json = str(next(m.card for c, m in sent if c == "a:personal-29:odense"))
    assert "Slutevaluering: Kompakte, grønne byer" in card_json  # the network's language
    # Opening it by hand afterwards sends nobody a second card.
    later = await final_evaluation.open_final(uow_factory(), DUE, SLUG, FACILITATOR, ROSTER, card)
    assert (later.queued, later.first) == (0, False)
    await final_evaluation.answer_final(uow_factory(), SLUG, ODENSE, ROSTER, dict(GOOD))


async def test_opened_by_hand_first_the_cadence_step_sends_nothing_more(uow_factory: Any) -> None:
    await members_with_chats(uow_factory)
    await cadence.sync_all(uow_factory)
    await final_evaluation.open_final(uow_factory(), NOW, SLUG, FACILITATOR, ROSTER, card)
    first = await delivered(uow_factory, NOW)
    report_ = await cadence.run_due(uow_factory, DUE, render, "w", timedelta(hours=24))
    assert all(":final_evaluation:" not in k for k in report_.done)
    assert [c for c, _ in await delivered(uow_factory, DUE) if "personal" in c] == []
    assert len(first) == 2
    async with uow_factory() as uow:
        steps = await uow.cadence.upcoming(
            SLUG, datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 6, 30, tzinfo=UTC)
        )
    (step,) = [s for s in steps if s.kind == StepKind.FINAL_EVALUATION.value]
    assert step.status == "done"


async def test_members_answer_once_and_organisers_see_totals_only_from_the_minimum(
    uow_factory: Any,
) -> None:
    await members_with_chats(uow_factory)
    with pytest.raises(InvalidInput) as closed:
        await final_evaluation.answer_final(uow_factory(), SLUG, ODENSE, ROSTER, dict(GOOD))
    assert closed.value.msgid == "The final evaluation is not open yet."
    await final_evaluation.open_final(uow_factory(), NOW, SLUG, FACILITATOR, ROSTER, card)
    for bad in ({"usefulness": "7"}, {"recommend": "maybe"}, {"take_home": "x" * 2001}):
        with pytest.raises(InvalidInput):
            await final_evaluation.answer_final(
                uow_factory(), SLUG, ODENSE, ROSTER, {**GOOD, **bad}
            )
    with pytest.raises(NotAllowed):  # runs the network, is no member municipality
        await final_evaluation.answer_final(uow_factory(), SLUG, FACILITATOR, ROSTER, dict(GOOD))
    await final_evaluation.answer_final(uow_factory(), SLUG, ODENSE, ROSTER, dict(GOOD))
    with pytest.raises(InvalidInput) as twice:
        await final_evaluation.answer_final(uow_factory(), SLUG, ODENSE, ROSTER, dict(GOOD))
    assert twice.value.msgid == final_evaluation.ALREADY
    no: dict[str, object] = {"usefulness": "2", "recommend": "no", "comment": "For lidt tid"}
    await final_evaluation.answer_final(uow_factory(), SLUG, KOEGE, ROSTER, no)
    withheld = await final_evaluation.final_results(uow_factory(), NOW, SLUG, FACILITATOR, ROSTER)
    assert withheld.results is not None and withheld.results.withheld
    assert (withheld.results.answers, withheld.results.take_home) == (2, ())
    with pytest.raises(NotAllowed):
        await final_evaluation.final_results(uow_factory(), NOW, SLUG, ODENSE, ROSTER)
    await final_evaluation.answer_final(uow_factory(), SLUG, HOST, ROSTER, dict(GOOD))
    shown = await final_evaluation.final_results(uow_factory(), NOW, SLUG, SECRETARIAT, ROSTER)
    totals = shown.results
    assert totals is not None and not totals.withheld
    assert (totals.answers, totals.counts, totals.recommend_yes, totals.recommend_no) == (
        3,
        (0, 1, 0, 0, 2),
        2,
        1,
    )
    assert totals.take_home == ("Grønne gårdrum", "Grønne gårdrum")
    assert totals.comments == ("For lidt tid",) and totals.mean == 4.0
    assert ("secretariat@example.org", "final_evaluation.view") in await audit(uow_factory)


async def test_a_final_answer_is_stored_without_anything_that_points_at_a_person(
    engine: Any,
) -> None:
    async with engine.connect() as conn:
        columns = await conn.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("final_evaluation_answers")}
        )
    assert columns == {"id", "network_id", "score", "take_home", "recommend", "comment"}


async def test_the_report_has_a_final_evaluation_chapter_that_keeps_the_minimum(
    uow_factory: Any,
) -> None:
    await members_with_chats(uow_factory)
    before = await report.build_report(uow_factory(), NOW, SLUG, None, None)
    assert before.final is None and "Slutevaluering" not in report.report_markdown(
        before, translator("da")
    )
    await final_evaluation.open_final(uow_factory(), NOW, SLUG, FACILITATOR, ROSTER, card)
    await final_evaluation.answer_final(uow_factory(), SLUG, ODENSE, ROSTER, dict(GOOD))
    await final_evaluation.answer_final(uow_factory(), SLUG, KOEGE, ROSTER, dict(GOOD))
    t = translator("en")
    few = await report.build_report(uow_factory(), NOW, SLUG, FACILITATOR, ROSTER)
    md = report.report_markdown(few, t)
    assert "## Final evaluation" in md and "- Final evaluation" in md
    assert "2 answer(s) so far; totals are shown from 3" in md and "gårdrum" not in md
    enough = await report.build_report(uow_factory(), NOW, SLUG, None, None, min_answers=2)
    md = report.report_markdown(enough, t)
    assert "2 answer(s); average usefulness 5.0 of 5" in md
    assert "Would recommend the network: 2 yes, 0 no" in md and "> Grønne gårdrum" in md
    doc = Document(io.BytesIO(report_docx(enough, t)))
    texts = [p.text for p in doc.paragraphs]
    assert "Final evaluation" in texts and "What the municipalities take home" in texts
    assert "Grønne gårdrum" in texts


def test_final_answers_are_checked_and_totals_sorted_so_their_order_tells_nothing() -> None:
    assert clean_final(4, " Noget ", "no", "") == FinalAnswer(4, "Noget", False, "")
    with pytest.raises(InvalidInput):
        clean_final(None, "", "yes", "")
    answers = [FinalAnswer(5, "b", True), FinalAnswer(3, "a", False, "z"), FinalAnswer(4, "", True)]
    totals = final_aggregate(answers, 3)
    assert (totals.take_home, totals.comments, totals.mean) == (("a", "b"), ("z",), 4.0)
    assert final_aggregate(answers, 4).withheld and final_aggregate(answers, 4).mean is None
