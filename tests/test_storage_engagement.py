"""Engagement and the digest on SQLite and PostgreSQL, over a hand-counted history."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from cards.engagement import kind_label
from cards.exports import engagement_csv
from domain.engagement import ActivityKind, DigestFrequency
from netpuls.i18n import translator
from services import cadence
from services.digest import Digest, enqueue_digests
from services.engagement import engagement_of
from services.ports import Outbound
from tests.conftest import FixedClock
from tests.support.engagement import NOW, seed_history
from tests.support.sparring import CHANNEL, SLUG, channel_ref

SEEDED = tuple(ActivityKind)
DAYS_60 = timedelta(days=60)


async def table_at(uow_factory: Any, now: datetime, quiet_after: timedelta = DAYS_60) -> Any:
    return (await engagement_of(uow_factory(), FixedClock(now), SLUG, quiet_after)).table


async def test_engagement_numbers_match_the_hand_counted_history(uow_factory: Any) -> None:
    await seed_history(uow_factory)
    table = await table_at(uow_factory, NOW)
    assert table.kinds == SEEDED
    counted = {r.name: tuple(r.counts[k] for k in SEEDED) for r in table.rows}
    assert counted == {
        "Køge Kommune": (2, 0, 1, 1, 0, 1, 1),
        "Odense Kommune": (2, 2, 1, 1, 1, 0, 1),
        "Svendborg Kommune": (0, 0, 0, 0, 0, 0, 0),
    }
    last = {r.name: r.last_activity for r in table.rows}
    assert last["Køge Kommune"] == datetime(2024, 5, 3, 9, tzinfo=UTC)
    assert last["Odense Kommune"] == datetime(2024, 5, 30, 8, tzinfo=UTC)  # 10:00 CEST
    assert last["Svendborg Kommune"] is None


async def test_only_the_municipality_silent_longer_than_the_threshold_is_quiet(
    uow_factory: Any,
) -> None:
    await seed_history(uow_factory)
    sixty = await table_at(uow_factory, NOW)
    assert [r.name for r in sixty.quiet] == ["Svendborg Kommune"]
    thirty = await table_at(uow_factory, NOW, timedelta(days=30))
    assert [r.name for r in thirty.quiet] == ["Køge Kommune", "Svendborg Kommune"]


async def test_activity_is_counted_per_month_from_the_networks_start(uow_factory: Any) -> None:
    await seed_history(uow_factory)
    table = await table_at(uow_factory, NOW)
    assert table.months == ((2024, 1), (2024, 2), (2024, 3), (2024, 4), (2024, 5), (2024, 6))
    month = {m: tuple(table.per_month[m][k] for k in SEEDED) for m in table.months}
    assert month == {
        (2024, 1): (0, 0, 0, 0, 0, 0, 0),
        (2024, 2): (0, 0, 1, 0, 0, 0, 0),
        (2024, 3): (2, 1, 0, 1, 0, 0, 0),
        (2024, 4): (0, 0, 1, 0, 1, 1, 2),
        (2024, 5): (2, 1, 0, 1, 0, 0, 0),
        (2024, 6): (0, 0, 0, 0, 0, 0, 0),
    }


async def test_a_meeting_that_has_not_begun_is_not_attended_yet(uow_factory: Any) -> None:
    await seed_history(uow_factory)
    before_meeting_2 = await table_at(uow_factory, datetime(2024, 5, 29, 12, tzinfo=UTC))
    odense = next(r for r in before_meeting_2.rows if r.name == "Odense Kommune")
    assert odense.counts[ActivityKind.MEETING_ATTENDED] == 1
    assert odense.counts[ActivityKind.RSVP_ANSWERED] == 2


async def read_csv(uow_factory: Any, language: str) -> list[list[str]]:
    found = await engagement_of(uow_factory(), FixedClock(NOW), SLUG, DAYS_60)
    text = engagement_csv(found.network, found.table, translator(language))
    assert text.startswith("\ufeff")  # UTF-8 with BOM: Excel reads the encoding from it
    dialect = csv.excel if language == "en" else DANISH_EXCEL
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), dialect))


class DANISH_EXCEL(csv.excel):
    delimiter = ";"


async def test_the_csv_has_a_row_per_municipality_with_its_counts_in_danish(
    uow_factory: Any,
) -> None:
    await seed_history(uow_factory)
    header, *lines = await read_csv(uow_factory, "da")
    assert header == [
        "Kommune",
        *(kind_label(k.value, translator("da")) for k in SEEDED),
        "Senest aktiv",
        "Stille",
    ]
    cells = {c for line in (header, *lines) for c in line}
    assert not cells & {"yes", "no", "quiet", "last_activity", *(k.value for k in SEEDED)}
    rows = {line[0]: line for line in lines}
    assert rows["Odense Kommune"][1:8] == ["2", "2", "1", "1", "1", "0", "1"]
    assert rows["Odense Kommune"][-2:] == ["2024-05-30", "Nej"]
    assert rows["Svendborg Kommune"][-2:] == ["", "Ja"]


async def test_the_english_csv_is_comma_separated_with_english_words(uow_factory: Any) -> None:
    await seed_history(uow_factory)
    header, *lines = await read_csv(uow_factory, "en")
    assert header[0] == "Municipality" and header[-2:] == ["Last activity", "Quiet"]
    assert {line[0]: line[-1] for line in lines}["Svendborg Kommune"] == "Yes"


class Captured:
    """A digest renderer that keeps what it rendered."""

    def __init__(self) -> None:
        self.digests: list[Digest] = []

    def __call__(self, digest: Digest) -> Outbound:
        self.digests.append(digest)
        return Outbound(text=f"digest {digest.period.label}")


async def linked_history(uow_factory: Any) -> None:
    await seed_history(uow_factory)
    async with uow_factory() as uow:
        await uow.conversations.save(channel_ref())
        await uow.conversations.link(CHANNEL, SLUG)
        await uow.commit()
    await cadence.sync_all(uow_factory)


async def digests_in_outbox(uow_factory: Any) -> list[str]:
    async with uow_factory() as uow:
        found = await uow.outbox.listing(SLUG, ("pending",))
    return sorted(d.key for d in found if ":digest:" in d.key)


MONDAY_AFTER_WEEK_18 = datetime(2024, 5, 6, 7, 30, tzinfo=UTC)  # 09:30 in Copenhagen


async def test_two_replicas_post_the_weekly_digest_once(uow_factory: Any) -> None:
    await linked_history(uow_factory)
    render = Captured()
    clock = FixedClock(MONDAY_AFTER_WEEK_18)
    day = timedelta(hours=24)
    queued = await asyncio.gather(
        enqueue_digests(uow_factory, clock, render, DigestFrequency.WEEKLY, day),
        enqueue_digests(uow_factory, clock, render, DigestFrequency.WEEKLY, day),
    )
    assert sorted(queued) == [0, 1]
    assert await digests_in_outbox(uow_factory) == [f"{SLUG}:digest:2024-W18|{CHANNEL}"]
    again = await enqueue_digests(uow_factory, clock, render, DigestFrequency.WEEKLY, day)
    assert again == 0
    digest = render.digests[0]
    assert [m.title for m in digest.material] == ["koege-link"]
    assert "agenda" in [s.kind for s in digest.coming]  # meeting 2's agenda on 9 May
    assert digest.next_meeting is not None and digest.next_meeting.number == 2
    assert (digest.questions_asked, digest.questions_answered) == (0, 0)


async def test_a_week_with_only_questions_and_members_answers_gets_a_digest(
    uow_factory: Any,
) -> None:
    await linked_history(uow_factory)
    render = Captured()
    week_14 = FixedClock(datetime(2024, 4, 8, 7, 30, tzinfo=UTC))
    queued = await enqueue_digests(
        uow_factory, week_14, render, DigestFrequency.WEEKLY, timedelta(hours=24)
    )
    assert queued == 1
    (digest,) = render.digests
    assert digest.material == () and (digest.questions_asked, digest.questions_answered) == (1, 1)


async def test_a_week_in_which_nothing_happened_gets_no_digest(uow_factory: Any) -> None:
    await linked_history(uow_factory)
    render = Captured()
    week_19 = FixedClock(MONDAY_AFTER_WEEK_18 + timedelta(days=7))
    queued = await enqueue_digests(
        uow_factory, week_19, render, DigestFrequency.WEEKLY, timedelta(hours=24)
    )
    assert queued == 0 and await digests_in_outbox(uow_factory) == []
    assert render.digests == []  # built, found empty, never rendered


async def test_the_digest_waits_for_its_hour_and_is_not_sent_days_late(uow_factory: Any) -> None:
    await linked_history(uow_factory)
    render = Captured()
    grace = timedelta(hours=24)
    for when in (MONDAY_AFTER_WEEK_18 - timedelta(hours=1), MONDAY_AFTER_WEEK_18 + 2 * grace):
        queued = await enqueue_digests(
            uow_factory, FixedClock(when), render, DigestFrequency.WEEKLY, grace
        )
        assert queued == 0
    assert await digests_in_outbox(uow_factory) == []


async def test_the_monthly_digest_has_the_months_material_and_off_posts_nothing(
    uow_factory: Any,
) -> None:
    await linked_history(uow_factory)
    render = Captured()
    april_first = FixedClock(datetime(2024, 4, 1, 8, tzinfo=UTC))
    grace = timedelta(hours=24)
    off = await enqueue_digests(uow_factory, april_first, render, DigestFrequency.OFF, grace)
    assert off == 0
    queued = await enqueue_digests(uow_factory, april_first, render, DigestFrequency.MONTHLY, grace)
    assert queued == 1
    assert await digests_in_outbox(uow_factory) == [f"{SLUG}:digest:2024-03|{CHANNEL}"]
    titles = [m.title for m in render.digests[0].material]
    assert titles == ["odense-notat", "facilitator-link"]
