"""Redis goes away under two running nodes, then comes back: killed and restarted (a
restart, a failover), or stopped and resumed (a hung host, a partition).

What users would notice, each step asserted:
1. nobody is disconnected: open sockets stay open, and a socket opened while Redis is
   down authenticates and works (presence is a courtesy, not a precondition);
2. sending keeps working: messages sent during the outage are acknowledged, stored once,
   and reach the other members by sync (live fan-out between nodes needs Redis);
3. when Redis is back every node resubscribes, tells its sockets `sync.required`, and
   live delivery across nodes resumes; every member ends with the same gapless log;
4. a Redis that hangs does not hold up sends: each is acknowledged after its COMMIT, and
   the members are told to sync for what could not be published; a socket opened during
   the hang is served at once, not after Redis's command timeout.

The Redis here is a `redis-server` of the test's own on a free port, killed and started
again, so the shared Redis of the machine is never touched."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from bench.servers import die_with_parent, free_port
from parley.realtime.redis_pool import REDIS_TIMEOUT_SECONDS
from tests.cluster.conftest import Cluster, running_cluster
from tests.cluster.peers import group, people
from tests.services import require_postgres, require_redis_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

OUTAGE_SENDS = 5


class OwnRedis:
    """A throw-away `redis-server` (no persistence) that can be killed and restarted."""

    def __init__(self, workdir: Path) -> None:
        self.port, self.workdir = free_port(), workdir
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        client = aioredis.Redis.from_url(self.url)
        try:
            deadline = time.monotonic() + 10
            while True:
                with contextlib.suppress(aioredis.ConnectionError):
                    if await client.ping():
                        return
                assert time.monotonic() < deadline, "redis-server did not start"
                await asyncio.sleep(0.05)
        finally:
            await client.aclose()

    def pause(self, paused: bool) -> None:
        """SIGSTOP / SIGCONT: a Redis that accepts connections and never answers (a hung
        host, a partition that drops packets): worse than a dead one."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)

    async def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            await self.proc.wait()
            self.proc = None


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[OwnRedis]:
    require_postgres()
    require_redis_server()
    redis = OwnRedis(tmp_path)
    await redis.start()
    try:
        yield redis
    finally:
        await redis.kill()


@pytest.fixture
async def cluster_on_own_redis(tmp_path: Path, own_redis: OwnRedis) -> AsyncIterator[Cluster]:
    async with running_cluster(tmp_path, own_redis.url) as cluster:
        yield cluster


async def test_redis_outage_loses_nothing_and_nobody(
    cluster_on_own_redis: Cluster, own_redis: OwnRedis
) -> None:
    cluster = cluster_on_own_redis
    a, b = cluster.nodes
    admin, (alice, bob, carol) = await people(cluster, a, "alice", "bob", "carol")
    main = await group(cluster, a, admin, "运维演练", alice, bob, carol)
    for peer in (alice, bob, carol):
        peer.conversations = [main]
    await alice.connect(a)
    await bob.connect(b)
    for peer in (alice, bob):
        await peer.sync()
    ack = await alice.send_and_ack(main, "before", "停机前")
    await bob.receives(main, ack)  # A -> B through Redis

    await own_redis.kill()
    await carol.connect(a)  # presence cannot be counted: the socket must still open
    await carol.sync()
    acks = [
        await alice.send_and_ack(main, f"during-{i}", f"停机中 {i}") for i in range(OUTAGE_SENDS)
    ]
    assert [x["seq"] for x in acks] == list(range(ack["seq"] + 1, ack["seq"] + 1 + OUTAGE_SENDS))
    http_sent = await cluster.call(
        b, "POST", f"/conversations/{main}/messages", bob.token, expect=201,
        json={"text": "HTTP 发送，停机中", "client_msg_id": "during-http"},
    )  # fmt: skip
    assert http_sent["seq"] == acks[-1]["seq"] + 1
    await asyncio.sleep(1.5)  # long enough for the nodes to notice and retry
    for peer in (alice, bob, carol):
        assert not peer.dropped.is_set(), f"{peer} was disconnected during the outage"

    await own_redis.start()  # same port, empty: what a restarted Redis looks like
    resync = {"type": "sync.required"}
    for peer in (alice, bob, carol):
        await peer.until("sync.required", lambda p=peer: resync in p.frames, timeout=15)  # type: ignore[misc]
        await peer.sync()
    last = http_sent["seq"]
    for peer in (alice, bob, carol):
        assert peer.contiguous(main) == last, (peer, peer.contiguous(main), last)

    after = await bob.send_and_ack(main, "after", "恢复后")  # B -> A live again
    for peer in (alice, bob, carol):
        await peer.receives(main, after)
        assert not peer.dropped.is_set() and not peer.problems, (peer, peer.problems)
    views = [dict(peer.view[main]) for peer in (alice, bob, carol)]
    assert views[0] == views[1] == views[2]
    assert sorted(views[0]) == list(range(1, after["seq"] + 1))
    for peer in (alice, bob, carol):
        await peer.close()


async def test_a_hung_redis_does_not_hold_up_sends(
    cluster_on_own_redis: Cluster, own_redis: OwnRedis
) -> None:
    cluster = cluster_on_own_redis
    a, b = cluster.nodes
    admin, (alice, bob, carol) = await people(cluster, a, "alice", "bob", "carol")
    main = await group(cluster, a, admin, "挂起演练", alice, bob, carol)
    for peer in (alice, bob, carol):
        peer.conversations = [main]
    await alice.connect(a)
    await bob.connect(b)
    own_redis.pause(True)
    try:
        # Each ack must come (send_and_ack waits 10 s): the commit does not need Redis.
        acks = [await alice.send_and_ack(main, f"hung-{i}", f"挂起 {i}") for i in range(3)]
        # Counting carol's presence waits for Redis; her socket must not: hello and pong
        # come before Redis's command timeout has run out.
        async with asyncio.timeout(REDIS_TIMEOUT_SECONDS * 0.8):
            await carol.connect(a)
            assert (await (await carol.request({"type": "ping", "ref": "p"})))["type"] == "pong"
        await asyncio.sleep(REDIS_TIMEOUT_SECONDS + 1)  # node A gives those publishes up
    finally:
        own_redis.pause(False)
    assert [x["seq"] for x in acks] == [2, 3, 4]
    await bob.until("sync.required", lambda: {"type": "sync.required"} in bob.frames, timeout=15)
    await bob.sync()
    assert bob.contiguous(main) == 4
    after = await alice.send_and_ack(main, "after", "恢复后")
    await bob.receives(main, after)
    for peer in (alice, bob, carol):
        assert not peer.dropped.is_set() and not peer.problems, (peer, peer.problems)
        await peer.close()
