"""The agenda card in the network's channels: posted by an organiser, refreshed after changes."""

from __future__ import annotations

import logging
from collections.abc import Callable

from domain.organisers import OrganiserAction
from services import audit
from services.meeting_state import MeetingState, load_state, parse_meeting_key
from services.networks import Actor, Directory, identify, no_linked_channel
from services.ports import Clock, Notifier, Outbound, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
# The kind of posted card the agenda is remembered as (services/ports.PostedCards).
AGENDA = "agenda"


async def post_agenda(
    uow: UnitOfWork,
    clock: Clock,
    notifier: Notifier,
    key: str,
    actor: Actor,
    directory: Directory | None,
    render: Callable[[MeetingState], Outbound],
) -> tuple[int, int]:
    """Post the agenda card to the network's channels; a second post updates the first."""
    slug, number = parse_meeting_key(key)
    async with uow:
        person = await identify(uow, actor, directory)
        roles = await uow.people.roles(person.key, slug) if person else frozenset()
        who = person.key if person else audit.UNKNOWN
        await audit.require(uow, clock, slug, who, roles, OrganiserAction.POST_AGENDA)
        await audit.record(uow, clock, slug, who, "agenda.post", f"meeting {number}")
        state = await load_state(uow, clock, slug, number)
        channels = [
            r
            for r in await uow.conversations.linked_to(slug)
            if r.kind.value == "channel" and r.installed
        ]
        posted = {
            r.conversation_id: await uow.posted.get(AGENDA, slug, number, r.conversation_id)
            for r in channels
        }
        await uow.commit()
    if not channels:
        raise no_linked_channel(state.network)
    message = render(state)
    created = updated = 0
    for ref in channels:
        activity_id = posted[ref.conversation_id]
        if activity_id:
            await notifier.update(ref, activity_id, message)
            updated += 1
            continue
        activity_id = await notifier.send(ref, message)
        async with uow:
            await uow.posted.remember(AGENDA, slug, number, ref.conversation_id, activity_id)
            await uow.commit()
        created += 1
    return created, updated


class AgendaRefresher:
    """Brings the posted copies of a meeting's agenda card up to date after a change.

    Refreshes of one meeting run one after the other in this process, each reading the
    meeting's state as committed when it starts, so an older state never lands after a newer
    one (two refreshes with the states of two clicks used to race, and the channel's card could
    keep the older). Asks that arrive while a refresh runs fold into one more: 25 municipalities
    answering within a minute make a few updates of the channel's card, not 25 racing ones.
    Nothing is read beyond the posted places, and nothing rendered, when no copy is posted.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        notifier: Notifier,
        render: Callable[[MeetingState], Outbound],
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._notifier = notifier
        self._render = render
        self._running: set[str] = set()
        self._again: set[str] = set()

    async def refresh(self, key: str) -> int:
        """Refresh the meeting's posted copies (or have the running refresh go once more);
        how many copies this call updated."""
        if key in self._running:
            self._again.add(key)
            return 0
        self._running.add(key)
        count = 0
        try:
            while True:
                self._again.discard(key)
                try:
                    count += await self._once(key)
                except Exception:
                    if key not in self._again:
                        raise
                    log.exception("refreshing the agenda card of %s failed; trying again", key)
                if key not in self._again:
                    return count
        finally:
            self._running.discard(key)
            self._again.discard(key)

    async def _once(self, key: str) -> int:
        slug, number = parse_meeting_key(key)
        uow = self._uow()
        async with uow:
            places = await uow.posted.where(AGENDA, slug, number)
            if not places:
                return 0
            refs = [await uow.conversations.get(c) for c, _ in places]
            state = await load_state(uow, self._clock, slug, number)
        live = [
            (ref, activity_id)
            for ref, (_, activity_id) in zip(refs, places, strict=True)
            if ref is not None and ref.installed
        ]
        if not live:
            return 0
        message = self._render(state)
        for ref, activity_id in live:
            await self._notifier.update(ref, activity_id, message)
        return len(live)
