"""Who is online. A user is online while any of their devices is connected, on any node.

With Redis each node keeps its own count per user in a hash and a liveness key it
refreshes; the counts of a node whose key expired (it died) are ignored.

Counts belong to one *incarnation* of a node (node id + a random tag per start), and the
liveness key holds the tag of the incarnation alive now. A node that crashes and restarts
under the same node id cannot decrement what its former life counted; keyed by node id
alone, those counts would be revived by the new heartbeat and keep users online forever."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable

import redis.asyncio as aioredis

from parley.realtime.redis_pool import redis_client

NODE_TTL_SECONDS = 30


class Presence(ABC):
    @abstractmethod
    async def connected(self, user_id: str) -> bool:
        """Count a new device; True if the user just came online."""

    @abstractmethod
    async def disconnected(self, user_id: str) -> bool:
        """Count a device gone; True if the user just went offline."""

    @abstractmethod
    async def online(self, user_ids: Iterable[str]) -> set[str]: ...

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None


class MemoryPresence(Presence):
    def __init__(self) -> None:
        self._devices: Counter[str] = Counter()

    async def connected(self, user_id: str) -> bool:
        self._devices[user_id] += 1
        return self._devices[user_id] == 1

    async def disconnected(self, user_id: str) -> bool:
        self._devices[user_id] -= 1
        if self._devices[user_id] <= 0:
            del self._devices[user_id]
            return True
        return False

    async def online(self, user_ids: Iterable[str]) -> set[str]:
        return {u for u in user_ids if self._devices.get(u)}


def _node_key(node_id: str) -> str:
    return f"parley:node:{node_id}"


def _split_field(field: str) -> tuple[str, str]:
    """A count's hash field is `<node_id>|<incarnation>`; node ids may contain anything."""
    node_id, _, incarnation = field.rpartition("|")
    return node_id, incarnation


class RedisPresence(Presence):
    def __init__(self, url: str, node_id: str) -> None:
        self.redis = redis_client(url, decode_responses=True)
        self.node_id = node_id
        self.incarnation = uuid.uuid4().hex[:12]
        self.field = f"{node_id}|{self.incarnation}"
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._beat()
        self._task = asyncio.create_task(self._heartbeat(), name="presence-heartbeat")

    async def _beat(self) -> None:
        """Claim the node id for this incarnation; earlier ones stop counting at once."""
        await self.redis.set(_node_key(self.node_id), self.incarnation, ex=NODE_TTL_SECONDS)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(NODE_TTL_SECONDS / 3)
            with contextlib.suppress(aioredis.RedisError, OSError):
                await self._beat()

    async def _total(self, user_id: str) -> int:
        """Devices of the user on incarnations that are alive now."""
        counts = await self.redis.hgetall(f"parley:presence:{user_id}")
        if not counts:
            return 0
        fields = [(f, *_split_field(f)) for f in counts]
        alive = await self.redis.mget([_node_key(node) for _, node, _ in fields])
        return sum(
            int(counts[f])
            for (f, _, incarnation), current in zip(fields, alive, strict=True)
            if current == incarnation
        )

    async def connected(self, user_id: str) -> bool:
        await self.redis.hincrby(f"parley:presence:{user_id}", self.field, 1)
        return await self._total(user_id) == 1

    async def disconnected(self, user_id: str) -> bool:
        key = f"parley:presence:{user_id}"
        if await self.redis.hincrby(key, self.field, -1) <= 0:
            await self.redis.hdel(key, self.field)
        return await self._total(user_id) == 0

    async def online(self, user_ids: Iterable[str]) -> set[str]:
        return {u for u in user_ids if await self._total(u) > 0}

    async def close(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(aioredis.RedisError, OSError):
            # Only if still ours: a newer incarnation may already have taken the node id.
            if await self.redis.get(_node_key(self.node_id)) == self.incarnation:
                await self.redis.delete(_node_key(self.node_id))
        await self.redis.aclose()


def create_presence(broker_url: str, node_id: str) -> Presence:
    if broker_url.startswith("memory"):
        return MemoryPresence()
    return RedisPresence(broker_url, node_id)
