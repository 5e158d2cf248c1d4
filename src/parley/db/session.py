"""Transaction scopes. The boundary (HTTP dependency, socket command, CLI) owns the
transaction; services only flush. Realtime publications registered on a session are
handed to the publisher after COMMIT, and dropped on rollback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from parley.core.events import Publication
from parley.db.engine import Database

Publisher = Callable[[Sequence[Publication]], Awaitable[None]]

_KEY = "parley.publications"


def publish_on_commit(session: AsyncSession, *publications: Publication) -> None:
    session.info.setdefault(_KEY, []).extend(publications)


@asynccontextmanager
async def write_scope(db: Database, publish: Publisher) -> AsyncIterator[AsyncSession]:
    async with db.write_session() as session:
        try:
            async with session.begin():
                yield session
        finally:
            pending: list[Publication] = session.info.pop(_KEY, [])
    # Only reached when the block above committed.
    if pending:
        await publish(pending)


@asynccontextmanager
async def read_scope(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.read_session() as session, session.begin():
        yield session


@asynccontextmanager
async def scan_scope(db: Database) -> AsyncIterator[AsyncSession]:
    """A read transaction for queries that may run long (search): off the event loop."""
    async with db.scan_session() as session, session.begin():
        yield session
