"""The RSVP rules, pure: seats per municipality, capacity and waitlist, the deadline."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from domain.rsvp import (
    Answer,
    Rsvp,
    RsvpClosed,
    SeatPolicy,
    SeatTaken,
    Standing,
    decide,
    refresh_user_ids,
    waitlist_position,
)

NOW = datetime(2024, 3, 1, 12, tzinfo=UTC)
OPEN = SeatPolicy(seats_per_municipality=1, capacity=None, deadline=NOW + timedelta(days=10))


def answer(
    person: str,
    town: str,
    what: Answer = Answer.ATTENDING,
    *,
    minutes: int = 0,
    standing: Standing = Standing.CONFIRMED,
) -> Rsvp:
    return Rsvp(
        person=person,
        person_name=person.title(),
        municipality=town,
        municipality_name=f"{town.title()} Kommune",
        answer=what,
        standing=standing,
        answered_at=NOW + timedelta(minutes=minutes),
    )


def test_the_first_yes_from_a_municipality_takes_its_seat() -> None:
    outcome = decide(OPEN, [], None, answer("anna", "odense"), NOW)
    assert outcome.rsvp.standing is Standing.CONFIRMED


def test_a_second_yes_from_the_same_municipality_is_refused_naming_the_holder() -> None:
    holder = answer("anna", "odense")
    with pytest.raises(SeatTaken) as refused:
        decide(OPEN, [holder], None, answer("bo", "odense"), NOW)
    assert refused.value.params == {"holder": "Anna", "municipality": "Odense Kommune"}


def test_the_facilitator_can_allow_two_per_municipality() -> None:
    policy = dataclasses.replace(OPEN, seats_per_municipality=2)
    outcome = decide(policy, [answer("anna", "odense")], None, answer("bo", "odense"), NOW)
    assert outcome.rsvp.standing is Standing.CONFIRMED


def test_handing_over_frees_the_seat_for_a_colleague() -> None:
    holder = answer("anna", "odense")
    gone = decide(OPEN, [], holder, answer("anna", "odense", Answer.NOT_ATTENDING), NOW).rsvp
    outcome = decide(OPEN, [gone], None, answer("bo", "odense"), NOW)
    assert outcome.rsvp.standing is Standing.CONFIRMED


def test_maybe_and_no_do_not_hold_a_seat() -> None:
    maybe = answer("anna", "odense", Answer.MAYBE)
    assert decide(OPEN, [maybe], None, answer("bo", "odense"), NOW).rsvp.answer is Answer.ATTENDING


def test_beyond_capacity_answers_wait_in_order_and_a_cancellation_promotes_the_first() -> None:
    policy = dataclasses.replace(OPEN, capacity=1)
    first = decide(policy, [], None, answer("anna", "odense"), NOW).rsvp
    second = decide(
        policy, [first], None, answer("bo", "koege", minutes=1), NOW + timedelta(minutes=1)
    ).rsvp
    third = decide(
        policy, [first, second], None, answer("cy", "aarhus", minutes=2), NOW + timedelta(minutes=2)
    ).rsvp
    assert (second.standing, third.standing) == (Standing.WAITLISTED, Standing.WAITLISTED)
    assert waitlist_position([first, second, third], "cy") == 2
    cancel = decide(
        policy,
        [second, third],
        first,
        answer("anna", "odense", Answer.NOT_ATTENDING),
        NOW + timedelta(minutes=3),
    )
    assert [p.person for p in cancel.promoted] == ["bo"]


def test_promotion_skips_someone_whose_municipality_already_holds_its_seat() -> None:
    policy = dataclasses.replace(OPEN, capacity=2)
    holder = answer("anna", "odense")
    leaving = answer("eva", "koege")
    same_town = answer("bo", "odense", minutes=1, standing=Standing.WAITLISTED)
    other = answer("cy", "aarhus", minutes=2, standing=Standing.WAITLISTED)
    outcome = decide(
        policy,
        [holder, same_town, other],
        leaving,
        answer("eva", "koege", Answer.NOT_ATTENDING),
        NOW,
    )
    assert [p.person for p in outcome.promoted] == ["cy"]


def test_changing_dietary_needs_keeps_the_place_and_the_original_answer_time() -> None:
    first = decide(OPEN, [], None, answer("anna", "odense"), NOW).rsvp
    later = dataclasses.replace(answer("anna", "odense"), dietary="vegetarian")
    changed = decide(OPEN, [], first, later, NOW + timedelta(days=1)).rsvp
    assert changed.dietary == "vegetarian" and changed.answered_at == first.answered_at


def test_after_the_deadline_every_change_is_refused() -> None:
    with pytest.raises(RsvpClosed):
        decide(OPEN, [], None, answer("anna", "odense"), OPEN.deadline + timedelta(seconds=1))


def test_the_card_refreshes_by_itself_for_the_organisers_then_the_newest_answerers() -> None:
    organisers = ["29:fac", "29:sec"]
    newest_first = ["29:odense", "29:fac", "29:koege", "", "29:odense"]
    assert refresh_user_ids(organisers, newest_first) == (
        "29:fac",
        "29:sec",
        "29:odense",
        "29:koege",
    )


def test_at_most_60_readers_refresh_by_themselves_and_the_newest_answerer_is_never_left_out() -> (
    None
):
    organisers = [f"29:organiser-{i:02}" for i in range(70)]
    newest_first = [f"29:planner-{i:02}" for i in range(70)]
    chosen = refresh_user_ids(organisers, newest_first)
    assert len(chosen) == 60 == len(set(chosen))
    assert chosen[:10] == tuple(organisers[:10])  # organisers do not crowd out the answerers
    assert chosen[10:] == tuple(newest_first[:50])
    assert refresh_user_ids(organisers, newest_first) == chosen  # the same every time
    assert refresh_user_ids(organisers, ["29:clicker"], limit=3)[-1] == "29:clicker"
