"""The facilitator's summary: a draft until posted, then a card in the meeting's thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from domain.errors import N_, InvalidInput, NotFound
from domain.model import ConversationRef, Meeting, Network, RoleKind, channel_conversation_id
from domain.organisers import OrganiserAction
from domain.sparring import (
    MAX_CASE_NOTE,
    MAX_SUMMARY_FIELD,
    SUMMARY_FIELDS,
    Case,
    Summary,
    clean,
    reminder_due,
)
from services.agenda import AGENDA
from services.cases import accepted_cases
from services.conversations import personal_chat
from services.meeting_state import parse_meeting_key
from services.networks import Actor, Directory, no_linked_channel
from services.ports import Clock, Notifier, Outbound, UnitOfWork
from services.sparring_support import channels, meeting_of, organiser, record

SUMMARY = "summary"  # the kind of posted card, beside the agenda's


@dataclass(frozen=True, slots=True)
class SummaryState:
    """A meeting's summary with what it refers to: the network, the meeting, accepted cases."""

    network: Network
    meeting: Meeting
    summary: Summary
    cases: tuple[Case, ...]

    @property
    def key(self) -> str:
        """The meeting's id in card data."""
        return f"{self.network.slug}:{self.meeting.number}"


@dataclass(frozen=True, slots=True)
class Saved:
    """A saved summary, and how many channel copies were posted or updated."""

    state: SummaryState
    created: int = 0
    updated: int = 0
    already_posted: bool = False  # "post" pressed after someone else posted it


async def _state(uow: UnitOfWork, slug: str, number: int) -> SummaryState:
    network, meeting = await meeting_of(uow, slug, number)
    summary = await uow.summaries.get(slug, number) or Summary()
    cases = tuple(await accepted_cases(uow, slug, number))
    return SummaryState(network, meeting, summary, cases)


async def open_summary(
    uow: UnitOfWork, clock: Clock, key: object, actor: Actor, directory: Directory | None
) -> SummaryState:
    """The summary card's state: the draft (or the posted text) and the accepted cases."""
    slug, number = parse_meeting_key(key)
    async with uow:
        await organiser(uow, slug, actor, directory, OrganiserAction.WRITE_SUMMARY, clock)
        state = await _state(uow, slug, number)
        await uow.commit()
    return state


def _written(fields: dict[str, object], cases: tuple[Case, ...], old: Summary) -> Summary:
    """The summary as typed into the card, every field within its limit."""
    too_long = N_("A summary field is too long: {length} characters, at most {limit}.")
    texts = [clean(fields.get(name), MAX_SUMMARY_FIELD, too_long) for name in SUMMARY_FIELDS]
    typed = fields.get("case_notes")
    by_case = typed if isinstance(typed, dict) else {}
    notes = tuple(
        (c.id, note) for c in cases if (note := clean(by_case.get(c.id), MAX_CASE_NOTE, too_long))
    )
    key_points, good_advice, experiences, next_steps = texts
    return replace(
        old,
        key_points=key_points,
        good_advice=good_advice,
        experiences=experiences,
        next_steps=next_steps,
        case_notes=notes,
    )


async def save_summary(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    key: object,
    actor: Actor,
    directory: Directory | None,
    fields: dict[str, object],
    *,
    post: bool,
    render: Callable[[SummaryState], Outbound],
) -> Saved:
    """Keep a draft, or post it; once posted, every save updates the posted cards as well."""
    slug, number = parse_meeting_key(key)
    async with uow:
        # The meeting's write lock first: saves of one summary run one after the other, so
        # of two "post" clicks (or replicas) exactly one claims the post and sends new cards;
        # the other finds it posted and only updates the posted cards.
        if await uow.rsvps.lock(slug, number) is None:
            raise NotFound(N_("This card does not belong to a meeting I know."))
        who = await organiser(
            uow, slug, actor, directory, OrganiserAction.WRITE_SUMMARY, clock=clock
        )
        state = await _state(uow, slug, number)
        old = state.summary
        claims = post and not old.posted
        begins = state.meeting.starts_at(state.network.zone)
        if claims and begins > clock.now():
            raise InvalidInput(
                N_(
                    "Meeting {number} has not begun yet (it starts {start}): a summary can be "
                    "posted once the meeting has begun. You can save it as a draft until then."
                ),
                number=number,
                start=begins,
            )
        summary = replace(
            _written(fields, state.cases, old),
            author=who.person.key,
            updated_at=clock.now(),
            posted=old.posted or post,
            posted_at=old.posted_at or (clock.now() if post else None),
        )
        publish = summary.posted
        targets = await channels(uow, slug) if publish else []
        if publish and not targets:
            raise no_linked_channel(state.network)
        await uow.summaries.save(slug, number, summary)
        action = "summary.edit" if old.posted else "summary.post" if post else "summary.draft"
        await record(uow, clock, slug, who.person.key, action, f"meeting {number}")
        state = replace(state, summary=summary)
        places = await _places(uow, slug, number, targets)
        await uow.commit()
    if not publish:
        return Saved(state)
    if not claims:  # only the save that claimed the post sends new cards
        places = [(ref, activity) for ref, activity in places if activity]
    saved = await _publish(uow, notifier, state, places, render)
    return replace(saved, already_posted=post and old.posted)


async def _places(
    uow: UnitOfWork, slug: str, number: int, targets: list[ConversationRef]
) -> list[tuple[ConversationRef, str | None]]:
    """Where each channel's copy goes: the posted card to update, else the agenda's thread."""
    posted = {
        channel_conversation_id(conv): (conv, activity)
        for conv, activity in await uow.posted.where(SUMMARY, slug, number)
    }
    out: list[tuple[ConversationRef, str | None]] = []
    for ref in targets:
        if ref.conversation_id in posted:
            conv, activity = posted[ref.conversation_id]
            out.append((replace(ref, conversation_id=conv), activity))
            continue
        agenda = await uow.posted.get(AGENDA, slug, number, ref.conversation_id)
        # A reply in the agenda's thread keeps the meeting's conversation together.
        thread = f"{ref.conversation_id};messageid={agenda}" if agenda else ref.conversation_id
        out.append((replace(ref, conversation_id=thread), None))
    return out


async def _publish(
    uow: UnitOfWork,
    notifier: Notifier,
    state: SummaryState,
    places: list[tuple[ConversationRef, str | None]],
    render: Callable[[SummaryState], Outbound],
) -> Saved:
    message = render(state)
    created = updated = 0
    fresh: list[tuple[ConversationRef, str]] = []
    for ref, activity_id in places:
        if activity_id:
            await notifier.update(ref, activity_id, message)
            updated += 1
            continue
        new_id = await notifier.send(ref, message)
        async with uow:
            await uow.posted.remember(
                SUMMARY, state.network.slug, state.meeting.number, ref.conversation_id, new_id
            )
            await uow.commit()
        fresh.append((ref, new_id))
        created += 1
    await _catch_up(uow, notifier, state, fresh, render)
    return Saved(state, created, updated)


async def _catch_up(
    uow: UnitOfWork,
    notifier: Notifier,
    state: SummaryState,
    fresh: list[tuple[ConversationRef, str]],
    render: Callable[[SummaryState], Outbound],
) -> None:
    """An edit saved while the new cards were on their way found no card to update: do it."""
    if not fresh:
        return
    async with uow:
        latest = await uow.summaries.get(state.network.slug, state.meeting.number)
    if latest is None or latest == state.summary:
        return
    message = render(replace(state, summary=latest))
    for ref, activity_id in fresh:
        await notifier.update(ref, activity_id, message)


async def summary_reminder_due(uow: UnitOfWork, clock: Clock, slug: str, number: int) -> bool:
    """Whether the facilitator should be reminded now (from D+1, every 3 days, 3 times)."""
    async with uow:
        network, meeting = await meeting_of(uow, slug, number)
        summary = await uow.summaries.get(slug, number)
    now = clock.now()
    return reminder_due(summary, meeting.day, now, now.astimezone(network.zone).date())


async def remind_summary(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    slug: str,
    number: int,
    message: Callable[[SummaryState], Outbound],
) -> int:
    """Remind the facilitators (personal chat) when due; returns how many were told."""
    if not await summary_reminder_due(uow, clock, slug, number):
        return 0
    async with uow:
        state = await _state(uow, slug, number)
        people = await uow.host_plans.contacts(slug, RoleKind.FACILITATOR)
        refs = [r for p in people if (r := await personal_chat(uow, p.key)) is not None]
        summary = replace(
            state.summary, reminders=state.summary.reminders + 1, reminded_at=clock.now()
        )
        await uow.summaries.save(slug, number, summary)
        await uow.commit()
    for ref in refs:
        await notifier.send(ref, message(state))
    return len(refs)
