"""The outbox: deliveries keyed for exactly-once, claimed with a lease, never sent twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model import person_to_reach
from services.ports import DeliveryRecord, Mention, NewDelivery, Outbound
from storage.cadence import DeliveryRow
from storage.dialect import insert_for
from storage.models import NetworkRow, PersonRow


def _payload(message: Outbound) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": message.text, "card": message.card}
    if message.mentions:
        payload["mentions"] = [[m.teams_id, m.name] for m in message.mentions]
    return payload


def _message(payload: dict[str, Any]) -> Outbound:
    return Outbound(
        text=payload.get("text") or "",
        card=payload.get("card"),
        mentions=tuple(Mention(str(i), str(n)) for i, n in payload.get("mentions") or ()),
    )


def _record(row: DeliveryRow, network: str | None = None) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        key=row.key,
        conversation_id=row.conversation_id,
        message=_message(row.payload),
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        remember=row.remember,
        activity_id=row.activity_id,
        network=network,
    )


class SqlOutbox:
    """Deliveries move pending -> claimed -> sending -> sent (or back to pending, or failed).

    `claimed` is leased to one worker and nothing has left for Teams yet; `sending` is set in
    its own transaction right before the request leaves. So after a crash an expired claim is
    simply retried, and only an expired `sending` is held as `unconfirmed`."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def enqueue(self, items: list[NewDelivery], now: datetime) -> int:
        """Add deliveries; a key already present is left alone (that is the exactly-once)."""
        added = 0
        for item in items:
            network_id = (
                await self._s.scalar(select(NetworkRow.id).where(NetworkRow.slug == item.network))
                if item.network
                else None
            )
            person = person_to_reach(item.ref.conversation_id)
            recipient_id = (
                await self._s.scalar(select(PersonRow.id).where(PersonRow.key == person))
                if person
                else None
            )
            if person and recipient_id is None:
                continue  # the person is gone (erased): nobody to deliver to
            stmt = (
                insert_for(self._s, DeliveryRow)
                .values(
                    key=item.key,
                    step_key=item.step_key,
                    network_id=network_id,
                    conversation_id=item.ref.conversation_id,
                    recipient_id=recipient_id,
                    payload=_payload(item.message),
                    remember=item.remember,
                    status="pending",
                    attempts=0,
                    last_error="",
                    next_attempt_at=now,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["key"])
            )
            result = await self._s.execute(stmt)
            added += int(result.rowcount)  # type: ignore[attr-defined]
        return added

    async def claim_due(
        self, now: datetime, lease_seconds: float, limit: int
    ) -> list[DeliveryRecord]:
        """Take up to `limit` due deliveries; each is won by exactly one claimant."""
        candidates = list(
            await self._s.scalars(
                select(DeliveryRow.id)
                .where(DeliveryRow.status == "pending", DeliveryRow.next_attempt_at <= now)
                .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id)
                .limit(limit)
            )
        )
        lease = now + timedelta(seconds=lease_seconds)
        won = []
        for delivery_id in candidates:
            result = await self._s.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id, DeliveryRow.status == "pending")
                .values(status="claimed", lease_until=lease, attempts=DeliveryRow.attempts + 1)
            )
            if result.rowcount:  # type: ignore[attr-defined]
                won.append(delivery_id)
        if not won:
            return []
        rows = await self._s.execute(
            select(DeliveryRow, NetworkRow.slug)
            .outerjoin(NetworkRow, DeliveryRow.network_id == NetworkRow.id)
            .where(DeliveryRow.id.in_(won))
            .order_by(DeliveryRow.id)
        )
        return [_record(row, slug) for row, slug in rows.tuples()]

    async def mark_sending(self, delivery_id: int, now: datetime) -> bool:
        """The request is about to leave: from here on a crash leaves it in doubt. False when
        the claim's lease has run out (another worker may have it now): send nothing."""
        result = await self._s.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.id == delivery_id,
                DeliveryRow.status == "claimed",
                DeliveryRow.lease_until >= now,
            )
            .values(status="sending")
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def mark_sent(self, delivery_id: int, activity_id: str, now: datetime) -> None:
        """The Connector accepted it."""
        await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(
                status="sent", activity_id=activity_id, sent_at=now, lease_until=None, last_error=""
            )
        )

    async def mark_retry(
        self, delivery_id: int, when: datetime, error: str, *, counted: bool = True
    ) -> None:
        """Try again at `when`; an attempt that never reached Teams does not count."""
        attempts = DeliveryRow.attempts if counted else DeliveryRow.attempts - 1
        await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(
                status="pending",
                next_attempt_at=when,
                lease_until=None,
                last_error=error[:500],
                attempts=attempts,
            )
        )

    async def mark_failed(self, delivery_id: int, status: str, error: str) -> None:
        """Give up: failed (dead letter) or blocked; the facilitator sees it."""
        await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(status=status, lease_until=None, last_error=error[:500])
        )

    async def readdress(self, delivery_id: int, conversation_id: str) -> None:
        """The person's personal chat is open now: deliver there."""
        await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(conversation_id=conversation_id)
        )

    async def wait(self, delivery_id: int, error: str) -> None:
        """Hold a message until the person opens a chat with the bot (they were @mentioned)."""
        await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(status="waiting", lease_until=None, last_error=error[:500])
        )

    async def release_waiting(self, person_key: str, conversation_id: str) -> int:
        """The person has a personal chat now: what waited for them goes there."""
        person_id = await self._s.scalar(select(PersonRow.id).where(PersonRow.key == person_key))
        if person_id is None:
            return 0
        result = await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.recipient_id == person_id, DeliveryRow.status == "waiting")
            .values(
                status="pending",
                conversation_id=conversation_id,
                attempts=0,
                last_error="",
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def recover(self, now: datetime) -> int:
        """Leases that ran out: a claim whose request never left goes back to pending (not an
        attempt); a delivery whose sender died mid-send is held as 'unconfirmed', never resent
        blindly (the Connector has no idempotency key). Returns how many were touched."""
        returned = await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.status == "claimed", DeliveryRow.lease_until < now)
            .values(status="pending", lease_until=None, attempts=DeliveryRow.attempts - 1)
        )
        result = await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.status == "sending", DeliveryRow.lease_until < now)
            .values(
                status="unconfirmed",
                last_error="the sender stopped while sending; "
                "check the conversation, then retry if missing",
            )
        )
        return int(returned.rowcount) + int(result.rowcount)  # type: ignore[attr-defined]

    async def listing(self, network: str | None, statuses: tuple[str, ...]) -> list[DeliveryRecord]:
        """Deliveries in these statuses, newest first (for the facilitator's card)."""
        query = select(DeliveryRow).where(DeliveryRow.status.in_(statuses))
        if network:
            query = query.join(NetworkRow).where(NetworkRow.slug == network)
        rows = await self._s.scalars(query.order_by(DeliveryRow.id.desc()).limit(200))
        return [_record(r) for r in rows]

    async def requeue(self, delivery_id: int, now: datetime) -> bool:
        """Retry a failed or unconfirmed delivery (the facilitator decided)."""
        result = await self._s.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.id == delivery_id,
                or_(
                    DeliveryRow.status == "failed",
                    DeliveryRow.status == "unconfirmed",
                    DeliveryRow.status == "blocked",
                ),
            )
            .values(status="pending", next_attempt_at=now, attempts=0)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
