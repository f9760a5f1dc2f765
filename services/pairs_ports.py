"""The port for sparring pairs: rounds, their groups, the "did you meet?" answers, opt-outs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class PairGroupRecord:
    """One group of a round (two municipalities, or three), with the themes they share."""

    id: int
    position: int
    members: tuple[str, ...]  # municipality keys
    themes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PairRoundRecord:
    """A stored round of sparring pairs."""

    id: int
    network: str  # network slug
    day: date
    created_at: datetime
    created_by: str
    groups: tuple[PairGroupRecord, ...]
    asked_at: datetime | None = None  # when "did you meet?" went out


@dataclass(frozen=True, slots=True)
class PairPreference:
    """A municipality's choice: out of pairing for good, or paused until a day."""

    opted_out: bool = False
    paused_until: date | None = None

    def active(self, today: date) -> bool:
        """Whether the municipality is paired on `today`."""
        return not self.opted_out and (self.paused_until is None or self.paused_until <= today)


class PairRepository(Protocol):
    """Rounds are unique per network and day: a second create of the same day is refused."""

    async def create_round(
        self,
        slug: str,
        day: date,
        groups: list[tuple[tuple[str, ...], tuple[str, ...]]],
        *,
        by: str,
        now: datetime,
    ) -> PairRoundRecord | None: ...
    async def rounds(self, slug: str) -> list[PairRoundRecord]: ...
    async def unasked(self, created_before: datetime) -> list[PairRoundRecord]: ...
    async def claim_follow_up(self, round_id: int, now: datetime) -> bool: ...
    async def group(self, group_id: int) -> PairRoundRecord | None: ...
    async def answer(
        self, group_id: int, municipality: str, met: bool, *, by: str, now: datetime
    ) -> None: ...
    async def answers(self, round_id: int) -> dict[tuple[int, str], bool]: ...
    async def preferences(self, slug: str) -> dict[str, PairPreference]: ...
    async def set_preference(
        self, slug: str, municipality: str, preference: PairPreference, *, by: str
    ) -> None: ...
    async def held_calls(
        self, slug: str, start: datetime, end: datetime
    ) -> list[tuple[str, datetime]]: ...
    async def held_by_municipality(self, slug: str, since: datetime) -> dict[str, int]: ...
