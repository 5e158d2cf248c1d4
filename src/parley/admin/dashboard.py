"""The console's dashboard: the organisation at a glance, and this node's health."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.admin import repository as repo
from parley.admin.schemas import Dashboard, DayCount, NodeHealth, UserCounts
from parley.core.clock import utcnow
from parley.users.principal import Principal

DAYS = 30


class OnlineLookup(Protocol):
    """realtime's presence (passed in by the router: this domain sits below realtime)."""

    async def online(self, user_ids: Iterable[str]) -> set[str]: ...


class BrokerProbe(Protocol):
    async def reachable(self) -> bool: ...


async def build(
    session: AsyncSession, actor: Principal, presence: OnlineLookup, broker: BrokerProbe
) -> Dashboard:
    actor.require(Permission.MANAGE_SETTINGS)
    counts = await repo.user_counts(session)
    active_ids = await repo.active_user_ids(session)
    online = await presence.online(str(u) for u in active_ids)
    today = utcnow().astimezone(UTC).date()
    first = today - timedelta(days=DAYS - 1)
    per_day = await repo.messages_per_day(
        session, datetime(first.year, first.month, first.day, tzinfo=UTC)
    )
    days = [first + timedelta(days=i) for i in range(DAYS)]
    storage_bytes, file_count = await repo.storage(session)
    return Dashboard(
        users=UserCounts(
            active=counts.get((True, False), 0),
            disabled=counts.get((False, False), 0) + counts.get((False, True), 0),
            guests=counts.get((True, True), 0),
        ),
        online_now=len(online),
        messages_today=per_day.get(today.isoformat(), 0),
        messages_per_day=[DayCount(day=d, messages=per_day.get(d.isoformat(), 0)) for d in days],
        storage_bytes=storage_bytes,
        file_count=file_count,
        health=NodeHealth(database=await _database_ok(session), broker=await broker.reachable()),
    )


async def _database_ok(session: AsyncSession) -> bool:
    try:
        await session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
