"""Fan-out between nodes. One publish per event whatever the audience: every node
receives it and delivers it to its own sockets (O(nodes), never O(members))."""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Sequence

import redis.asyncio as aioredis
import structlog

from parley.core.events import ALL_SOCKETS, Publication
from parley.core.jsonutil import dumps, loads
from parley.realtime.redis_pool import redis_client

Deliver = Callable[[Publication], None]
log = structlog.get_logger()

CHANNEL = "parley:events"
# Every socket of every node: clients catch up by sync (events were lost on the way).
SYNC_REQUIRED = Publication(ALL_SOCKETS, b'{"type":"sync.required"}')
OUTBOX_LIMIT = 100_000  # publications waiting for Redis; beyond it they are dropped
PUBLISH_BATCH = 1_000  # publications per pipeline
RETRY_SECONDS = 0.5  # between attempts while Redis does not answer
# How long a publish waits for Redis to take it before the send is acknowledged anyway.
HANDOVER_SECONDS = 0.5
# Closing gives up once the outbox has not shrunk for this long (Redis gone or hung).
CLOSE_STALL_SECONDS = 2.0


def channel_for(redis: aioredis.Redis) -> str:
    """Redis pub/sub ignores the database number: two installations sharing a server on
    /0 and /1 would receive each other's events (message text included). Scope by it."""
    db = int(redis.connection_pool.connection_kwargs.get("db") or 0)
    return f"{CHANNEL}:{db}"


class Broker(ABC):
    def __init__(self) -> None:
        self._deliver: Deliver = lambda _p: None
        self.on_reconnect: Callable[[], None] = lambda: None

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    @abstractmethod
    def post(self, publications: Sequence[Publication]) -> None:
        """Queue for every node and return at once: for events nobody is told were
        delivered (typing, presence)."""

    async def publish(self, publications: Sequence[Publication]) -> None:
        """Hand to every node before an acknowledgement goes out (after a COMMIT)."""
        self.post(publications)

    async def close(self) -> None:
        return None

    async def reachable(self) -> bool:
        """Whether the fan-out between nodes works now (admin dashboard's node health)."""
        return True


class MemoryBroker(Broker):
    """One node: publishing is delivering."""

    def post(self, publications: Sequence[Publication]) -> None:
        for p in publications:
            self._deliver(p)


def encode(p: Publication) -> bytes:
    """Header, frame and the frame's hidden forms, one per line (compact JSON has no
    line breaks); the header lists the forms' seqs."""
    header = {"t": p.topic, "c": p.control}
    if p.hidden:
        header["h"] = [seq for seq, _ in p.hidden]
    return b"\n".join([dumps(header), p.frame, *(form for _, form in p.hidden)])


def decode(data: bytes) -> Publication:
    header, frame, *forms = data.split(b"\n")
    meta = loads(header)
    seqs = meta.get("h", ())
    if len(seqs) != len(forms):
        raise ValueError("hidden forms do not match their seqs")
    return Publication(meta["t"], frame, meta["c"], tuple(zip(seqs, forms, strict=True)))


class RedisBroker(Broker):
    """Several nodes over Redis pub/sub. Redis keeps no backlog: a node that loses its
    connection misses events, so after reconnecting it tells its clients to sync.

    Publishing is queued and done by one task, in order, many publications per pipeline.
    `publish` returns once Redis has taken the publications, so an acknowledged message
    has reached the other nodes even if this node dies right after its ack
    (tests/cluster/test_two_nodes.py). It waits at most HANDOVER_SECONDS, and not at all
    while Redis is failing: a hung Redis must not hold every send of the node
    (tests/cluster/test_redis_outage.py). `post` queues without waiting (typing, presence).
    Publications that cannot be sent are dropped; once Redis answers again the node
    publishes `sync.required` to every socket of every node, whose clients then catch up."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.redis = redis_client(url)
        self.channel = channel_for(self.redis)
        self._task: asyncio.Task[None] | None = None
        self._publisher: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._outbox: deque[Publication] = deque()
        self._queued = asyncio.Event()
        self._lost = False
        self._stalled = False  # a handover timed out; no waiting until Redis answers
        self._closing = False
        self._queued_total = 0  # publications ever queued
        self._done_total = 0  # of those, published or dropped
        self._handovers: deque[tuple[int, asyncio.Future[None]]] = deque()

    async def start(self, deliver: Deliver) -> None:
        await super().start(deliver)
        await self.redis.ping()
        self._task = asyncio.create_task(self._listen(), name="redis-broker")
        self._publisher = asyncio.create_task(self._publish_loop(), name="redis-publisher")
        await asyncio.wait_for(self._ready.wait(), 10)

    async def reachable(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self.redis.ping(), 2))
        except (TimeoutError, OSError, aioredis.RedisError):
            return False

    def post(self, publications: Sequence[Publication]) -> None:
        if len(self._outbox) + len(publications) > OUTBOX_LIMIT:
            if not self._lost:
                log.warning("broker.outbox_full", dropped=len(publications))
            self._lost = True
        else:
            self._outbox.extend(publications)
            self._queued_total += len(publications)
        self._queued.set()

    async def publish(self, publications: Sequence[Publication]) -> None:
        self.post(publications)
        if self._lost or self._stalled or self._closing:
            return
        handed = asyncio.get_running_loop().create_future()
        self._handovers.append((self._queued_total, handed))
        done, _ = await asyncio.wait({handed}, timeout=HANDOVER_SECONDS)
        if not done and not self._stalled:
            log.warning("broker.handover_slow", seconds=HANDOVER_SECONDS)
            self._stalled = True

    def _settle(self, count: int) -> None:
        """`count` more publications left the outbox (sent, or dropped on failure)."""
        self._done_total += count
        while self._handovers and self._handovers[0][0] <= self._done_total:
            _, handed = self._handovers.popleft()
            if not handed.done():
                handed.set_result(None)

    async def _publish_loop(self) -> None:
        """The one task that publishes, so publications leave in order. When the node
        closes it publishes what is queued and ends (or gives up if Redis is down)."""
        while not self._closing:
            await self._queued.wait()
            self._queued.clear()
            while self._outbox or self._lost:
                if self._closing and self._lost:
                    return
                await self._publish_some()

    async def _publish_some(self) -> None:
        batch = [self._outbox.popleft() for _ in range(min(len(self._outbox), PUBLISH_BATCH))]
        lost = self._lost
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for p in [*batch, SYNC_REQUIRED] if lost else batch:
                    pipe.publish(self.channel, encode(p))
                await pipe.execute()
        except Exception as exc:  # the publisher must survive any failure, or live delivery stops
            # The database has the truth; clients catch up by sync once Redis is back.
            log.warning("broker.publish_failed", error=str(exc), dropped=len(batch))
            self._lost = True
            self._settle(len(batch))
            await asyncio.sleep(RETRY_SECONDS)
        else:
            self._stalled = False
            if lost:  # sync.required went out with this batch
                self._lost = False
            self._settle(len(batch))

    async def _listen(self) -> None:
        first = True
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self._ready.set()
                    if not first:
                        self.on_reconnect()
                    first = False
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            self._dispatch(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the loop must survive any Redis failure
                log.warning("broker.listen_failed", error=str(exc))
                await asyncio.sleep(1)

    async def _drain(self, publisher: asyncio.Task[None]) -> None:
        """Wait for the publisher to end, giving up once it has made no progress for
        CLOSE_STALL_SECONDS: a slow host still drains, a dead Redis does not hold us."""
        while not publisher.done():
            before = self._done_total
            await asyncio.wait({publisher}, timeout=CLOSE_STALL_SECONDS)
            if not publisher.done() and self._done_total == before:
                log.warning("broker.close_dropped", queued=len(self._outbox))
                publisher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await publisher

    def _dispatch(self, data: bytes) -> None:
        try:
            publication = decode(data)
        except (ValueError, KeyError) as exc:
            log.warning("broker.bad_message", error=str(exc))
            return
        self._deliver(publication)

    async def close(self) -> None:
        """Let the publisher send what is queued for as long as Redis takes it (it may be
        the reason for closing), then stop."""
        self._closing = True
        self._queued.set()
        if self._publisher:
            await self._drain(self._publisher)
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.redis.aclose()


def create_broker(url: str) -> Broker:
    if url.startswith("memory"):
        return MemoryBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBroker(url)
    raise ValueError(f"Unsupported broker URL: {url}")
