"""What a node publishes reaches the other nodes, in order, however the node ends:
- shutting down (a rolling restart), it still publishes what its last sends queued;
- killed, it has published everything whose `publish` had returned, so every message
  acknowledged before the kill reaches the members on the other nodes live."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from bench.servers import REDIS_HOST, pick_redis_db
from parley.core.events import Publication, conversation_topic
from parley.core.ids import new_id
from parley.realtime.broker import RedisBroker
from tests.services import require_redis

FRAMES = [f'{{"type":"message.new","seq":{i}}}'.encode() for i in range(1, 20_001)]
BATCH = 100  # publications per call, as send batches hand them over


@dataclass
class Receiver:
    """Another node: what it received, and when it has received `expected` frames."""

    expected: int
    frames: list[bytes] = field(default_factory=list)
    everything: asyncio.Event = field(default_factory=asyncio.Event)

    def __call__(self, p: Publication) -> None:
        self.frames.append(p.frame)
        if len(self.frames) == self.expected:
            self.everything.set()


@pytest.fixture
async def brokers() -> AsyncIterator[tuple[RedisBroker, Receiver, RedisBroker]]:
    require_redis()
    url = f"{REDIS_HOST}/{await pick_redis_db()}"
    other, leaving = RedisBroker(url), RedisBroker(url)
    receiver = Receiver(len(FRAMES))
    await other.start(receiver)
    await leaving.start(lambda _p: None)
    try:
        yield other, receiver, leaving
    finally:
        await other.close()


def batches(topic: str) -> list[list[Publication]]:
    return [
        [Publication(topic, f) for f in FRAMES[i : i + BATCH]] for i in range(0, len(FRAMES), BATCH)
    ]


async def test_publications_queued_at_shutdown_reach_the_other_nodes_in_order(
    brokers: tuple[RedisBroker, Receiver, RedisBroker],
) -> None:
    _, receiver, leaving = brokers
    sends = [asyncio.create_task(leaving.publish(b)) for b in batches(conversation_topic(new_id()))]
    await asyncio.sleep(0)  # every send has queued its publications; few have left
    assert leaving._outbox, "the test needs publications still queued at close"
    await leaving.close()
    await asyncio.gather(*sends)
    await asyncio.wait_for(receiver.everything.wait(), 30)
    assert receiver.frames == FRAMES


async def test_what_publish_returned_for_survives_the_node_being_killed(
    brokers: tuple[RedisBroker, Receiver, RedisBroker],
) -> None:
    _, receiver, killed = brokers
    for batch in batches(conversation_topic(new_id())):
        await killed.publish(batch)  # a send batch is acknowledged once this returns
    for task in (killed._publisher, killed._task):  # SIGKILL: nothing more leaves
        assert task is not None
        task.cancel()
    await killed.redis.aclose()
    await asyncio.wait_for(receiver.everything.wait(), 30)
    assert receiver.frames == FRAMES
