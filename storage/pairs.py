"""Sparring pairs on SQL: a round per network and day (unique), its groups, answers, opt-outs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.pairs_ports import PairGroupRecord, PairPreference, PairRoundRecord
from storage.dialect import insert_for
from storage.models import NetworkRow
from storage.pairs_models import PairAnswerRow, PairGroupRow, PairPreferenceRow, PairRoundRow


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlPairRepository:
    """Rounds, groups, answers and preferences of the sparring pairs."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _network_id(self, slug: str) -> Any:
        return select(NetworkRow.id).where(NetworkRow.slug == slug).scalar_subquery()

    async def create_round(
        self,
        slug: str,
        day: date,
        groups: list[tuple[tuple[str, ...], tuple[str, ...]]],
        *,
        by: str,
        now: datetime,
    ) -> PairRoundRecord | None:
        """Store a round and its groups; None when the network already has one that day."""
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        if network_id is None:
            return None
        inserted = await self._s.scalar(
            insert_for(self._s, PairRoundRow)
            .values(network_id=network_id, day=day, created_at=now, created_by=by[:254])
            .on_conflict_do_nothing(index_elements=["network_id", "day"])
            .returning(PairRoundRow.id)
        )
        if inserted is None:
            return None  # another replica (or an earlier run) made this day's round
        for position, (members, themes) in enumerate(groups):
            self._s.add(
                PairGroupRow(
                    round_id=inserted, position=position, members=list(members), themes=list(themes)
                )
            )
        await self._s.flush()
        return await self._round(inserted, slug)

    async def _round(self, round_id: int, slug: str) -> PairRoundRecord | None:
        row = await self._s.get(PairRoundRow, round_id)
        if row is None:
            return None
        groups = await self._s.scalars(
            select(PairGroupRow)
            .where(PairGroupRow.round_id == round_id)
            .order_by(PairGroupRow.position)
        )
        return PairRoundRecord(
            id=row.id,
            network=slug,
            day=row.day,
            created_at=_aware(row.created_at),
            created_by=row.created_by,
            groups=tuple(
                PairGroupRecord(g.id, g.position, tuple(g.members), tuple(g.themes)) for g in groups
            ),
            asked_at=_aware(row.asked_at) if row.asked_at else None,
        )

    async def rounds(self, slug: str) -> list[PairRoundRecord]:
        """Every round of a network, oldest first."""
        ids = await self._s.scalars(
            select(PairRoundRow.id)
            .where(PairRoundRow.network_id == self._network_id(slug))
            .order_by(PairRoundRow.day, PairRoundRow.id)
        )
        found = [await self._round(i, slug) for i in list(ids)]
        return [r for r in found if r is not None]

    async def unasked(self, created_before: datetime) -> list[PairRoundRecord]:
        """Rounds made before a moment whose "did you meet?" has not gone out."""
        rows = await self._s.execute(
            select(PairRoundRow.id, NetworkRow.slug)
            .join(NetworkRow, NetworkRow.id == PairRoundRow.network_id)
            .where(PairRoundRow.asked_at.is_(None), PairRoundRow.created_at <= created_before)
            .order_by(PairRoundRow.created_at)
        )
        found = [await self._round(i, slug) for i, slug in list(rows)]
        return [r for r in found if r is not None]

    async def claim_follow_up(self, round_id: int, now: datetime) -> bool:
        """Mark the follow-up sent; only one claimant wins."""
        result = await self._s.execute(
            update(PairRoundRow)
            .where(PairRoundRow.id == round_id, PairRoundRow.asked_at.is_(None))
            .values(asked_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def group(self, group_id: int) -> PairRoundRecord | None:
        """The round a group belongs to."""
        found = (
            await self._s.execute(
                select(PairGroupRow.round_id, NetworkRow.slug)
                .join(PairRoundRow, PairRoundRow.id == PairGroupRow.round_id)
                .join(NetworkRow, NetworkRow.id == PairRoundRow.network_id)
                .where(PairGroupRow.id == group_id)
            )
        ).first()
        return await self._round(found[0], found[1]) if found else None

    async def answer(
        self, group_id: int, municipality: str, met: bool, *, by: str, now: datetime
    ) -> None:
        """Record (or change) a municipality's answer for its group."""
        values = {"met": met, "answered_by": by[:254], "answered_at": now}
        await self._s.execute(
            insert_for(self._s, PairAnswerRow)
            .values(group_id=group_id, municipality_key=municipality, **values)
            .on_conflict_do_update(index_elements=["group_id", "municipality_key"], set_=values)
        )

    async def answers(self, round_id: int) -> dict[tuple[int, str], bool]:
        """Every answer of a round, by group id and municipality."""
        rows = await self._s.execute(
            select(PairAnswerRow.group_id, PairAnswerRow.municipality_key, PairAnswerRow.met)
            .join(PairGroupRow, PairGroupRow.id == PairAnswerRow.group_id)
            .where(PairGroupRow.round_id == round_id)
        )
        return {(g, m): bool(met) for g, m, met in rows}

    async def preferences(self, slug: str) -> dict[str, PairPreference]:
        """Who opted out or paused, by municipality key."""
        rows = await self._s.scalars(
            select(PairPreferenceRow).where(PairPreferenceRow.network_id == self._network_id(slug))
        )
        return {r.municipality_key: PairPreference(r.opted_out, r.paused_until) for r in rows}

    async def set_preference(
        self, slug: str, municipality: str, preference: PairPreference, *, by: str
    ) -> None:
        """Opt a municipality out, pause it, or bring it back."""
        network_id = await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug))
        if network_id is None:
            return
        values = {
            "opted_out": preference.opted_out,
            "paused_until": preference.paused_until,
            "updated_by": by[:254],
        }
        await self._s.execute(
            insert_for(self._s, PairPreferenceRow)
            .values(network_id=network_id, municipality_key=municipality, **values)
            .on_conflict_do_update(index_elements=["network_id", "municipality_key"], set_=values)
        )

    async def held_calls(
        self, slug: str, start: datetime, end: datetime
    ) -> list[tuple[str, datetime]]:
        """Calls held (someone answered yes), one per member, at the first yes, in [start, end)."""
        first_yes = (
            select(PairAnswerRow.group_id, func.min(PairAnswerRow.answered_at).label("at"))
            .where(PairAnswerRow.met.is_(True))
            .group_by(PairAnswerRow.group_id)
            .subquery()
        )
        rows = await self._s.execute(
            select(PairGroupRow.members, first_yes.c.at)
            .join(first_yes, first_yes.c.group_id == PairGroupRow.id)
            .join(PairRoundRow, PairRoundRow.id == PairGroupRow.round_id)
            .where(
                PairRoundRow.network_id == self._network_id(slug),
                first_yes.c.at >= start,
                first_yes.c.at < end,
            )
        )
        return sorted(
            ((str(key), _aware(at)) for members, at in rows for key in members),
            key=lambda e: (e[1], e[0]),
        )

    async def held_by_municipality(self, slug: str, since: datetime) -> dict[str, int]:
        """How many pair calls each municipality held since a moment (see `held_calls`)."""
        counts: dict[str, int] = {}
        for key, _ in await self.held_calls(slug, since, datetime.max.replace(tzinfo=UTC)):
            counts[key] = counts.get(key, 0) + 1
        return counts
