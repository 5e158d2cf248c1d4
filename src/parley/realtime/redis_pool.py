"""The node's Redis clients (broker and presence) over a bounded pool that makes a burst
wait for a connection instead of failing.

redis-py's default pool allows 100 connections and raises `MaxConnectionsError` for the
101st command in flight. A thousand sockets connecting together (the steady-chat bench,
or 9:00 on Monday) each touch presence, and one such error closed a new socket
(bench/README.md). Waiting a little for a free connection is what a burst needs.

redis-py gives retries only to the pools it builds itself; connections of a pool built
here have none unless given. Without them, after Redis restarts, the first command on
every pooled connection fails on its dead socket ("Connection closed by server"): each
node lost its next publishes, live messages included (tests/cluster/test_redis_outage.py).
A couple of quick retries reconnect; they are short so that a Redis that is really down
costs a command tens of milliseconds, not seconds.

A Redis that hangs (a stopped process, packets dropped) would otherwise hold a command
forever: commands time out after REDIS_TIMEOUT_SECONDS and are not retried then. Blocking
pub/sub reads are exempt from the timeout (redis-py), so an idle subscription stays."""

from __future__ import annotations

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

REDIS_CONNECTIONS = 64
REDIS_WAIT_SECONDS = 10.0
REDIS_RETRIES = 2
REDIS_TIMEOUT_SECONDS = 3.0


def redis_client(url: str, *, decode_responses: bool = False) -> aioredis.Redis:
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        max_connections=REDIS_CONNECTIONS,
        timeout=REDIS_WAIT_SECONDS,
        decode_responses=decode_responses,
        retry=Retry(
            ExponentialWithJitterBackoff(base=0.01, cap=0.05),
            REDIS_RETRIES,
            supported_errors=(RedisConnectionError,),
        ),
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    return aioredis.Redis.from_pool(pool)
