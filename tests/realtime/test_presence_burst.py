"""Presence under a connect burst: more devices coming online at once than the node has
Redis connections, as when everyone signs in at 9:00."""

from __future__ import annotations

import asyncio
import uuid

from bench.servers import REDIS_HOST, pick_redis_db
from parley.realtime.presence import RedisPresence
from parley.realtime.redis_pool import REDIS_CONNECTIONS
from tests.services import require_redis


async def test_a_burst_beyond_the_redis_pool_waits_its_turn_and_counts_everyone() -> None:
    require_redis()
    presence = RedisPresence(f"{REDIS_HOST}/{await pick_redis_db()}", f"burst-{uuid.uuid4().hex}")
    users = [f"user-{uuid.uuid4().hex}" for _ in range(REDIS_CONNECTIONS * 5)]
    await presence.start()
    try:
        firsts = await asyncio.gather(*(presence.connected(u) for u in users))
        assert all(firsts)  # every device was its user's first: all announced online
        assert await presence.online(users) == set(users)
        lasts = await asyncio.gather(*(presence.disconnected(u) for u in users))
        assert all(lasts) and await presence.online(users) == set()
    finally:
        await presence.close()
