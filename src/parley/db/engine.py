"""Engines and session makers for SQLite (embedded) and PostgreSQL.

SQLite allows one writer at a time. Rather than let writers collide and retry, every
write transaction goes through a pool of exactly one connection and starts with
`BEGIN IMMEDIATE`; readers use their own pool and, thanks to WAL, never wait on it.
Writer and readers run SQLite on the event loop (inline_sqlite.py); scans that may take
long (search) have a third pool that runs them on threads. PostgreSQL uses one pool for
all three.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
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

from parley.config import Settings
from parley.db.inline_sqlite import inline_creator

Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class FairSessions:
    """SQLite write sessions handed out first come, first served.

    The writer pool has one connection, and a pool checkout is not fair: a coroutine that
    returns the connection and asks again at once (a socket whose next `message.send` is
    already buffered) takes it back before the waiter that was woken gets to run. With the
    inline writer (a transaction never yields to the loop) that starved other sockets for
    seconds under load. asyncio.Lock queues waiters in order, so the gate makes it fair."""

    def __init__(self, maker: async_sessionmaker[AsyncSession]) -> None:
        self.maker = maker
        self.gate = asyncio.Lock()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        async with self.gate, self.maker() as session:
            yield session


@dataclass
class Database:
    read_engine: AsyncEngine
    write_engine: AsyncEngine
    scan_engine: AsyncEngine
    read_session: async_sessionmaker[AsyncSession]
    scan_session: async_sessionmaker[AsyncSession]
    write_session: Sessions
    is_sqlite: bool

    async def dispose(self) -> None:
        for engine in {self.write_engine, self.read_engine, self.scan_engine}:
            await engine.dispose()


def _sqlite_engine(
    url: str, *, begin: str, pool_size: int, synchronous: str, inline: bool = False
) -> AsyncEngine:
    """`inline`: the connection runs SQLite calls on the event loop (see inline_sqlite.py);
    it then waits for a busy lock with asyncio.sleep, not inside SQLite (busy_timeout=0),
    so another process holding the lock never stalls the loop."""
    path = sqlite_path(url)
    extra: dict[str, Any] = {}
    if inline and path is not None:
        extra["async_creator"] = inline_creator(str(path))
    else:
        inline = False
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=60, **extra)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            f"synchronous={synchronous.upper()}",
            "foreign_keys=ON",
            "busy_timeout=0" if inline else "busy_timeout=10000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def create_database(settings: Settings) -> Database:
    url = settings.database_url
    if settings.is_sqlite:
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        sync = settings.sqlite_synchronous
        write = _sqlite_engine(
            url, begin="BEGIN IMMEDIATE", pool_size=1, synchronous=sync, inline=True
        )
        read = _sqlite_engine(url, begin="BEGIN", pool_size=8, synchronous=sync, inline=True)
        scan = _sqlite_engine(url, begin="BEGIN", pool_size=4, synchronous=sync)
    else:
        write = read = scan = create_async_engine(
            url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_size,
            pool_pre_ping=True,
        )
    return Database(
        read_engine=read,
        write_engine=write,
        scan_engine=scan,
        read_session=async_sessionmaker(read, expire_on_commit=False),
        scan_session=async_sessionmaker(scan, expire_on_commit=False),
        write_session=(
            FairSessions(async_sessionmaker(write, expire_on_commit=False))
            if settings.is_sqlite
            else async_sessionmaker(write, expire_on_commit=False)
        ),
        is_sqlite=settings.is_sqlite,
    )
