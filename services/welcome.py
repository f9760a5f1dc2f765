"""Welcoming new members: the network's calendar, themes and the bot's main commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar

from domain.errors import N_, NotAllowed
from domain.membership import Application
from domain.model import Meeting, MeetingStatus, Municipality, Network, SeatStatus
from services.calendar import meeting_ics
from services.networks import Actor, Directory, identify, network_for
from services.ports import NewDelivery, Outbound, UnitOfWork


@dataclass(frozen=True, slots=True)
class Welcome:
    """What a new member is shown: the network, its meetings, their municipality, a language."""

    network: Network
    meetings: tuple[Meeting, ...]
    municipalities: tuple[Municipality, ...]
    municipality_name: str
    language: str


# The edge turns a welcome into a card (cards are the edge's business, not the services').
WelcomeRenderer = Callable[[Welcome], Outbound]


def welcome_key(slug: str, municipality_key: str, conversation_id: str) -> str:
    """The outbox key of a welcome: one per admitted municipality and personal chat."""
    return f"{slug}:welcome:{municipality_key}|{conversation_id}"


async def _welcome(
    uow: UnitOfWork, network: Network, municipality_key: str | None, language: str
) -> Welcome:
    meetings = tuple(
        m
        for m in await uow.networks.meetings(network.slug)
        if m.status is not MeetingStatus.CANCELLED
    )
    towns = tuple(await uow.networks.municipalities(network.slug))
    name = next((m.name for m in towns if m.key == municipality_key), "")
    return Welcome(network, meetings, towns, name, language)


async def welcome_for(
    uow: UnitOfWork,
    conversation_id: str,
    actor: Actor,
    directory: Directory | None,
    language: str,
) -> Welcome:
    """The welcome again, for a member of the conversation's network (`welcome`)."""
    async with uow:
        person = await identify(uow, actor, directory)
        network = await network_for(uow, conversation_id, person, actor)
        roles = await uow.people.roles(person.key, network.slug) if person else frozenset()
        seated = {
            m.key
            for m in await uow.networks.municipalities(network.slug)
            if m.seat_status is SeatStatus.MEMBER
        }
        if person is None or not (roles or person.municipality in seated):
            raise NotAllowed(
                N_(
                    "Only members of {network} get the welcome. Ask the secretariat to add "
                    "you to your municipality's seat."
                ),
                network=network.name,
            )
        found = await _welcome(uow, network, person.municipality, language)
        await uow.commit()  # identify() may have remembered the reader's Teams ids
    return found


async def enqueue_welcomes(
    uow: UnitOfWork,
    network: Network,
    admitted: Sequence[Application],
    now: datetime,
    render: WelcomeRenderer,
) -> int:
    """Put a welcome for each admitted applicant with a personal chat in the outbox, once.

    Runs inside the caller's transaction (the confirmation), so the welcome is queued exactly
    when the admission is stored; the outbox's unique key keeps a retried click from doubling it.
    """
    items: list[NewDelivery] = []
    for application in admitted:
        ref = await uow.conversations.personal_for(application.submitted_by)
        if ref is None or not ref.installed:
            continue  # the secretariat is told to reach them; `welcome` shows it later
        language = await uow.preferences.language(application.submitted_by) or network.language
        found = await _welcome(uow, network, application.municipality_key, language)
        items.append(
            NewDelivery(
                key=welcome_key(network.slug, application.municipality_key, ref.conversation_id),
                ref=ref,
                message=render(found),
                network=network.slug,
            )
        )
    return await uow.outbox.enqueue(items, now) if items else 0


async def calendar_of(
    uow: UnitOfWork, slug: str
) -> tuple[Network, list[Meeting], dict[str, str]] | None:
    """A network with every meeting and its municipalities' names, for the calendar file."""
    async with uow:
        network = await uow.networks.get(slug)
        if network is None:
            return None
        meetings = await uow.networks.meetings(slug)
        towns = {m.key: m.name for m in await uow.networks.municipalities(slug)}
    return network, meetings, towns


def network_ics(
    network: Network, entries: Sequence[tuple[Meeting, str, str]], now: datetime
) -> bytes:
    """One iCalendar file with every meeting (meeting, host name, title), same UIDs as each."""
    calendar = Calendar()
    calendar.add("prodid", "-//netpuls//network calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", network.name)
    for meeting, host_name, title in entries:
        single = Calendar.from_ical(meeting_ics(network, meeting, host_name, title, now))
        for event in single.walk("VEVENT"):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
