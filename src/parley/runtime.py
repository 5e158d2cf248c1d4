"""What every request needs: settings, the database, password hashing, the publisher.

Built once by `create_app` and exposed to endpoints through the dependencies below.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from parley.config import Settings
from parley.core.app_state import app_state
from parley.db.engine import Database
from parley.db.session import Publisher, read_scope, scan_scope, write_scope
from parley.security.passwords import Passwords


@dataclass
class Runtime:
    settings: Settings
    db: Database
    passwords: Passwords
    publish: Publisher


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


async def _read_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with read_scope(get_runtime(request).db) as session:
        yield session


async def _scan_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with scan_scope(get_runtime(request).db) as session:
        yield session


async def _write_session(request: Request) -> AsyncIterator[AsyncSession]:
    rt = get_runtime(request)
    async with write_scope(rt.db, rt.publish) as session:
        yield session


RuntimeDep = Annotated[Runtime, Depends(app_state("runtime"))]
# scope="function": commit happens before the response is sent (ack after commit).
ReadSession = Annotated[AsyncSession, Depends(_read_session, scope="function")]
WriteSession = Annotated[AsyncSession, Depends(_write_session, scope="function")]
ScanSession = Annotated[AsyncSession, Depends(_scan_session, scope="function")]
