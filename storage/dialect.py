"""What differs between SQLite and PostgreSQL in the statements the repositories write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Any) -> Any:
    """INSERT for the session's dialect, so ON CONFLICT clauses are available."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


async def lock_row(session: AsyncSession, table: Any, row_id: Any) -> None:
    """Hold the row (by primary key `id`) until the transaction ends; others wait for it.

    PostgreSQL locks the row (SELECT ... FOR UPDATE). SQLite has no row locks: a write as
    the first statement takes the database's write lock, and reads after it see what others
    committed.
    """
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(update(table).where(table.id == row_id).values(id=table.id))
    else:
        await session.execute(select(table.id).where(table.id == row_id).with_for_update())
