"""Summaries only for meetings that have begun; the report marks meetings not yet held."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from docx import Document

from domain.errors import InvalidInput
from netpuls.i18n import translator
from services import cases, report, summaries
from services.report_docx import report_docx
from tests.fakes import FakeNotifier
from tests.support.sparring import BEFORE, CASE, DURING, FACILITATOR, KEY, ODENSE, SLUG
from tests.test_summary_posting import ROSTER, linked, render


async def save(uow_factory: Any, clock: Any, notifier: FakeNotifier, *, post: bool) -> Any:
    return await summaries.save_summary(
        uow_factory(),
        clock,
        notifier,
        KEY,
        FACILITATOR,
        ROSTER,
        {"key_points": "Fortætning og grønt"},
        post=post,
        render=render,
    )


async def test_a_summary_cannot_be_posted_before_its_meeting_begins_but_can_be_drafted(
    uow_factory: Any,
) -> None:
    await linked(uow_factory)
    notifier = FakeNotifier()
    with pytest.raises(InvalidInput) as refused:
        await save(uow_factory, BEFORE, notifier, post=True)
    danish = translator("da")(refused.value.msgid, **refused.value.params)
    assert danish.startswith("Møde 1 er ikke begyndt endnu (det begynder 14. marts 2024 10:00)")
    assert notifier.sent == []
    async with uow_factory() as uow:
        assert await uow.summaries.get(SLUG, 1) is None  # nothing changed
    draft = await save(uow_factory, BEFORE, notifier, post=False)
    assert not draft.state.summary.posted
    posted = await save(uow_factory, DURING, notifier, post=True)  # the meeting is on
    assert posted.state.summary.posted and len(notifier.sent) == 1


async def test_the_report_marks_a_meeting_not_yet_held(uow_factory: Any) -> None:
    await linked(uow_factory)
    await save(uow_factory, DURING, FakeNotifier(), post=True)
    # Meeting 2 (30 May) gets a chapter once a case is accepted for it: it is not held yet.
    case = await cases.submit_case(uow_factory(), BEFORE, ODENSE, ROSTER, SLUG, "2", dict(CASE))
    await cases.decide_case(uow_factory(), BEFORE, FACILITATOR, ROSTER, case.id, "accept", {})
    async with uow_factory() as uow:
        built = await report.gather(uow, SLUG, datetime(2024, 3, 15, 12, tzinfo=UTC))
    assert {c.meeting.number: c.held for c in built.chapters} == {1: True, 2: False}
    t = translator("da")
    markdown = report.report_markdown(built, t)
    assert markdown.count("endnu ikke afholdt") == 1
    assert "30. maj 2024 · Køge Kommune · Sjælland · endnu ikke afholdt" in markdown
    doc = Document(io.BytesIO(report_docx(built, t)))
    marked = [p.text for p in doc.paragraphs if "endnu ikke afholdt" in p.text]
    assert marked == ["30. maj 2024 · Køge Kommune · Sjælland · endnu ikke afholdt"]
