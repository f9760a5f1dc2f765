"""Conversations the bot is in, and the inbound activities it has handled."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model import ConversationRef
from storage.dialect import insert_for
from storage.mapping import conversation_from_row
from storage.models import ConversationRow, InboundActivityRow, NetworkRow, utcnow

# Ids that one Teams event brings and another lacks: a missing one never erases a known one.
KEPT_WHEN_MISSING = frozenset(
    {
        "tenant_id",
        "bot_id",
        "bot_name",
        "team_id",
        "team_aad_group_id",
        "teams_channel_id",
        "user_id",
        "user_aad_object_id",
    }
)


class SqlConversationRepository:
    """Stored conversation references and which network each is linked to."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def save(self, ref: ConversationRef) -> None:
        """Insert or refresh a reference; an existing network link is kept, and so is every
        id an earlier event brought that this one lacks (no event carries them all)."""
        values = {
            "conversation_id": ref.conversation_id,
            "kind": ref.kind.value,
            "service_url": ref.service_url,
            "channel_id": ref.channel_id,
            "tenant_id": ref.tenant_id,
            "bot_id": ref.bot_id,
            "bot_name": ref.bot_name,
            "team_id": ref.team_id,
            "team_aad_group_id": ref.team_aad_group_id,
            "teams_channel_id": ref.teams_channel_id,
            "user_id": ref.user_id,
            "user_aad_object_id": ref.user_aad_object_id,
            "installed": ref.installed,
        }
        now = utcnow()
        stmt = insert_for(self._s, ConversationRow).values(**values, created_at=now, updated_at=now)
        columns = ConversationRow.__table__.c
        refresh = {
            k: func.coalesce(stmt.excluded[k], columns[k])
            if k in KEPT_WHEN_MISSING
            else stmt.excluded[k]
            for k in values
            if k != "conversation_id"
        }
        # A conversation lives in one tenant: the first one known is kept, so an activity
        # claiming another cannot move a linked channel (and its network) into its tenant.
        refresh["tenant_id"] = func.coalesce(columns["tenant_id"], stmt.excluded["tenant_id"])
        await self._s.execute(
            stmt.on_conflict_do_update(
                index_elements=["conversation_id"], set_={**refresh, "updated_at": now}
            )
        )

    async def get(self, conversation_id: str) -> ConversationRef | None:
        """The stored reference for a conversation id, or None."""
        row = (
            await self._s.scalars(
                select(ConversationRow).where(ConversationRow.conversation_id == conversation_id)
            )
        ).first()
        return conversation_from_row(row) if row else None

    async def link(self, conversation_id: str, network_slug: str) -> bool:
        """Link a stored conversation to a network; False if either is unknown."""
        net = (
            await self._s.scalars(select(NetworkRow).where(NetworkRow.slug == network_slug))
        ).first()
        if net is None:
            return False
        result = await self._s.execute(
            update(ConversationRow)
            .where(ConversationRow.conversation_id == conversation_id)
            .values(network_id=net.id, updated_at=utcnow())
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def linked_to(self, network_slug: str) -> list[ConversationRef]:
        """The conversations linked to a network."""
        rows = await self._s.scalars(
            select(ConversationRow).join(NetworkRow).where(NetworkRow.slug == network_slug)
        )
        return [conversation_from_row(r) for r in rows]

    async def mark_uninstalled(self, conversation_id: str) -> None:
        """Remember that the bot was removed from a conversation."""
        await self._s.execute(
            update(ConversationRow)
            .where(ConversationRow.conversation_id == conversation_id)
            .values(installed=False, updated_at=utcnow())
        )

    async def mark_team_uninstalled(self, team_id: str) -> None:
        """Remember that the bot was removed from every channel of a team."""
        await self._s.execute(
            update(ConversationRow)
            .where(ConversationRow.team_id == team_id)
            .values(installed=False, updated_at=utcnow())
        )

    async def complete_team(self, team_id: str, aad_group_id: str) -> None:
        """Give the team's references its aadGroupId where they lack it (a known one stays)."""
        await self._s.execute(
            update(ConversationRow)
            .where(ConversationRow.team_id == team_id, ConversationRow.team_aad_group_id.is_(None))
            .values(team_aad_group_id=aad_group_id, updated_at=utcnow())
        )

    async def personal_for(self, teams_user_id: str) -> ConversationRef | None:
        """The bot's installed personal chat with a user, if there is one."""
        row = (
            await self._s.scalars(
                select(ConversationRow).where(
                    ConversationRow.kind == "personal",
                    ConversationRow.user_id == teams_user_id,
                    ConversationRow.installed.is_(True),
                )
            )
        ).first()
        return conversation_from_row(row) if row else None


class SqlActivityLog:
    """Inbound activity ids already handled, claimed under a unique constraint."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def claim(self, conversation_id: str, activity_id: str) -> bool:
        """True the first time this activity is seen; False for a redelivery.

        The unique key decides, so two replicas claiming one activity at once claim it once.
        """
        claimed = await self._s.execute(
            insert_for(self._s, InboundActivityRow)
            .values(conversation_id=conversation_id, activity_id=activity_id, received_at=utcnow())
            .on_conflict_do_nothing(index_elements=["conversation_id", "activity_id"])
            .returning(InboundActivityRow.id)
        )
        return claimed.first() is not None

    async def release(self, conversation_id: str, activity_id: str) -> None:
        """Forget a claim so the key can be claimed again."""
        await self._s.execute(
            delete(InboundActivityRow).where(
                InboundActivityRow.conversation_id == conversation_id,
                InboundActivityRow.activity_id == activity_id,
            )
        )
