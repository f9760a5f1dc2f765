"""What expires: dietary needs after each meeting, a network's people and applications after
its end. Every method counts what it changed, per network, so a dry run can tell the same."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model import RoleKind
from domain.privacy import ERASED
from storage.privacy import DIET_COLUMNS, PENDING, SqlPrivacy
from storage.privacy_search import Swap, count_of, mentions, table_named, tables

# Organisers receive the retention reports and run the service: they are erased on request.
ORGANISERS = (RoleKind.SECRETARIAT.value, RoleKind.FACILITATOR.value)


class SqlRetention:
    """Deletes and anonymises what has been kept long enough."""

    def __init__(self, session: AsyncSession, privacy: SqlPrivacy) -> None:
        self._s = session
        self._privacy = privacy

    async def clear_diets(self, held_before: date) -> dict[str, int]:
        """Dietary needs and notes of meetings held on or before this day, per network."""
        meetings, networks = tables("meetings", "networks")
        ended = func.coalesce(meetings.c.end_day, meetings.c.day) <= held_before
        rows = (
            await self._s.execute(
                select(networks.c.slug, meetings.c.id)
                .join(networks, networks.c.id == meetings.c.network_id)
                .where(ended)
            )
        ).all()
        by_network: dict[str, list[int]] = {}
        for slug, meeting_id in rows:
            by_network.setdefault(slug, []).append(meeting_id)
        counts: dict[str, int] = {}
        for slug, ids in by_network.items():
            n = await self._clear(slug, ids)
            if n:
                counts[slug] = n
        return counts

    async def _clear(self, slug: str, meeting_ids: list[int]) -> int:
        rsvps, changes = tables("rsvps", "rsvp_changes")
        answered = rsvps.c.meeting_id.in_(meeting_ids)
        diets = list(
            await self._s.scalars(select(rsvps.c.dietary).where(answered, rsvps.c.dietary != ""))
        )
        columns = DIET_COLUMNS["rsvps"]
        filled = or_(*(rsvps.c[c] != "" for c in columns))
        n = count_of(
            await self._s.execute(
                update(rsvps).where(answered, filled).values({c: "" for c in columns})
            )
        )
        mine = select(rsvps.c.id).where(answered)
        await self._s.execute(
            update(changes)
            .where(changes.c.rsvp_id.in_(mine), or_(*(changes.c[c] != "" for c in columns)))
            .values({c: "" for c in columns})
        )
        await self._forget_sent(slug, sorted({d for d in diets if len(d) >= 3}))
        return n

    async def _forget_sent(self, slug: str, values: list[str]) -> None:
        """Messages of the network that carry these values (the attendee lists): emptied when
        sent, the values taken out of those still waiting."""
        deliveries, networks = tables("deliveries", "networks")
        carried = mentions(deliveries, values)
        if carried is None:
            return
        network = select(networks.c.id).where(networks.c.slug == slug).scalar_subquery()
        rows = await self._s.execute(
            select(deliveries.c.id, deliveries.c.status, deliveries.c.payload).where(
                deliveries.c.network_id == network, carried
            )
        )
        without = Swap(values, "", "")
        for row_id, status, payload in rows.all():
            emptied = without.any(payload) if status == PENDING else {"text": "", "card": None}
            await self._s.execute(
                update(deliveries).where(deliveries.c.id == row_id).values(payload=emptied)
            )

    async def network_ends(self) -> dict[str, date]:
        """Each network's last day."""
        networks = table_named("networks")
        rows = await self._s.execute(select(networks.c.slug, networks.c.ends_on))
        return {slug: ends_on for slug, ends_on in rows.all()}

    async def expire_network(
        self, slug: str, expired: Sequence[str], today: date
    ) -> dict[str, int]:
        """A network long over: applications, evaluation links and diets deleted, and its people
        anonymised unless they take part in a network not `expired` or hold an organiser role."""
        networks, meetings = tables("networks", "meetings")
        network = select(networks.c.id).where(networks.c.slug == slug).scalar_subquery()
        held = select(meetings.c.id).where(meetings.c.network_id == network)
        counts: dict[str, int] = {}
        applications = table_named("applications")
        counts["applications"] = count_of(
            await self._s.execute(delete(applications).where(applications.c.network_id == network))
        )
        respondents = table_named("evaluation_respondents")
        finals = table_named("final_evaluation_respondents")
        counts["evaluation links"] = count_of(
            await self._s.execute(delete(respondents).where(respondents.c.meeting_id.in_(held)))
        ) + count_of(await self._s.execute(delete(finals).where(finals.c.network_id == network)))
        counts["dietary"] = await self._clear(slug, list(await self._s.scalars(held)))
        people = 0
        for key in await self._people_only_in_ended(network, expired):
            subject = await self._privacy.subject(email=key)
            await self._privacy.erase(subject, today)
            people += 1
        counts["people"] = people
        return {k: v for k, v in counts.items() if v}

    async def _people_only_in_ended(self, network: Any, expired: Sequence[str]) -> list[str]:
        people, networks, meetings = tables("people", "networks", "meetings")
        roles, seats, rsvps = tables("roles", "seat_people", "rsvps")

        def ties(network_ids: Any) -> list[Any]:
            return [
                select(roles.c.person_id).where(roles.c.network_id.in_(network_ids)),
                select(seats.c.person_id).where(seats.c.network_id.in_(network_ids)),
                select(rsvps.c.person_id)
                .join(meetings, meetings.c.id == rsvps.c.meeting_id)
                .where(meetings.c.network_id.in_(network_ids)),
            ]

        this = select(networks.c.id).where(networks.c.id == network)
        running = select(networks.c.id).where(networks.c.slug.not_in(expired))
        organisers = select(roles.c.person_id).where(roles.c.kind.in_(ORGANISERS))
        rows = await self._s.scalars(
            select(people.c.key).where(
                or_(*(people.c.id.in_(t) for t in ties(this))),
                not_(or_(*(people.c.id.in_(t) for t in ties(running)))),
                people.c.id.not_in(organisers),
                not_(people.c.key.startswith(f"{ERASED}-")),
            )
        )
        return list(rows)
