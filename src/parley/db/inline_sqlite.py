"""An aiosqlite-compatible connection that runs SQLite calls inline, on the event loop.

Why: aiosqlite runs every call on a worker thread. Through SQLAlchemy's adapter one
statement costs four thread round trips (open cursor, execute, fetch, close cursor), each
a queue put, a thread wake-up, the GIL changing hands and a loop wake-up: about 0.5 ms of
wall time and a lot of CPU on a statement SQLite itself runs in 10-50 us. The send path
is a handful of statements on the single writer connection, so those hops, not SQLite,
bounded sends per second (py-spy: most server samples in `_connection_worker_thread`,
queue puts and epoll wake-ups; see bench/README.md).

Used for the writer and the readers. Writes are serialised anyway (one connection,
`BEGIN IMMEDIATE`), each statement touches a few rows through an index, and with WAL and
`synchronous=NORMAL` a commit does not fsync, so running them inline blocks the loop for
microseconds. Reads are index lookups of tens to hundreds of microseconds (a session, the
memberships, a page of the log), where the hops cost more than SQLite: through aiosqlite
an authenticated request spent ~0.9 ms of CPU per read transaction on them (bench/README.md).
Only scans that can take long (search over a large index) keep aiosqlite's threads
(`Database.scan_session`), so they never stall the loop. Waiting for a lock held by
another process (a backup, the CLI) must not block the loop either: the connections use
`busy_timeout=0` and this module retries SQLITE_BUSY with `asyncio.sleep`, up to
`BUSY_WAIT_SECONDS`.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any

BUSY_WAIT_SECONDS = 10.0


async def _retry_busy(call: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + BUSY_WAIT_SECONDS
    delay = 0.001
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Any = ()) -> InlineCursor:
        await _retry_busy(lambda: self._cursor.execute(sql, parameters))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        rows = list(parameters)
        await _retry_busy(lambda: self._cursor.executemany(sql, rows))
        return self

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def close(self) -> None:
        self._cursor.close()


class _InlineQueue:
    """Stands in for aiosqlite's request queue, which SQLAlchemy uses directly to set
    `isolation_level`: run the call now and resolve its future."""

    def __init__(self) -> None:
        self.closed = False

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is not None:
                future.set_exception(exc)
            return
        if future is not None:
            future.set_result(result)


class InlineConnection:
    """The subset of `aiosqlite.Connection` that SQLAlchemy's aiosqlite dialect uses."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._connection: sqlite3.Connection | None = conn
        self._tx = _InlineQueue()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def commit(self) -> None:
        await _retry_busy(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)


def inline_creator(path: str) -> Callable[[], Any]:
    """`async_creator` for `create_async_engine`: a fresh inline connection to `path`."""

    async def connect() -> InlineConnection:
        return InlineConnection(sqlite3.connect(path, isolation_level=None))

    return connect
