"""Every date shown is the day in the network's time zone, in the reader's language: a link
shared at the same minute as a question carries the same day, also just after midnight."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.features.engagement.commands import engagement_view
from bot.features.material.views import item_of
from bot.features.questions.views import question_view
from cards.engagement import engagement_card
from cards.material import FiledView, filed_card
from cards.membership import board_decision
from domain.engagement import ActivityEvent, ActivityKind, tally
from domain.material import Material, MaterialKind
from domain.membership import Call
from domain.model import Municipality, Network, local_day
from domain.questions import Question
from netpuls.i18n import translator
from services.questions import QuestionState

# 23:30 UTC on 6 December is 00:30 on 7 December in Copenhagen (and in Stockholm).
NEAR_MIDNIGHT = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
NETWORK = Network(
    "net", "Kompakte byer", "da", "Europe/Copenhagen", date(2026, 1, 1), date(2027, 12, 31), 25
)


def shared_link() -> Material:
    return Material(
        "Notat", MaterialKind.LINK, "https://example.org/n", "a@example.org", "A", NEAR_MIDNIGHT
    )


def test_a_day_is_the_networks_day_not_utcs() -> None:
    assert local_day(NEAR_MIDNIGHT, NETWORK.zone) == date(2026, 12, 7)
    with pytest.raises(ValueError):
        local_day(datetime(2026, 12, 6, 23, 30), NETWORK.zone)  # noqa: DTZ001 - the point


@pytest.mark.parametrize(
    ("language", "shown"),
    [("da", "7. december 2026"), ("sv", "7 december 2026"), ("en", "7 December 2026")],
)
def test_a_link_and_a_question_of_the_same_minute_show_the_same_day(
    language: str, shown: str
) -> None:
    t = translator(language)
    item = item_of(shared_link(), "", t, NETWORK.zone)
    card = json.dumps(filed_card(FiledView(NETWORK.name, item), t), ensure_ascii=False)
    question = Question(1, "Lommeparker?", (), "a@example.org", "A", NEAR_MIDNIGHT)
    view = question_view(QuestionState(NETWORK, question), t)
    assert item.shared_on == date(2026, 12, 7)
    assert shown in card
    assert shown in json.dumps(view, default=str, ensure_ascii=False)


def test_the_engagement_card_dates_the_last_activity_in_the_networks_zone_and_language() -> None:
    town = Municipality("koege", "Køge Kommune", "Region Sjælland")
    event = ActivityEvent(ActivityKind.MATERIAL_SHARED, "koege", NEAR_MIDNIGHT)
    kinds = (ActivityKind.MATERIAL_SHARED,)
    later = NEAR_MIDNIGHT + timedelta(hours=1)
    table = tally(NETWORK, [town], kinds, [event], later, timedelta(days=60))
    view = engagement_view(NETWORK, table)
    assert view.rows[0].last_active == date(2026, 12, 7)
    card = json.dumps(engagement_card(view, translator("da")), ensure_ascii=False)
    assert "7. dec. 2026" in card and "06/12/2026" not in card and "07.12.2026" not in card


def test_a_board_decision_is_dated_the_readers_way() -> None:
    day = date(2015, 10, 28)
    assert board_decision(day, "KS 2015/123", translator("da")) == "28. okt. 2015, KS 2015/123"
    assert board_decision(day, "KS 2015/123", translator("en")) == "28 Oct 2015, KS 2015/123"


def test_a_call_closed_early_just_after_midnight_says_so_in_the_networks_day() -> None:
    call = Call(
        deadline=date(2026, 12, 20),
        opened_at=datetime(2026, 11, 1, tzinfo=UTC),
        closed_at=NEAR_MIDNIGHT,
    )
    closed = call.closed_since(NETWORK.zone)
    assert translator("da")("Closed on {deadline}", deadline=closed).startswith(
        "Lukket 7. december 2026 00:30"
    )
