"""Sparring pairs between meetings: make a round (once per network and day), ask "did you meet?"."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.errors import N_, InvalidInput, NotAllowed, NotFound
from domain.model import ConversationKind, ConversationRef, Network, Person, SeatStatus
from domain.numbers import small_number
from domain.organisers import OrganiserAction, is_organiser
from domain.pairs import Participant, latest_due, pair_round, prompt_themes
from services import audit
from services.networks import Actor, Directory, identify, network_for
from services.pairs_ports import PairGroupRecord, PairPreference, PairRoundRecord
from services.ports import Clock, NewDelivery, Outbound, UnitOfWork, UnitOfWorkFactory
from services.reach import personal_or_to_open

MAX_PAUSE_WEEKS = 52
LATE_DAYS = 6  # a scheduled round missed while the bot was down is still made this late


@dataclass(frozen=True, slots=True)
class PairSettings:
    """How often rounds are made (0 weeks: never by the scheduler) and when to ask."""

    every_weeks: int = 0
    follow_up_days: int = 7


@dataclass(frozen=True, slots=True)
class GroupMessage:
    """What the edge needs to word a group's post or question."""

    network: Network
    round: PairRoundRecord
    group: PairGroupRecord
    names: dict[str, str]  # municipality key -> name
    contacts: tuple[Person, ...]  # the people of the group's municipalities


# The edge words the post that introduces a group, and the "did you meet?" card.
Renderer = Callable[[GroupMessage], Outbound]


@dataclass(frozen=True, slots=True)
class PairWork:
    """What the scheduler runs for pairs: the settings and the edge's two renderers."""

    settings: PairSettings
    prompt: Renderer
    ask: Renderer

    async def run(self, uow: UnitOfWorkFactory, clock: Clock) -> int:
        """Make due rounds and ask due questions; how many messages were queued."""
        return await run_due(uow, clock, self.settings, self.prompt, self.ask)


@dataclass(frozen=True, slots=True)
class MyPairs:
    """A reader's view of the latest round: their group, or every group for organisers."""

    network: Network
    round: PairRoundRecord | None
    names: dict[str, str]
    mine: PairGroupRecord | None
    municipality: str | None
    preference: PairPreference
    organiser: bool


@dataclass(frozen=True, slots=True)
class MetAnswer:
    """A recorded "did you meet?" answer, with what the card shows again."""

    network_name: str
    group: PairGroupRecord
    names: tuple[str, ...]
    met: bool


async def participants(work: UnitOfWork, network: Network, today: date) -> list[Participant]:
    """Member municipalities not out or paused, with themes from applications and cases."""
    prefs = await work.pairs.preferences(network.slug)
    themes: dict[str, set[str]] = {}
    for case in await work.cases.for_network(network.slug):
        if case.municipality:
            themes.setdefault(case.municipality, set()).update(case.themes)
    out = []
    for m in await work.networks.municipalities(network.slug):
        if m.seat_status is not SeatStatus.MEMBER:
            continue
        if not prefs.get(m.key, PairPreference()).active(today):
            continue
        application = await work.membership.application(network.slug, m.key)
        mine = themes.get(m.key, set()) | set(application.themes if application else ())
        out.append(Participant(m.key, frozenset(mine)))
    return out


async def make_round(
    work: UnitOfWork,
    network: Network,
    day: date,
    *,
    by: str,
    now: datetime,
    prompt: Renderer,
) -> PairRoundRecord | None:
    """Pair the network for `day` and queue each group's post; None if that day has a round."""
    people = await participants(work, network, day)
    history = [tuple(g.members for g in r.groups) for r in await work.pairs.rounds(network.slug)]
    # a bounded search, but up to a second or so for a large network: off the event loop
    chosen = await asyncio.to_thread(pair_round, people, history, f"{network.slug}:{day}")
    if not chosen.groups:
        raise InvalidInput(
            N_("Fewer than two municipalities take part in the pairs of {network}."),
            network=network.name,
        )
    themes = {p.key: p.themes for p in people}
    made = await work.pairs.create_round(
        network.slug,
        day,
        [(g, prompt_themes(g, themes)) for g in chosen.groups],
        by=by,
        now=now,
    )
    if made is None:
        return None
    channels = [
        r
        for r in await work.conversations.linked_to(network.slug)
        if r.installed and r.kind is ConversationKind.CHANNEL
    ]
    names, people_of = await _directory(work, network)
    items: list[NewDelivery] = []
    for group in made.groups:
        message = GroupMessage(network, made, group, names, _contacts(group, people_of))
        targets = channels or await _chats(work, network.slug, message.contacts)
        items += [
            NewDelivery(
                key=f"pairs:{network.slug}:{day.isoformat()}:g{group.position}|{ref.conversation_id}",
                ref=ref,
                message=prompt(message),
                network=network.slug,
            )
            for ref in targets
        ]
    await work.outbox.enqueue(items, now)
    return made


async def run_due(
    uow: UnitOfWorkFactory,
    clock: Clock,
    settings: PairSettings,
    prompt: Renderer,
    ask: Renderer,
) -> int:
    """Make the rounds that are due and send due questions, once across replicas; queued count."""
    now = clock.now()
    queued = 0
    async with uow() as work:
        networks = await work.networks.all()
    for network in networks if settings.every_weeks > 0 else []:
        today = now.astimezone(network.zone).date()
        due = latest_due(network.starts_on, network.ends_on, settings.every_weeks, today)
        if due is None or (today - due).days > LATE_DAYS:
            continue
        if today == due and now.astimezone(network.zone).time() < network.cadence.step_time:
            continue  # rounds go out at the network's usual hour, like its cadence steps
        async with uow() as work:
            rounds = await work.pairs.rounds(network.slug)
            if any(due - timedelta(days=LATE_DAYS) <= r.day <= today for r in rounds):
                continue  # made already, by the scheduler or on demand
            try:
                made = await make_round(work, network, due, by="scheduler", now=now, prompt=prompt)
            except InvalidInput:
                continue  # too few municipalities take part: nothing to pair
            await work.commit()
            queued += len(made.groups) if made else 0
    return queued + await ask_due(uow, clock, settings, ask)


async def ask_due(
    uow: UnitOfWorkFactory, clock: Clock, settings: PairSettings, ask: Renderer
) -> int:
    """Send "did you meet?" for rounds made `follow_up_days` ago (each round once)."""
    now = clock.now()
    queued = 0
    async with uow() as work:
        due = await work.pairs.unasked(now - timedelta(days=settings.follow_up_days))
    for made in due:
        async with uow() as work:
            network = await work.networks.get(made.network)
            if network is None or not await work.pairs.claim_follow_up(made.id, now):
                continue
            names, people_of = await _directory(work, network)
            items: list[NewDelivery] = []
            for group in made.groups:
                message = GroupMessage(network, made, group, names, _contacts(group, people_of))
                targets = await _chats(work, network.slug, message.contacts) or [
                    r
                    for r in await work.conversations.linked_to(network.slug)
                    if r.installed and r.kind is ConversationKind.CHANNEL
                ]
                items += [
                    NewDelivery(
                        key=f"pairs:{network.slug}:{made.day.isoformat()}:g{group.position}"
                        f":ask|{ref.conversation_id}",
                        ref=ref,
                        message=ask(message),
                        network=network.slug,
                    )
                    for ref in targets
                ]
            queued += await work.outbox.enqueue(items, now)
            await work.commit()
    return queued


async def pairs_now(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    prompt: Renderer,
) -> PairRoundRecord:
    """A facilitator or the secretariat makes a round today, whatever the schedule."""
    async with uow:
        person = await identify(uow, actor, directory)
        network = await network_for(uow, conversation_id, person, actor)
        if person is None:  # unknown to netpuls, so no roles in any network
            await audit.refuse(uow, clock, network.slug, None, OrganiserAction.MAKE_PAIRS)
        roles = await uow.people.roles(person.key, network.slug)
        await audit.require(uow, clock, network.slug, person.key, roles, OrganiserAction.MAKE_PAIRS)
        now = clock.now()
        made = await make_round(
            uow, network, now.astimezone(network.zone).date(), by=person.key, now=now, prompt=prompt
        )
        if made is None:
            raise InvalidInput(
                N_("{network} already has a round of pairs today."), network=network.name
            )
        await uow.commit()
    return made


async def my_pairs(
    uow: UnitOfWork, clock: Clock, conversation_id: str, actor: Actor, directory: Directory | None
) -> MyPairs:
    """The latest round as the reader sees it."""
    async with uow:
        person = await identify(uow, actor, directory)
        network = await network_for(uow, conversation_id, person, actor)
        roles = await uow.people.roles(person.key, network.slug) if person else frozenset()
        rounds = await uow.pairs.rounds(network.slug)
        latest = rounds[-1] if rounds else None
        names, _ = await _directory(uow, network)
        town = person.municipality if person else None
        mine = next((g for g in latest.groups if town in g.members), None) if latest else None
        prefs = await uow.pairs.preferences(network.slug)
        await uow.commit()  # Teams ids learnt while identifying the reader are kept
    return MyPairs(
        network,
        latest,
        names,
        mine,
        town,
        prefs.get(town, PairPreference()) if town else PairPreference(),
        is_organiser(roles),
    )


async def set_choice(
    uow: UnitOfWork,
    clock: Clock,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    choice: str,
    weeks: int = 0,
) -> tuple[Network, str, PairPreference]:
    """Opt the reader's municipality out ('optout'), pause it N weeks ('pause'), or 'resume'."""
    if choice == "pause" and not 1 <= weeks <= MAX_PAUSE_WEEKS:
        raise InvalidInput(
            N_("Write the number of weeks to pause, from 1 to {most}, e.g. pairs pause 4."),
            most=MAX_PAUSE_WEEKS,
        )
    async with uow:
        person = await identify(uow, actor, directory)
        network = await network_for(uow, conversation_id, person, actor)
        towns = {m.key: m.name for m in await uow.networks.municipalities(network.slug)}
        if person is None or person.municipality not in towns:
            raise NotAllowed(
                N_("Only a municipality's contact can change whether it takes part in pairs.")
            )
        today = clock.now().astimezone(network.zone).date()
        preference = {
            "optout": PairPreference(opted_out=True),
            "pause": PairPreference(paused_until=today + timedelta(weeks=weeks)),
            "resume": PairPreference(),
        }[choice]
        await uow.pairs.set_preference(network.slug, person.municipality, preference, by=person.key)
        await uow.commit()
    return network, towns[person.municipality], preference


async def answer_met(
    uow: UnitOfWork,
    clock: Clock,
    group_id: object,
    met: object,
    actor: Actor,
    directory: Directory | None,
) -> MetAnswer:
    """Record a group member's "did you meet?" answer; anything else is refused."""
    group_number = small_number(str(group_id) if isinstance(group_id, int) else group_id)
    if group_number is None:
        raise NotFound(N_("That round of pairs no longer exists."))
    if met not in ("yes", "no"):
        raise InvalidInput(N_("Answer yes or no."))
    async with uow:
        made = await uow.pairs.group(group_number)
        person = await identify(uow, actor, directory)
        group = next((g for g in made.groups if g.id == group_number), None) if made else None
        if made is None or group is None:
            raise NotFound(N_("That round of pairs no longer exists."))
        if person is None or person.municipality not in group.members:
            raise NotAllowed(N_("Only the municipalities of this pair can answer."))
        await uow.pairs.answer(
            group.id, person.municipality, met == "yes", by=person.key, now=clock.now()
        )
        network = await uow.networks.get(made.network)
        names, _ = await _directory(uow, network) if network else ({}, {})
        await uow.commit()
    return MetAnswer(
        network.name if network else made.network,
        group,
        tuple(names.get(k, k) for k in group.members),
        met == "yes",
    )


async def _directory(
    work: UnitOfWork, network: Network
) -> tuple[dict[str, str], dict[str, list[Person]]]:
    names = {m.key: m.name for m in await work.networks.municipalities(network.slug)}
    people_of: dict[str, list[Person]] = {}
    for person in await work.networks.people(network.slug):
        if person.municipality:
            people_of.setdefault(person.municipality, []).append(person)
    return names, people_of


def _contacts(group: PairGroupRecord, people_of: dict[str, list[Person]]) -> tuple[Person, ...]:
    return tuple(p for key in group.members for p in people_of.get(key, []))


async def _chats(
    work: UnitOfWork, network: str, people: tuple[Person, ...]
) -> list[ConversationRef]:
    """The contacts' personal chats, opened by the outbox where the bot has none yet."""
    chats = []
    for person in people:
        chat = await personal_or_to_open(work, person, network)
        if chat is not None:
            chats.append(chat)
    return chats
