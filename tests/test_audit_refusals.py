"""Refusals' audit entries: written with the injected clock, and never in the way of the answer.

A refusal is recorded in its own small commit with the time of the services' Clock (a test's
fixed clock, a replica's clock), not the machine's. If the audit store fails, the reader is
still refused with the localized reason, and the log says so without naming the person.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from domain.errors import NotAllowed
from domain.sparring import AuditEntry
from services import admission, networks, summaries
from services.networks import Actor
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeStore, FakeUnitOfWork
from tests.support import applications as ex
from tests.support.sparring import EMAILS, KEY, ODENSE, SLUG, sparring_network

LONG_AGO = FixedClock(datetime(2016, 1, 20, 9, tzinfo=UTC))  # far from the machine's time
ROSTER = FakeDirectory(EMAILS)


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    store = FakeStore()
    await networks.import_network(FakeUnitOfWork(store), sparring_network())
    return FakeUnitOfWork(store)


async def refusals(uow: FakeUnitOfWork, slug: str) -> list[AuditEntry]:
    async with uow:
        return [e for e in await uow.audit.entries(slug) if e.action.startswith("refused.")]


async def test_a_refused_summary_is_audited_at_the_injected_clocks_time(
    uow: FakeUnitOfWork,
) -> None:
    with pytest.raises(NotAllowed):
        await summaries.open_summary(uow, LONG_AGO, KEY, ODENSE, ROSTER)
    assert [e.at for e in await refusals(uow, SLUG)] == [LONG_AGO.now()]


async def test_a_refused_fee_listing_is_audited_at_the_injected_clocks_time() -> None:
    uow = FakeUnitOfWork(FakeStore())
    await networks.import_network(uow, ex.skl())
    stranger = Actor(teams_user_id="29:someone")
    roster = FakeDirectory({"29:someone": "someone.malmo@example.org"})
    with pytest.raises(NotAllowed):
        await admission.fee_lines(uow, LONG_AGO, "a:skl", stranger, roster)
    slug = ex.skl().network.slug
    assert [e.at for e in await refusals(uow, slug)] == [LONG_AGO.now()]


async def test_a_refusal_is_answered_when_its_audit_entry_cannot_be_written(
    uow: FakeUnitOfWork, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(entry: AuditEntry) -> None:
        raise RuntimeError("the audit store is down")

    uow.audit.record = broken  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING), pytest.raises(NotAllowed) as refused:
        await summaries.open_summary(uow, LONG_AGO, KEY, ODENSE, ROSTER)
    assert "facilitator or the secretariat" in refused.value.msgid
    logged = caplog.text
    assert "not recorded" in logged
    assert ODENSE.teams_user_id not in logged
    assert not any(email in logged for email in EMAILS.values())
