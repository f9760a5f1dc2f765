"""Ask the network: themes, rotation of whom to ask, the outbox post, answers, helpful marks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.errors import DomainError, NotAllowed
from domain.questions import QuestionStatus, rotation, split_tags
from services import outbox, questions
from services.networks import Actor
from services.ports import Outbound
from services.questions import QuestionState
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory, FakeSender
from tests.support.questions import NOW, SLUG, TOWNS, channel_ref, email, prepared

CHANNEL = channel_ref().conversation_id
EVERYONE = {f"29:{t}": email(t) for t in TOWNS} | {"29:fac": "facilitator@example.org"}


def planner(town: str) -> Actor:
    return Actor(teams_user_id=f"29:{town}", name=f"Planner {town.capitalize()}")


def render(state: QuestionState) -> Outbound:
    asked = ", ".join(a.municipality for a in state.question.asked)
    return Outbound(text=f"Q{state.question.number}: {asked}")


async def linked(uow_factory: Any, interests: dict[str, tuple[str, ...]]) -> None:
    await prepared(uow_factory, interests)
    async with uow_factory() as uow:
        await uow.conversations.save(channel_ref())
        await uow.conversations.link(CHANNEL, SLUG)
        await uow.commit()


async def ask(uow_factory: Any, clock: Any, town: str, typed: str) -> QuestionState:
    state, _ = await questions.ask(
        uow_factory(), clock, CHANNEL, planner(town), FakeDirectory(EVERYONE), typed, render
    )
    return state


def asked(state: QuestionState) -> list[str]:
    return [a.municipality for a in state.question.asked]


def test_the_never_asked_come_first_then_the_least_recently_asked_ties_by_key() -> None:
    t1, t2 = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC)
    last = {"a": t2, "b": t1, "c": t1, "d": t2}
    assert rotation(["d", "c", "b", "a", "e"], last, limit=4) == ["e", "b", "c", "a"]
    assert rotation(["a", "b"], {}, limit=5) == ["a", "b"]


def test_leading_tags_are_themes_and_the_rest_is_the_question() -> None:
    assert split_tags("#2 #1 How do you plan #green roofs?") == (
        ["2", "1"],
        "How do you plan #green roofs?",
    )


async def test_questions_on_one_theme_rotate_through_the_interested_municipalities(
    uow_factory: Any,
) -> None:
    others = [t for t in TOWNS if t != "odense"]
    await linked(uow_factory, {t: ("Densification",) for t in others})
    first = await ask(uow_factory, FixedClock(NOW), "odense", "#1 How dense is too dense?")
    second = await ask(uow_factory, FixedClock(NOW + timedelta(days=1)), "odense", "#1 Heights?")
    third = await ask(uow_factory, FixedClock(NOW + timedelta(days=2)), "odense", "#1 Parking?")
    assert asked(first) == ["aalborg", "aarhus", "esbjerg", "koege", "randers"]
    assert asked(second) == ["svendborg", "vejle", "aalborg", "aarhus", "esbjerg"]
    assert asked(third) == ["koege", "randers", "aalborg", "aarhus", "esbjerg"]
    async with uow_factory() as uow:
        stored = await uow.questions.get(SLUG, 2)
    assert stored is not None and [a.municipality for a in stored.asked] == asked(second)


async def test_only_those_that_listed_the_theme_are_asked_and_everyone_when_nobody_did(
    uow_factory: Any, clock: Any
) -> None:
    await linked(uow_factory, {"aarhus": ("Green space",), "koege": ("Densification",)})
    assert asked(await ask(uow_factory, clock, "odense", "#2 Pocket parks?")) == ["aarhus"]
    assert asked(await ask(uow_factory, clock, "odense", "#1 #2 Both?")) == ["koege", "aarhus"]
    untagged = asked(await ask(uow_factory, clock, "aarhus", "Anyone tried superblocks?"))
    assert len(untagged) == 5 and "aarhus" not in untagged  # never one's own municipality
    assert untagged[:2] == ["aalborg", "esbjerg"]  # never asked before the others


async def test_contacts_with_a_teams_account_are_mentioned_and_the_rest_only_named(
    uow_factory: Any, clock: Any
) -> None:
    await linked(uow_factory, {"aarhus": ("Green space",), "esbjerg": ("Green space",)})
    state = await ask(uow_factory, clock, "odense", "#2 Pocket parks?")
    assert [(a.municipality, a.people) for a in state.question.asked] == [
        ("aarhus", ("planner.aarhus@example.org",)),
        ("esbjerg", ()),
    ]
    from bot.features.questions.views import channel_post

    post = channel_post(state)
    assert [(m.teams_id, m.name) for m in post.mentions] == [("29:aarhus", "Planner Aarhus")]
    assert post.text == (
        "Planner Odense asks the network. Can you help? "
        "<at>Planner Aarhus</at> (Aarhus Kommune); Esbjerg Kommune"
    )


async def test_the_question_is_posted_once_through_the_outbox_even_when_asked_twice(
    uow_factory: Any, clock: Any
) -> None:
    await linked(uow_factory, {})
    await ask(uow_factory, clock, "odense", "#1 How dense is too dense?")
    sender = FakeSender()
    first = await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
    again = await outbox.deliver_due(uow_factory, clock, sender, max_attempts=6)
    assert (first.sent, again.sent) == (1, 0)
    assert first.ids == [f"question:{SLUG}:1:{CHANNEL}"]
    assert sender.delivered[0][1].text.startswith("Q1: ")
    async with uow_factory() as uow:
        assert await uow.questions.thread_of(CHANNEL, "a-1") == (SLUG, 1)
        assert await uow.questions.posts(SLUG, 1) == [(CHANNEL, "a-1")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("   ", "Write your question after ask"),
        ("#1 " + "x" * 1001, "The question is too long: 1001 characters, at most 1000."),
        ("#3 Where?", "There is no theme '3'. The network's themes are numbered 1 to 2."),
        ("#green Where?", "There is no theme 'green'."),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_stored_or_queued(
    uow_factory: Any, clock: Any, typed: str, message: str
) -> None:
    await linked(uow_factory, {})
    with pytest.raises(DomainError) as refused:
        await ask(uow_factory, clock, "odense", typed)
    assert str(refused.value).startswith(message)
    async with uow_factory() as uow:
        assert await uow.questions.listing(SLUG) == []
        assert await uow.outbox.listing(SLUG, ("pending",)) == []


async def test_someone_outside_the_network_may_not_ask(uow_factory: Any, clock: Any) -> None:
    await linked(uow_factory, {})
    with pytest.raises(NotAllowed):
        await questions.ask(
            uow_factory(), clock, CHANNEL, Actor("29:stranger"), FakeDirectory(), "Hi?", render
        )


async def test_replies_in_the_thread_are_answers_and_the_asker_marks_one_helpful(
    uow_factory: Any,
) -> None:
    clock = FixedClock(NOW)
    await linked(uow_factory, {})
    await ask(uow_factory, clock, "odense", "#1 How dense is too dense?")
    await outbox.deliver_due(uow_factory, clock, FakeSender(), max_attempts=6)
    thread = f"{CHANNEL};messageid=a-1"
    directory = FakeDirectory(EVERYONE)

    async def reply(town: str, text: str, where: str = thread) -> Any:
        return await questions.hear_reply(
            uow_factory(), clock, where, planner(town), directory, text
        )

    first = await reply("aarhus", "We cap at six storeys.")
    second = await reply("koege", "Ask the citizens first.")
    assert (first.answer.number, second.answer.number) == (1, 2)
    assert (await reply("odense", "Thanks!")).answer is None  # the asker's own reply
    assert await reply("aarhus", "Elsewhere", f"{CHANNEL};messageid=other") is None
    assert await reply("aarhus", "Top level", CHANNEL) is None
    with pytest.raises(NotAllowed):
        await questions.mark_helpful(
            uow_factory(), clock, f"{SLUG}:1", planner("koege"), directory, 1
        )
    with pytest.raises(DomainError, match="has 2 answers"):
        await questions.mark_helpful(
            uow_factory(), clock, f"{SLUG}:1", planner("odense"), directory, None
        )
    state = await questions.mark_helpful(
        uow_factory(), clock, f"{SLUG}:1", planner("odense"), directory, 2
    )
    assert (state.question.status, state.question.helpful) == (QuestionStatus.ANSWERED, 2)
    async with uow_factory() as uow:
        (stored,) = await uow.questions.listing(SLUG, "Densification")
        assert stored.status is QuestionStatus.ANSWERED and stored.helpful == 2
        assert [a.author for a in stored.answers] == ["Planner Aarhus", "Planner Koege"]
        assert await uow.questions.listing(SLUG, "Green space") == []
        counts = await uow.questions.count_by_municipality(SLUG, NOW - timedelta(days=1))
        later = await uow.questions.count_by_municipality(SLUG, NOW + timedelta(days=1))
    assert {k: (c.asked, c.answered) for k, c in counts.items()} == {
        "odense": (1, 0),
        "aarhus": (0, 1),
        "koege": (0, 1),
    }
    assert later == {}


async def test_the_facilitator_may_mark_the_helpful_answer_for_the_asker(
    uow_factory: Any, clock: Any
) -> None:
    await linked(uow_factory, {})
    await ask(uow_factory, clock, "odense", "Anyone?")
    fac = Actor("29:fac")
    state = await questions.mark_helpful(
        uow_factory(), clock, f"{SLUG}:1", fac, FakeDirectory(EVERYONE), None
    )
    assert state.question.status is QuestionStatus.ANSWERED and state.question.helpful is None


async def test_two_replies_at_the_same_moment_are_both_kept_with_their_own_numbers(
    uow_factory: Any,
) -> None:
    """The second reply reads the same highest number; it must be renumbered, not lost."""
    import asyncio

    from domain.questions import Answer

    clock = FixedClock(NOW)
    await linked(uow_factory, {})
    await ask(uow_factory, clock, "odense", "#1 How dense is too dense?")

    def reply(author: str) -> Answer:
        return Answer(number=0, text=f"From {author}", author=author, at=NOW)

    async def second() -> Answer:
        async with uow_factory() as uow:
            stored: Answer = await uow.questions.add_answer(SLUG, 1, reply("Koege"))
            await uow.commit()
            return stored

    async with uow_factory() as first:
        one = await first.questions.add_answer(SLUG, 1, reply("Aarhus"))
        other = asyncio.create_task(second())
        await asyncio.sleep(0.5)  # the second has read the same highest number by now
        await first.commit()
    two = await asyncio.wait_for(other, timeout=30)
    assert sorted((one.number, two.number)) == [1, 2]
    async with uow_factory() as uow:
        question = await uow.questions.get(SLUG, 1)
    assert question is not None
    assert sorted(a.author for a in question.answers) == ["Aarhus", "Koege"]


async def test_fifty_members_asking_at_once_all_get_their_question_numbered_in_turn(
    uow_factory: Any,
) -> None:
    await linked(uow_factory, {})
    towns = [TOWNS[i % len(TOWNS)] for i in range(50)]
    states = await asyncio.gather(
        *(ask(uow_factory, FixedClock(NOW), t, f"Question {i}?") for i, t in enumerate(towns))
    )
    assert sorted(s.question.number for s in states) == list(range(1, 51))
    async with uow_factory() as uow:
        assert len(await uow.questions.listing(SLUG)) == 50


async def test_fifty_replies_in_one_thread_at_once_are_all_kept_numbered_in_turn(
    uow_factory: Any,
) -> None:
    clock = FixedClock(NOW)
    await linked(uow_factory, {})
    await ask(uow_factory, clock, "odense", "How dense is too dense?")
    await outbox.deliver_due(uow_factory, clock, FakeSender(), max_attempts=6)
    others = [t for t in TOWNS if t != "odense"]
    heard = await asyncio.gather(
        *(
            questions.hear_reply(
                uow_factory(),
                clock,
                f"{CHANNEL};messageid=a-1",
                planner(others[i % len(others)]),
                FakeDirectory(EVERYONE),
                f"Reply {i}",
            )
            for i in range(50)
        )
    )
    assert sorted(h.answer.number for h in heard if h and h.answer) == list(range(1, 51))
    async with uow_factory() as uow:
        question = await uow.questions.get(SLUG, 1)
    assert question is not None and len(question.answers) == 50
