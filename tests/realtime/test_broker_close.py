"""A node that shuts down (a rolling restart) still publishes what its last sends queued:
members on the other nodes get those messages live, in order."""

from __future__ import annotations

import asyncio

from bench.servers import REDIS_HOST, pick_redis_db
from parley.core.events import Publication, conversation_topic
from parley.core.ids import new_id
from parley.realtime.broker import RedisBroker
from tests.services import require_redis


async def test_publications_queued_at_shutdown_reach_the_other_nodes_in_order() -> None:
    require_redis()
    url = f"{REDIS_HOST}/{await pick_redis_db()}"
    other, closing = RedisBroker(url), RedisBroker(url)
    received: list[bytes] = []
    everything = asyncio.Event()
    frames = [f'{{"type":"message.new","seq":{i}}}'.encode() for i in range(1, 20_001)]

    def on_frame(p: Publication) -> None:
        received.append(p.frame)
        if len(received) == len(frames):
            everything.set()

    await other.start(on_frame)
    await closing.start(lambda _p: None)
    topic = conversation_topic(new_id())
    try:
        for i in range(0, len(frames), 100):  # as send batches hand them over
            await closing.publish([Publication(topic, f) for f in frames[i : i + 100]])
        await closing.close()  # right away: most are still queued
        await asyncio.wait_for(everything.wait(), 20)
        assert received == frames
    finally:
        await other.close()
