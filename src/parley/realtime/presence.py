"""Who is online. A user is online while any of their devices is connected, on any node.

With Redis each node keeps its own count per user in a hash and a liveness key it
refreshes; the counts of a node whose key expired (it died) are ignored."""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable

import redis.asyncio as aioredis

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


class RedisPresence(Presence):
    def __init__(self, url: str, node_id: str) -> None:
        self.redis = aioredis.Redis.from_url(url, decode_responses=True)
        self.node_id = node_id
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._beat()
        self._task = asyncio.create_task(self._heartbeat(), name="presence-heartbeat")

    async def _beat(self) -> None:
        await self.redis.set(f"parley:node:{self.node_id}", 1, ex=NODE_TTL_SECONDS)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(NODE_TTL_SECONDS / 3)
            with contextlib.suppress(aioredis.RedisError, OSError):
                await self._beat()

    async def _total(self, user_id: str) -> int:
        counts = await self.redis.hgetall(f"parley:presence:{user_id}")
        if not counts:
            return 0
        nodes = list(counts)
        alive = await self.redis.mget([f"parley:node:{n}" for n in nodes])
        return sum(int(counts[n]) for n, a in zip(nodes, alive, strict=True) if a)

    async def connected(self, user_id: str) -> bool:
        await self.redis.hincrby(f"parley:presence:{user_id}", self.node_id, 1)
        return await self._total(user_id) == 1

    async def disconnected(self, user_id: str) -> bool:
        key = f"parley:presence:{user_id}"
        if await self.redis.hincrby(key, self.node_id, -1) <= 0:
            await self.redis.hdel(key, self.node_id)
        return await self._total(user_id) == 0

    async def online(self, user_ids: Iterable[str]) -> set[str]:
        return {u for u in user_ids if await self._total(u) > 0}

    async def close(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(aioredis.RedisError, OSError):
            await self.redis.delete(f"parley:node:{self.node_id}")
        await self.redis.aclose()


def create_presence(broker_url: str, node_id: str) -> Presence:
    if broker_url.startswith("memory"):
        return MemoryPresence()
    return RedisPresence(broker_url, node_id)
