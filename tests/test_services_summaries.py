"""Summaries, reminders, evaluations and the report against in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.rsvp import Answer, Rsvp, Standing
from netpuls.i18n import translator
from services import cases, conversations, evaluations, networks, report, summaries
from services.ports import Outbound
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeNotifier, FakeStore, FakeUnitOfWork
from tests.fakes_sparring import sparring_state
from tests.support.sparring import (
    AFTER,
    BEFORE,
    CASE,
    CHANNEL,
    EMAILS,
    FACILITATOR,
    HOST,
    KEY,
    KOEGE,
    ODENSE,
    SECRETARIAT,
    SLUG,
    channel_ref,
    personal_ref,
    sparring_network,
)

ROSTER = FakeDirectory(EMAILS)
CLOCK = FixedClock(datetime(2024, 3, 20, 9, tzinfo=UTC))
TEXT = {
    "key_points": "Tæt og grønt",
    "good_advice": "Start tidligt",
    "experiences": "",
    "next_steps": "Køge",
}


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
async def uow(store: FakeStore) -> FakeUnitOfWork:
    await networks.import_network(FakeUnitOfWork(store), sparring_network())
    await conversations.record_conversation(FakeUnitOfWork(store), channel_ref())
    await FakeUnitOfWork(store).conversations.link(CHANNEL, SLUG)
    return FakeUnitOfWork(store)


def render(state: summaries.SummaryState) -> Outbound:
    return Outbound(text=f"summary {state.key}: {state.summary.key_points}")


async def save(
    uow: FakeUnitOfWork,
    notifier: FakeNotifier,
    *,
    post: bool,
    who: object = FACILITATOR,
    **fields: object,
) -> summaries.Saved:
    return await summaries.save_summary(
        uow,
        AFTER,
        notifier,
        KEY,
        who,
        ROSTER,
        {**TEXT, **fields},
        post=post,
        render=render,  # type: ignore[arg-type]
    )


async def test_a_draft_is_kept_without_posting_and_only_organisers_write_it(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    notifier = FakeNotifier()
    saved = await save(uow, notifier, post=False)
    assert (saved.created, saved.updated) == (0, 0) and notifier.sent == []
    assert not saved.state.summary.posted and saved.state.summary.key_points == "Tæt og grønt"
    opened = await summaries.open_summary(uow, CLOCK, KEY, SECRETARIAT, ROSTER)
    assert opened.summary.good_advice == "Start tidligt"
    for who in (ODENSE, HOST):
        with pytest.raises(NotAllowed) as refused:
            await summaries.open_summary(uow, CLOCK, KEY, who, ROSTER)
        assert "facilitator or the secretariat" in refused.value.msgid


async def test_posting_replies_in_the_agendas_thread_and_editing_updates_that_post(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    await uow.posted.remember("agenda", SLUG, 1, CHANNEL, "agenda-7")
    notifier = FakeNotifier()
    posted = await save(uow, notifier, post=True)
    assert (posted.created, posted.updated) == (1, 0)
    thread = f"{CHANNEL};messageid=agenda-7"
    assert notifier.sent == [(thread, Outbound(text=f"summary {KEY}: Tæt og grønt"))]
    edited = await save(uow, notifier, post=False, key_points="Rettet")
    assert (edited.created, edited.updated) == (0, 1)
    assert notifier.updated == [(thread, "activity-1", Outbound(text=f"summary {KEY}: Rettet"))]
    actions = [e.action for e in sparring_state(store).audit]
    assert actions == ["summary.post", "summary.edit"]


async def test_without_an_agenda_the_summary_starts_its_own_thread(uow: FakeUnitOfWork) -> None:
    notifier = FakeNotifier()
    await save(uow, notifier, post=True)
    assert [c for c, _ in notifier.sent] == [CHANNEL]


async def test_posting_without_a_linked_channel_is_refused_and_nothing_is_posted(
    store: FakeStore,
) -> None:
    uow = FakeUnitOfWork(store)
    await networks.import_network(uow, sparring_network())
    with pytest.raises(NotFound):
        await save(uow, FakeNotifier(), post=True)
    assert sparring_state(store).summaries == {}


async def test_over_long_fields_and_per_case_notes_are_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidInput):
        await save(uow, FakeNotifier(), post=False, good_advice="g" * 3001)
    case = await cases.submit_case(uow, BEFORE, ODENSE, ROSTER, SLUG, "1", dict(CASE))
    await cases.decide_case(uow, BEFORE, FACILITATOR, ROSTER, case.id, "accept", {})
    with pytest.raises(InvalidInput):
        await save(uow, FakeNotifier(), post=False, case_notes={case.id: "n" * 1001})
    saved = await save(uow, FakeNotifier(), post=False, case_notes={case.id: "Godt", 99: "x"})
    assert saved.state.summary.case_notes == ((case.id, "Godt"),)


async def test_the_reminder_starts_the_day_after_and_stops_after_three_or_when_posted(
    uow: FakeUnitOfWork,
) -> None:
    await summaries.open_summary(uow, CLOCK, KEY, FACILITATOR, ROSTER)  # teams ids remembered
    await conversations.record_conversation(uow, personal_ref("29:fac"))
    notifier = FakeNotifier()

    def at(day: int, hour: int = 9) -> FixedClock:
        return FixedClock(datetime(2024, 3, day, hour, tzinfo=UTC))

    told = [
        await summaries.remind_summary(uow, at(day), notifier, SLUG, 1, render)
        for day in (14, 15, 16, 18, 21, 24, 27)
    ]
    assert told == [0, 1, 0, 1, 1, 0, 0]
    assert len(notifier.sent) == 3  # the 15th, 18th and 21st; then never again
    assert await summaries.summary_reminder_due(uow, at(21), SLUG, 2) is False


async def test_a_posted_summary_is_not_reminded(uow: FakeUnitOfWork) -> None:
    await save(uow, FakeNotifier(), post=True)
    assert not await summaries.summary_reminder_due(uow, AFTER, SLUG, 1)


async def attend(store: FakeStore, who: str) -> None:
    person = store.people[who]
    store.rsvps.setdefault((SLUG, 1), {})[who] = Rsvp(
        who,
        person.name,
        person.municipality or "",
        "",
        Answer.ATTENDING,
        Standing.CONFIRMED,
        datetime(2024, 3, 1, tzinfo=UTC),
    )


async def test_attendees_evaluate_once_and_the_facilitator_sees_only_totals(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    await attend(store, "planner.odense@example.org")
    await attend(store, "planner.koege@example.org")
    with pytest.raises(InvalidInput):  # before the meeting
        await evaluations.evaluate(uow, BEFORE, KEY, ODENSE, ROSTER, "4", "")
    await evaluations.evaluate(uow, AFTER, KEY, ODENSE, ROSTER, "4", "Godt møde")
    await evaluations.evaluate(uow, AFTER, KEY, KOEGE, ROSTER, 2, "")
    with pytest.raises(InvalidInput):
        await evaluations.evaluate(uow, AFTER, KEY, ODENSE, ROSTER, "5", "")
    with pytest.raises(NotAllowed):  # did not attend
        await evaluations.evaluate(uow, AFTER, KEY, HOST, ROSTER, "5", "")
    for score in ("0", "6", "x", None):
        with pytest.raises(InvalidInput):
            await evaluations.evaluate(uow, AFTER, KEY, ODENSE, ROSTER, score, "")
    results = (
        await evaluations.evaluation_results(uow, AFTER, KEY, FACILITATOR, ROSTER, min_answers=2)
    ).results
    assert results is not None
    assert (results.answers, results.counts, results.mean) == (2, (0, 1, 0, 1, 0), 3.0)
    assert results.comments == ("Godt møde",)
    with pytest.raises(NotAllowed):
        await evaluations.evaluation_results(uow, AFTER, KEY, ODENSE, ROSTER)
    # Who answered is kept only to refuse a second answer, apart from the answers.
    state = sparring_state(store)
    assert state.answers[(SLUG, 1)] == [(4, "Godt møde"), (2, "")]
    assert all("@" not in str(answer) for answer in state.answers[(SLUG, 1)])


async def test_below_the_minimum_the_facilitator_sees_only_how_many_answered(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    await attend(store, "planner.odense@example.org")
    await attend(store, "planner.koege@example.org")
    await evaluations.evaluate(uow, AFTER, KEY, ODENSE, ROSTER, "1", "Skuffende")
    await evaluations.evaluate(uow, AFTER, KEY, KOEGE, ROSTER, "5", "")
    withheld = (await evaluations.evaluation_results(uow, AFTER, KEY, FACILITATOR, ROSTER)).results
    assert withheld is not None and withheld.withheld
    assert (withheld.answers, withheld.shown_from) == (2, 3)
    assert (withheld.counts, withheld.comments, withheld.mean) == ((0, 0, 0, 0, 0), (), None)
    shown = (
        await evaluations.evaluation_results(uow, AFTER, KEY, SECRETARIAT, ROSTER, min_answers=2)
    ).results
    assert shown is not None and not shown.withheld and shown.comments == ("Skuffende",)
    built = await report.build_report(uow, AFTER, SLUG, None, None)
    md = report.report_markdown(built, translator("en"))
    assert "2 answer(s) so far; totals are shown from 3" in md and "Skuffende" not in md
    views = [e.action for e in sparring_state(store).audit if e.action == "evaluation.view"]
    assert views == ["evaluation.view", "evaluation.view"]


async def test_the_evaluation_card_goes_to_attendees_with_a_chat_who_have_not_answered(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    await attend(store, "planner.odense@example.org")
    await attend(store, "planner.koege@example.org")
    await evaluations.evaluation_form(uow, AFTER, KEY, ODENSE, ROSTER)  # ids remembered
    await conversations.record_conversation(uow, personal_ref("29:odense"))
    notifier = FakeNotifier()
    sent = await evaluations.send_evaluations(
        uow, AFTER, notifier, SLUG, 1, lambda s: Outbound(text=s.key)
    )
    assert (sent.sent, sent.unreachable) == (1, 1)
    assert notifier.sent == [("a:personal-29:odense", Outbound(text=KEY))]


async def test_the_report_holds_posted_summaries_accepted_cases_and_evaluations(
    uow: FakeUnitOfWork, store: FakeStore
) -> None:
    case = await cases.submit_case(uow, BEFORE, ODENSE, ROSTER, SLUG, "1", dict(CASE))
    declined = await cases.submit_case(
        uow, BEFORE, KOEGE, ROSTER, SLUG, "1", {**CASE, "title": "Nej"}
    )
    await cases.decide_case(uow, BEFORE, FACILITATOR, ROSTER, case.id, "accept", {})
    await cases.decide_case(uow, BEFORE, FACILITATOR, ROSTER, declined.id, "decline", {})
    await cases.attach_notes(uow, AFTER, FACILITATOR, ROSTER, case.id, "Noter fra sparringen")
    await save(uow, FakeNotifier(), post=True)
    built = await report.build_report(uow, AFTER, SLUG, FACILITATOR, ROSTER)
    (chapter,) = built.chapters  # meeting 2 has not begun and has no content
    assert chapter.meeting.number == 1 and chapter.summary is not None
    assert [c.title for c in chapter.cases] == [CASE["title"]]
    assert built.advice() == [(chapter, "Start tidligt")]
    with pytest.raises(NotAllowed):
        await report.build_report(uow, AFTER, SLUG, ODENSE, ROSTER)
    cli = await report.build_report(uow, AFTER, SLUG, None, None)
    assert len(cli.chapters) == 1
    audit = [(e.actor, e.action) for e in sparring_state(store).audit if e.action == "report.build"]
    assert audit == [("facilitator@example.org", "report.build"), ("netpuls-cli", "report.build")]
    with pytest.raises(NotFound):
        await report.build_report(uow, AFTER, "atlantis", None, None)


async def test_a_draft_summary_stays_out_of_the_report(uow: FakeUnitOfWork) -> None:
    await save(uow, FakeNotifier(), post=False)
    (chapter,) = (await report.build_report(uow, AFTER, SLUG, None, None)).chapters
    assert chapter.summary is None
