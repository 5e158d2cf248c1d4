"""The node's Redis clients (broker and presence) over a bounded pool that makes a burst
wait for a connection instead of failing.

redis-py's default pool allows 100 connections and raises `MaxConnectionsError` for the
101st command in flight. A thousand sockets connecting together (the steady-chat bench,
or 9:00 on Monday) each touch presence, and one such error closed a new socket
(bench/README.md). Waiting a little for a free connection is what a burst needs."""

from __future__ import annotations

import redis.asyncio as aioredis

REDIS_CONNECTIONS = 64
REDIS_WAIT_SECONDS = 10.0


def redis_client(url: str, *, decode_responses: bool = False) -> aioredis.Redis:
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        max_connections=REDIS_CONNECTIONS,
        timeout=REDIS_WAIT_SECONDS,
        decode_responses=decode_responses,
    )
    return aioredis.Redis.from_pool(pool)
