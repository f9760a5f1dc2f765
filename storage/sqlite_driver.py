"""SQLAlchemy's aiosqlite driver with one thread hop per statement instead of four.

aiosqlite runs each call on its connection's thread and wakes the event loop for the answer.
SQLAlchemy's adapter makes four such calls for a SELECT (cursor, execute, fetchall, close) and
three for a write; each hop is a queue put, a thread wake-up and a callback, and on a busy
machine the wake-ups, not SQLite, are where a unit of work's time goes. Here the whole
statement runs in one call on that thread. A rollback with no open transaction (after a
commit, or a unit of work that only read) is skipped: SQLite has nothing to undo then.

`FairQueuePool` hands the pooled connection to waiting units of work first come, first
served. SQLAlchemy's asyncio queue lets a newcomer take a connection that was just returned
ahead of a unit of work already woken for it, which then queues again at the back: with one
connection and 20 concurrent turns that made a few turns wait for seconds.

Built on aiosqlite's and SQLAlchemy's adapter internals (pinned in uv.lock); the storage tests
run every repository through it on SQLite.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty

_Outcome = tuple[Any, list[Any], Any, int]


def _run(connection: aiosqlite.Connection, operation: Any, parameters: Any) -> _Outcome:
    """On the connection's thread: execute, fetch every row, close the cursor."""
    cursor = connection._conn.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, [], cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


def _run_many(connection: aiosqlite.Connection, operation: Any, parameters: Any) -> _Outcome:
    """On the connection's thread: execute once per parameter set, close the cursor."""
    cursor = connection._conn.cursor()
    try:
        cursor.executemany(operation, parameters)
        return None, [], cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose `execute` and `executemany` are one call on the connection's thread."""

    __slots__ = ()

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        """Run the statement for every parameter set in one hop (no rows come back)."""
        try:
            outcome: _Outcome = self.await_(
                self._connection._execute(_run_many, self._connection, operation, seq_of_parameters)
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
            raise
        self.description, rows, self.lastrowid, self.rowcount = outcome
        self._rows = deque(rows)

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        """Run the statement and buffer its rows, as the stock adapter does, in one hop."""
        try:
            outcome: _Outcome = self.await_(
                self._connection._execute(_run, self._connection, operation, parameters)
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
            raise  # _handle_exception always raises; this keeps the type checker honest
        self.description, rows, self.lastrowid, self.rowcount = outcome
        self._rows = deque(rows)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Hands out one-hop cursors; skips a rollback when no transaction is open."""

    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        """A buffered one-hop cursor (server-side cursors stay the stock ones)."""
        if server_side:
            return super().cursor(server_side=True)
        return OneHopCursor(self)

    def rollback(self) -> None:
        """Roll back, unless SQLite says there is no transaction to roll back."""
        if self._connection._connection is not None and not self._in_transaction():
            return
        super().rollback()

    def _in_transaction(self) -> bool:
        # sqlite3_get_autocommit(): a flag read, safe between statements on this connection,
        # which the pool hands to one unit of work at a time.
        flag: bool = self._connection._conn.in_transaction
        return flag


class OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect uses, making one-hop connections."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        """Connect as the stock adapter does, then wrap the same aiosqlite connection."""
        stock = super().connect(*arg, **kw)
        return OneHopConnection(self, stock._connection)


def one_hop_dbapi() -> OneHopDbapi:
    """The module to pass as `create_async_engine(..., module=...)` for sqlite+aiosqlite."""
    return OneHopDbapi(aiosqlite, sqlite3)


class FairQueue(AsyncAdaptedQueue[Any]):
    """SQLAlchemy's asyncio pool queue, with waiters served strictly in arrival order."""

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        super().__init__(maxsize, use_lifo)
        self._line: asyncio.Lock | None = None  # made on first use, on the running loop

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        """Wait in line (an asyncio.Lock admits its waiters in order), then take the item."""
        if not block:
            return self.get_nowait()
        if self._line is None:
            self._line = asyncio.Lock()
        try:
            return self.await_(self._take(self._line, timeout))
        except TimeoutError as err:
            raise Empty() from err

    async def _take(self, line: asyncio.Lock, seconds: float | None) -> Any:
        async with asyncio.timeout(seconds):
            async with line:  # only the head of the line waits on the queue itself
                return await self._queue.get()


class FairQueuePool(AsyncAdaptedQueuePool):
    """An asyncio queue pool whose waiters get connections first come, first served."""

    # Log under SQLAlchemy's namespace, whose level SQLAlchemy keeps at WARNING, so a
    # command's INFO logging does not print every pool disposal.
    _sqla_logger_namespace = "sqlalchemy.pool.impl.FairQueuePool"
    _queue_class = FairQueue
