"""Ask the network: post a question as a channel thread, asking members in rotation.

The post goes through the outbox (exactly once, within Teams' limits, across restarts). The
answers are the thread's replies that reach the bot; the asker marks one as helpful.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from domain.errors import N_, NotAllowed, NotFound
from domain.model import ConversationRef, Network, Person, SeatStatus, channel_conversation_id
from domain.numbers import small_number
from domain.questions import (
    Answer,
    Asked,
    Question,
    QuestionStatus,
    clean_question,
    interested,
    pick_themes,
    rotation,
    split_tags,
)
from services.networks import Actor, Directory, identify, network_for, no_linked_channel
from services.ports import Clock, NewDelivery, Notifier, Outbound, UnitOfWork
from services.question_ports import POST_KEY
from services.sparring_support import channels, member

MEMBERS_ONLY = N_("Only the members of {network} can ask the network.")
ASKER_ONLY = N_("Only the person who asked, or the facilitator, can mark the helpful answer.")


@dataclass(frozen=True, slots=True)
class QuestionState:
    """A question with what its cards name: the network, municipality names, contacts asked."""

    network: Network
    question: Question
    towns: dict[str, str] = field(default_factory=dict)
    contacts: tuple[Person, ...] = ()  # the people @mentioned (a known Teams account)

    @property
    def key(self) -> str:
        """The question's id in card data: '<network>:<number>'."""
        return f"{self.network.slug}:{self.question.number}"


@dataclass(frozen=True, slots=True)
class Listing:
    """The network's questions, perhaps for one theme."""

    network: Network
    questions: tuple[Question, ...]
    towns: dict[str, str]
    theme: str | None = None


@dataclass(frozen=True, slots=True)
class Heard:
    """A reply in a question's thread: recorded as an answer, or the asker's own reply."""

    state: QuestionState
    answer: Answer | None


Render = Callable[[QuestionState], Outbound]


async def _state(uow: UnitOfWork, network: Network, question: Question) -> QuestionState:
    towns = {m.key: m.name for m in await uow.networks.municipalities(network.slug)}
    keys = {p for asked in question.asked for p in asked.people}
    people = tuple(p for p in await uow.networks.people(network.slug) if p.key in keys)
    return QuestionState(network, question, towns, people)


async def _network(
    uow: UnitOfWork, conversation_id: str, actor: Actor, directory: Directory | None
) -> tuple[Network, Person | None]:
    person = await identify(uow, actor, directory)
    return await network_for(uow, conversation_id, person, actor), person


async def ask(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    typed: str,
    render: Render,
    *,
    tags: list[str] | None = None,
) -> tuple[QuestionState, int]:
    """Store the question, pick whom to ask, and queue its post in every linked channel.

    `typed` is `#2 #3 The question` as a command gives it, or only the question when the
    card's `tags` (theme numbers) come separately.
    """
    if tags is None:
        tags, typed = split_tags(typed)
    text = clean_question(typed)
    async with uow:
        network, _ = await _network(uow, conversation_id, actor, directory)
        who = await member(uow, network.slug, actor, directory)
        if who is None or not who.belongs:
            raise NotAllowed(MEMBERS_ONLY, network=network.name)
        themes = pick_themes(tags, network.themes)
        targets = await channels(uow, network.slug)
        if not targets:
            raise no_linked_channel(network)
        asked = await _whom(uow, network.slug, themes, who.person.municipality)
        question = Question(
            number=0,
            text=text,
            themes=themes,
            asker_key=who.person.key,
            asker_name=who.person.name,
            asked_at=clock.now(),
            asker_municipality=who.person.municipality,
            asked=asked,
        )
        stored = await uow.questions.add(network.slug, question)
        state = await _state(uow, network, stored)
        message = render(state)
        await uow.outbox.enqueue([_post(state, ref, message) for ref in targets], clock.now())
        await uow.commit()
    return state, len(targets)


def _post(state: QuestionState, ref: ConversationRef, message: Outbound) -> NewDelivery:
    key = POST_KEY.format(
        slug=state.network.slug, number=state.question.number, conversation=ref.conversation_id
    )
    return NewDelivery(key=key, ref=ref, message=message, network=state.network.slug)


async def _whom(
    uow: UnitOfWork, slug: str, themes: tuple[str, ...], own: str | None
) -> tuple[Asked, ...]:
    """The members to ask, in rotation, with their contacts that Teams lets us @mention."""
    members = [
        m.key
        for m in await uow.networks.municipalities(slug)
        if m.seat_status is SeatStatus.MEMBER and m.key != own
    ]
    interests = {a.municipality_key: a.themes for a in await uow.membership.applications(slug)}
    chosen = rotation(interested(interests, themes, members), await uow.questions.last_asked(slug))
    people = await uow.networks.people(slug)
    return tuple(
        Asked(key, tuple(p.key for p in people if p.municipality == key and p.teams_user_id))
        for key in chosen
    )


async def ask_form(
    uow: UnitOfWork, conversation_id: str, actor: Actor, directory: Directory | None
) -> Network:
    """The network a question asked here goes to (its themes fill the form)."""
    async with uow:
        network, _ = await _network(uow, conversation_id, actor, directory)
        await uow.commit()
    return network


async def questions(
    uow: UnitOfWork,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    argument: str,
) -> Listing:
    """The network's questions, open and answered; `argument` names a theme by number."""
    async with uow:
        network, _ = await _network(uow, conversation_id, actor, directory)
        tag = argument.strip().removeprefix("#")
        theme = pick_themes([tag], network.themes)[0] if tag else None
        found = await uow.questions.listing(network.slug, theme)
        towns = {m.key: m.name for m in await uow.networks.municipalities(network.slug)}
        await uow.commit()
    return Listing(network, tuple(found), towns, theme)


def thread_root(conversation_id: str) -> str | None:
    """The root message id of a channel thread ('...;messageid=<root>'), else None."""
    _, marker, root = conversation_id.partition(";messageid=")
    return root or None if marker else None


async def hear_reply(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    text: str,
) -> Heard | None:
    """Record a reply in a question's thread as an answer; None when it is no such thread."""
    root = thread_root(conversation_id)
    if root is None or not text.strip():
        return None
    async with uow:
        found = await uow.questions.thread_of(channel_conversation_id(conversation_id), root)
        if found is None:
            return None
        slug, number = found
        network = await uow.networks.get(slug)
        question = await uow.questions.get(slug, number)
        if network is None or question is None:
            return None
        person = await identify(uow, actor, directory)
        if person is not None and person.key == question.asker_key:
            await uow.commit()  # the asker's own reply is not an answer
            return Heard(await _state(uow, network, question), None)
        answer = await uow.questions.add_answer(
            slug,
            number,
            Answer(
                number=0,
                text=text.strip(),
                author=person.name if person else (actor.name or "?"),
                at=clock.now(),
                author_key=person.key if person else None,
                municipality=person.municipality if person else None,
            ),
        )
        question = replace(question, answers=(*question.answers, answer))
        state = await _state(uow, network, question)
        await uow.commit()
    return Heard(state, answer)


def parse_question_key(key: object) -> tuple[str, int]:
    """'<network>:<number>' from card data, or a refusal."""
    slug, _, text = str(key or "").rpartition(":")
    number = small_number(text)
    if not slug or number is None:
        raise NotFound(N_("I don't know that question."))
    return slug, number


async def resolve_question(
    uow: UnitOfWork, conversation_id: str, actor: Actor, directory: Directory | None, typed: str
) -> tuple[str, int | None]:
    """`answered <question> [answer]`: the question's key and the answer number, if given."""
    words = typed.split()
    if not words or any(small_number(w.lstrip("#")) is None for w in words) or len(words) > 2:
        raise NotFound(
            N_("Write the question's number, and the helpful answer's, e.g. answered 3 2.")
        )
    async with uow:
        network, _ = await _network(uow, conversation_id, actor, directory)
        await uow.commit()
    answer = int(words[1].lstrip("#")) if len(words) == 2 else None
    return f"{network.slug}:{int(words[0].lstrip('#'))}", answer


async def mark_helpful(
    uow: UnitOfWork,
    clock: Clock,
    key: object,
    actor: Actor,
    directory: Directory | None,
    answer: int | None,
) -> QuestionState:
    """The asker (or an organiser) marks an answer helpful: the question is answered."""
    slug, number = parse_question_key(key)
    async with uow:
        network = await uow.networks.get(slug)
        question = await uow.questions.get(slug, number)
        if network is None or question is None:
            raise NotFound(N_("There is no question {number}."), number=number)
        who = await member(uow, slug, actor, directory)
        if who is None or (who.person.key != question.asker_key and not who.organiser):
            raise NotAllowed(ASKER_ONLY)
        answer = _helpful(question, answer)
        await uow.questions.mark_answered(slug, number, answer, clock.now())
        question = replace(
            question, status=QuestionStatus.ANSWERED, helpful=answer, answered_at=clock.now()
        )
        state = await _state(uow, network, question)
        await uow.commit()
    return state


def _helpful(question: Question, answer: int | None) -> int | None:
    """The answer number to mark: as given, or the only answer; None when there is none."""
    numbers = [a.number for a in question.answers]
    if answer is None:
        if len(numbers) > 1:
            raise NotFound(
                N_(
                    "Question {number} has {count} answers. Write which one helped, "
                    "e.g. answered {number} 2."
                ),
                number=question.number,
                count=len(numbers),
            )
        return numbers[0] if numbers else None
    if answer not in numbers:
        raise NotFound(
            N_("Question {number} has no answer {answer}."), number=question.number, answer=answer
        )
    return answer


async def refresh_posts(
    uow: UnitOfWork, notifier: Notifier, state: QuestionState, render: Render
) -> int:
    """Update the question's card wherever it was posted; returns how many were updated."""
    async with uow:
        posts = await uow.questions.posts(state.network.slug, state.question.number)
        refs = [(await uow.conversations.get(c), a) for c, a in posts]
    message = render(state)
    updated = 0
    for ref, activity_id in refs:
        if ref is not None and ref.installed:
            await notifier.update(ref, activity_id, message)
            updated += 1
    return updated
