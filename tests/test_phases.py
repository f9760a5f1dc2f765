"""A network in phases (SKL): the current phase on cards, each phase's start announced once,
phases as chapters of the report, and the application's area idea and working group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.features.cadence.messages import cadence_renderer
from cards.meeting import meeting_view, next_meeting_card
from domain.application_form import read_application, rules_for
from domain.cadence import StepKind
from domain.errors import InvalidInput
from domain.model import ConversationKind, ConversationRef
from domain.phases import phase_of_step, phases_on
from netpuls.i18n import translator
from services import cadence, outbox
from services.networks import import_network
from services.ports import Outbound
from services.report import gather, report_markdown
from services.report_docx import report_docx
from tests.conftest import FixedClock
from tests.fakes import FakeSender
from tests.support import applications as ex
from tests.support.cadence_messages import step_messages

SKL = ex.SKL
CHANNEL = ConversationRef(
    conversation_id="19:skl@thread.tacv2",
    kind=ConversationKind.CHANNEL,
    service_url="http://127.0.0.1:9/",
    channel_id="msteams",
)
SV = translator("sv")
render = cadence_renderer(step_messages(lambda state: Outbound(text="agenda card")))


def test_the_phases_on_a_meeting_day_are_shown_on_the_next_card() -> None:
    declared = ex.skl()
    fifth = next(m for m in declared.meetings if m.number == 5)  # 2017-10-11: phases 3 and 4
    assert [p.number for p in phases_on(declared.phases, fifth.day)] == [3, 4]
    towns = {m.key: m.name for m in declared.municipalities}
    card = str(next_meeting_card(meeting_view(declared.network, fifth, towns, declared.phases), SV))
    assert "Fas 3: Lärande och fortsatt utveckling och genomförande" in card
    assert "Fas 4: Erfarenhetsspridning och utvärdering" in card
    second = next(m for m in declared.meetings if m.number == 2)
    card = str(
        next_meeting_card(meeting_view(declared.network, second, towns, declared.phases), SV)
    )
    assert "Fas 1: Intern kunskapsutveckling" in card and "Fas 2" not in card


def test_a_network_without_phases_shows_none() -> None:
    declared = ex.plan22()
    meeting = declared.meetings[1]
    card = str(next_meeting_card(meeting_view(declared.network, meeting, {}), translator("da")))
    assert "Fase" not in card


async def skl_linked(uow_factory: Any) -> None:
    await import_network(uow_factory(), ex.skl())
    async with uow_factory() as uow:
        await uow.conversations.save(CHANNEL)
        await uow.conversations.link(CHANNEL.conversation_id, SKL)
        await uow.commit()
    await cadence.sync_all(uow_factory)


async def test_each_phase_start_is_announced_in_the_channel_exactly_once(uow_factory: Any) -> None:
    await skl_linked(uow_factory)
    start, end = datetime(2015, 11, 1, tzinfo=UTC), datetime(2018, 7, 1, tzinfo=UTC)
    _, steps = await cadence.preview(uow_factory(), SKL, start, end)
    phase_steps = [s for s in steps if s.kind == StepKind.PHASE_START.value]
    assert [phase_of_step(s.key) for s in phase_steps] == [1, 2, 3, 4]
    second = phase_steps[1]
    assert second.due.astimezone(ex.skl().network.zone) == datetime(
        2016, 6, 1, 9, tzinfo=ex.skl().network.zone
    )
    sender = FakeSender()
    clock = FixedClock(second.due + timedelta(minutes=1))
    for worker in ("replica-1", "replica-2"):  # the second replica finds it done
        await cadence.run_due(uow_factory, clock, render, worker, timedelta(hours=24))
        await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
    texts = [m.text for c, m in sender.delivered if c == CHANNEL.conversation_id]
    announced = [t for t in texts if t.startswith("Fas 2")]
    assert announced == [
        "Fas 2 i Medborgardialog som stöd i platsutveckling börjar 1 juni 2016: Utveckla prototyp "
        "för lokala system och prova medborgardialoger.\n\nKommunen tar fram en första version "
        "av ett lokalt system för medborgardialog och prövar dialoger i det valda området."
    ]


async def test_the_report_has_a_chapter_per_phase_with_its_meetings(uow_factory: Any) -> None:
    await import_network(uow_factory(), ex.skl())
    now = datetime(2016, 7, 1, tzinfo=UTC)  # meetings 1 and 2 held, phase 2 begun
    async with uow_factory() as uow:
        report = await gather(uow, SKL, now)
    parts = [
        (phase.number if phase else None, [c.meeting.number for c in chapters])
        for phase, chapters in report.parts()
    ]
    assert parts == [(1, [1, 2]), (2, [])]  # phase 3 has not begun
    text = report_markdown(report, SV)
    phase1 = text.index("## Fas 1: Intern kunskapsutveckling")
    meeting2 = text.index("## Nätverksmöte 2: Nätverksträff 2")
    phase2 = text.index("## Fas 2: Utveckla prototyp")
    assert phase1 < text.index("## Nätverksmöte 1: Startträff") < meeting2 < phase2
    assert "Fas 3" not in text
    assert report_docx(report, SV)[:2] == b"PK"


def test_the_skl_form_asks_for_the_area_idea_and_a_working_group_of_several_competences() -> None:
    network = ex.skl().network
    assert network.application_requires == ("area_idea", "working_group")
    rules = rules_for(network)
    assert read_application(ex.skl_form(), rules).working_group.count("\n") == 2
    with pytest.raises(InvalidInput) as no_idea:
        read_application({**ex.skl_form(), "area_idea": " "}, rules)
    assert "area" in no_idea.value.msgid
    with pytest.raises(InvalidInput) as one:
        read_application({**ex.skl_form(), "working_group": "Planarkitekt"}, rules)
    assert one.value.params == {"minimum": 2}


def test_a_network_that_does_not_ask_ignores_the_area_idea() -> None:
    rules = rules_for(ex.plan22().network)
    assert rules.requires == ()
    assert read_application({**ex.form(), "area_idea": "x"}, rules).area_idea == ""


def test_the_secretariat_reads_the_area_idea_and_the_working_group_in_the_list() -> None:
    from dataclasses import replace

    from bot.features.membership.views import applications_view
    from cards.membership import applications_card
    from services.membership import Applications, CallState

    network = ex.skl().network
    application = replace(
        read_application(ex.skl_form(), rules_for(network)), submitted_at=ex.SKL_NOW, version=1
    )
    found = Applications(CallState(network, None, False), (application,))
    (line,) = applications_view(found, SV).lines
    assert line.working_group == ("Planarkitekt", "Dialogansvarig", "Landskapsarkitekt")
    card = str(applications_card(applications_view(found, SV), SV))
    assert "Stationsområdet i Lund" in card
    assert "Planarkitekt, Dialogansvarig, Landskapsarkitekt" in card
