"""Engines and session factories, built by the composition root, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# SQLite takes one writer at a time: with one pooled connection per process, units of work
# wait for the connection in the pool instead of contending for the database lock in SQLite's
# busy handler. A unit of work never opens another while it holds its connection
# (tests/test_storage_engine.py), so the wait cannot deadlock.
SQLITE_POOL_SIZE = 1
# How long a unit of work waits for the connection before it fails (a nested unit of work
# would wait this long for itself, then raise sqlalchemy.exc.TimeoutError).
SQLITE_POOL_TIMEOUT = 30.0


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys, a busy timeout and one connection."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs.update(
                pool_size=SQLITE_POOL_SIZE, max_overflow=0, pool_timeout=SQLITE_POOL_TIMEOUT
            )
        kwargs["connect_args"] = {"timeout": 30}
    else:
        # Recycle instead of pinging: a ping costs a round trip on every checkout.
        kwargs.update(pool_size=10, max_overflow=10, pool_recycle=1800)
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (domain objects are built from them)."""
    return async_sessionmaker(engine, expire_on_commit=False)
