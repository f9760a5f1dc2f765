"""The tenants' next free send times: one row per tenant, moved on by one atomic UPDATE."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Double, String, case, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from services.send_budget import Reservation
from storage.dialect import insert_for
from storage.models import Base


class SendSlotRow(Base):
    """When the tenant's next send may go (seconds since the epoch)."""

    __tablename__ = "tenant_send_slots"

    tenant: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_at: Mapped[float] = mapped_column(Double())


class SqlSendSlots:
    """Reservations exact under concurrency: the UPDATE reads and moves the row it locks.

    PostgreSQL re-reads a row another transaction changed before updating it (READ
    COMMITTED), and SQLite runs one writer at a time, so two replicas asking together get
    two different slots, `interval` apart, in one round trip each.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def reserve(
        self, tenant: str, now: float, interval: float, horizon: float
    ) -> Reservation:
        """The slot at max(next free time, now); refused beyond `horizon` seconds."""
        # Typed binds: PostgreSQL would otherwise guess a parameter's type from the CASE.
        at: ColumnElement[float] = literal(now, Double())
        step: ColumnElement[float] = literal(interval, Double())
        latest: ColumnElement[float] = literal(now + horizon, Double())
        # Round again when the row appeared (another replica's first send) after the UPDATE
        # looked: the second or third time round, it exists and is seen.
        for _ in range(3):
            start = case((SendSlotRow.next_at < at, at), else_=SendSlotRow.next_at)
            moved = await self._s.scalar(
                update(SendSlotRow)
                .where(SendSlotRow.tenant == tenant, SendSlotRow.next_at <= latest)
                .values(next_at=start + step)
                .returning(SendSlotRow.next_at)
            )
            if moved is not None:
                return Reservation(True, moved - interval)
            free = await self._s.scalar(
                select(SendSlotRow.next_at).where(SendSlotRow.tenant == tenant)
            )
            if free is not None and free > now + horizon:
                return Reservation(False, free)
            if free is None:
                await self._s.execute(
                    insert_for(self._s, SendSlotRow)
                    .values(tenant=tenant, next_at=now)
                    .on_conflict_do_nothing(index_elements=["tenant"])
                )
        raise RuntimeError(f"no send slot for tenant {tenant!r} after three rounds")
