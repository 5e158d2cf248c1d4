"""Two real `parley serve` processes over one PostgreSQL database and one Redis.

What a user would notice, each step asserted:
1. a message sent on node A reaches members connected to node B live, and vice versa;
2. presence crosses nodes (online and offline);
3. node A dies (SIGKILL) in the middle of a stream of sends: its clients move to node B,
   catch up with sync, the sender retries what was never acked and carries on, and in the
   end every member, by live frames plus sync and by history, has the same gapless log
   where every acknowledged message appears exactly once;
4. node A restarts under the same node id: presence is not haunted by its former life,
   and it serves the cluster again.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

import pytest

from bench.servers import Node
from tests.cluster.conftest import BOOT_TIMEOUT, Cluster
from tests.cluster.peers import Peer, group, people

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ALICE_SENDS = 90  # alice's stream, alternating between the two groups
KILL_AFTER_ACKS = 25  # node A dies right after this many of alice's acks...
WINDOW = 4  # ...with up to WINDOW - 1 further sends on the wire


async def test_two_nodes_fan_out_presence_and_failover(cluster: Cluster) -> None:
    started = time.monotonic()
    a, b = cluster.nodes
    admin, (alice, bob, carol, dave) = await people(cluster, a, "alice", "bob", "carol", "dave")
    main = await group(cluster, a, admin, "全员群", alice, bob, carol, dave)
    side = await group(cluster, a, alice, "小组", carol)
    alice.conversations, bob.conversations = [main, side], [main]
    carol.conversations, dave.conversations = [main, side], [main]

    await _step1_messages_cross_nodes(a, b, main, side, alice, bob, carol)
    await _step2_presence_crosses_nodes(cluster, a, b, main, alice, bob, dave)
    plan, acks, retried = await _step3_failover(a, b, main, side, alice, bob, carol)

    logs = {cid: await _history(cluster, b, alice, cid) for cid in (main, side)}
    _check_log(logs, plan, acks)
    for peer in (alice, bob, carol, dave, admin):
        for cid in peer.conversations:
            assert await _history(cluster, b, peer, cid) == logs[cid], (peer, cid)
    await _check_client_views(logs, retried, alice, bob, carol, dave)

    await _step4_node_restarts(cluster, a, b, main, alice, bob, carol)
    for peer in (alice, bob, carol, dave):
        assert not peer.problems, peer.problems
        await peer.close()
    print(f"cluster scenario took {time.monotonic() - started:.1f}s")


# -- the steps ------------------------------------------------------------------------------


async def _step1_messages_cross_nodes(
    a: Node, b: Node, main: str, side: str, alice: Peer, bob: Peer, carol: Peer
) -> None:
    for peer, node in ((alice, a), (bob, a), (carol, b)):
        await peer.connect(node)
        assert await peer.sync() == len(peer.conversations)  # each group's "created" event
        assert all(peer.contiguous(cid) == 1 for cid in peer.conversations)

    ack = await alice.send_and_ack(main, "a-to-b", "来自节点 A 的消息")
    assert (ack["seq"], ack["duplicate"]) == (2, False)
    await carol.receives(main, ack)  # A -> B
    await bob.receives(main, ack)  # A -> A
    await alice.receives(main, ack)  # the sender's other devices would see it too

    ack = await carol.send_and_ack(main, "b-to-a", "reply from node B")
    assert ack["seq"] == 3
    await alice.receives(main, ack)  # B -> A
    await bob.receives(main, ack)

    ack = await carol.send_and_ack(side, "b-to-a-side", "小组消息")
    assert ack["seq"] == 2
    await alice.receives(side, ack)
    await asyncio.sleep(0.1)  # bob is not in the side group: nothing may leak to him
    assert side not in bob.view


async def _step2_presence_crosses_nodes(
    cluster: Cluster, a: Node, b: Node, main: str, alice: Peer, bob: Peer, dave: Peer
) -> None:
    async def online_on(node: Node, *users: Peer) -> list[str]:
        params = {"user_ids": [u.user_id for u in users]}
        body = await cluster.call(node, "GET", "/presence", alice.token, params=params)
        return list(body["online"])

    assert await alice.online(dave, bob) == [bob.user_id]
    assert await online_on(a, dave) == []

    await dave.connect(b)
    await dave.sync()
    await alice.sees_presence(dave, "online")  # connected on B, seen by members on A
    await bob.sees_presence(dave, "online")
    assert await alice.online(dave) == [dave.user_id]
    assert await online_on(a, dave) == [dave.user_id]

    await dave.close()
    await alice.sees_presence(dave, "offline")
    assert await online_on(a, dave) == []
    await dave.connect(b)
    await dave.sync()
    await alice.sees_presence(dave, "online", times=2)
    assert dave.contiguous(main) == 3


async def _step3_failover(
    a: Node, b: Node, main: str, side: str, alice: Peer, bob: Peer, carol: Peer
) -> tuple[list[tuple[str, str]], dict[str, dict[str, Any]], set[str]]:
    """Alice streams on A with several sends in flight; A is SIGKILLed after
    KILL_AFTER_ACKS acks. Carol streams on B throughout. Bob just listens on A."""
    plan = [(side if i % 3 == 2 else main, f"alice-{i:03d}") for i in range(ALICE_SENDS)]
    acks: dict[str, dict[str, Any]] = {}
    retried: set[str] = set()
    alice_done = asyncio.Event()

    async def alice_streams() -> None:
        todo = deque(plan)
        inflight: deque[tuple[tuple[str, str], asyncio.Future[dict[str, Any]]]] = deque()
        try:
            while todo or inflight:
                try:
                    while todo and len(inflight) < WINDOW:
                        cid, cmid = todo[0]
                        inflight.append(((cid, cmid), await alice.send(cid, cmid, f"正文 {cmid}")))
                        todo.popleft()
                    (cid, cmid), fut = inflight[0]
                    ack = await asyncio.wait_for(fut, 10)
                    assert ack["type"] == "message.ack" and ack["client_msg_id"] == cmid, ack
                    inflight.popleft()
                    acks[cmid] = ack
                    if len(acks) == KILL_AFTER_ACKS and a.alive:
                        assert inflight, "node A must die with sends in flight"
                        a.kill()
                except ConnectionError:
                    assert not a.alive, "only node A's death may break alice's socket"
                    # Never acked: maybe stored, maybe not. Retry with the same ids on B.
                    retried.update(cmid for (_, cmid), _ in inflight)
                    for _, fut in inflight:
                        _forget(fut)
                    todo.extendleft(reversed([item for item, _ in inflight]))
                    inflight.clear()
                    await alice.failover(b)
        finally:
            alice_done.set()

    async def bob_moves() -> None:
        await bob.dropped.wait()
        assert not a.alive
        await bob.failover(b)

    async def carol_streams() -> list[dict[str, Any]]:
        sent = []
        while not alice_done.is_set():
            cmid = f"carol-{len(sent):03d}"
            sent.append(await carol.send_and_ack(main, cmid, f"carol {len(sent)}"))
            await asyncio.sleep(0.005)
        return sent

    async with asyncio.timeout(60):
        _, _, carol_acks = await asyncio.gather(alice_streams(), bob_moves(), carol_streams())

    assert not a.alive and alice.node is b and bob.node is b
    assert retried, "some of alice's sends were in flight when node A died"
    assert len(acks) == ALICE_SENDS and len(carol_acks) > 5
    dupes = [cmid for cmid in retried if acks[cmid]["duplicate"]]
    print(f"in flight at the kill: {sorted(retried)}; already stored by A: {sorted(dupes)}")
    cid, cmid = plan[KILL_AFTER_ACKS - 1]  # acked by A just before it died; its ack "lost"
    again = await alice.send_and_ack(cid, cmid, f"正文 {cmid}")
    assert again["duplicate"] and again["id"] == acks[cmid]["id"], (again, acks[cmid])
    assert again["seq"] == acks[cmid]["seq"]
    for cid in (main, side):
        mine = [acks[cmid]["seq"] for c, cmid in plan if c == cid]
        assert mine == sorted(mine), "one socket's sends are stored in the order sent"
    carol_cmids = [ack["client_msg_id"] for ack in carol_acks]
    acks.update(zip(carol_cmids, carol_acks, strict=True))
    plan += [(main, cmid) for cmid in carol_cmids]
    return plan, acks, retried


async def _step4_node_restarts(
    cluster: Cluster, a: Node, b: Node, main: str, alice: Peer, bob: Peer, carol: Peer
) -> None:
    """A comes back with the same PARLEY_NODE_ID. The devices it had when it died must not
    count as online any more: bob leaving B makes him offline everywhere."""
    a.start()
    await a.wait_healthy(BOOT_TIMEOUT)
    await bob.close()
    await alice.sees_presence(bob, "offline")
    body = await cluster.call(a, "GET", "/presence", alice.token, params={"user_ids": bob.user_id})
    assert body["online"] == []

    await bob.connect(a)  # the restarted node serves again: presence B <- A, messages B -> A
    await bob.sync()
    await alice.sees_presence(bob, "online")
    ack = await carol.send_and_ack(main, "after-restart", "欢迎回来")
    await bob.receives(main, ack)
    ack = await bob.send_and_ack(main, "from-restarted-a", "back on A")
    await carol.receives(main, ack)
    await alice.receives(main, ack)


def _forget(fut: asyncio.Future[Any]) -> None:
    """Drop an answer that will never come (or whose failure is already handled)."""
    if fut.done() and not fut.cancelled():
        fut.exception()  # retrieved, so asyncio does not log it as unhandled
    fut.cancel()


# -- checks ---------------------------------------------------------------------------------


def _check_log(
    logs: dict[str, list[dict[str, Any]]],
    plan: list[tuple[str, str]],
    acks: dict[str, dict[str, Any]],
) -> None:
    """The database's log: gapless, and every sent message in it exactly once, as acked."""
    for cid, log in logs.items():
        assert [m["seq"] for m in log] == list(range(1, len(log) + 1)), cid
        assert len({m["id"] for m in log}) == len(log)
        assert log[0]["kind"] == "system"
        cmids = [m["client_msg_id"] for m in log if m["kind"] == "text"]
        assert len(cmids) == len(set(cmids)), "a retried send was stored twice"
        sent = {cmid for c, cmid in plan if c == cid}
        assert sent <= set(cmids), f"acked but missing: {sorted(sent - set(cmids))}"
    for cid, cmid in plan:
        ack = acks[cmid]
        stored = logs[cid][ack["seq"] - 1]
        assert (stored["id"], stored["client_msg_id"]) == (ack["id"], cmid), (ack, stored)
        assert stored["text"] == ack["message"]["text"]


async def _check_client_views(
    logs: dict[str, list[dict[str, Any]]], retried: set[str], *peers: Peer
) -> None:
    """Each client's live frames plus sync give exactly the database's log.

    Clients that moved (alice, bob) synced after reconnecting and need nothing more.
    Clients that stayed on B may only have missed, live, what A stored in its last moment
    and never published: alice's sends in flight at the kill. They backfill by sync."""
    expected = {cid: {m["seq"]: m["id"] for m in log} for cid, log in logs.items()}
    by_seq = {cid: {m["seq"]: m for m in log} for cid, log in logs.items()}
    for peer in peers:
        for cid in peer.conversations:
            last = len(logs[cid])
            await peer.until(f"{cid} up to {last}", lambda p=peer, c=cid, n=last: n in p.view[c])
            if peer.name in ("carol", "dave"):
                missed = set(expected[cid]) - set(peer.view[cid])
                missed_cmids = {by_seq[cid][s]["client_msg_id"] for s in missed}
                assert missed_cmids <= retried, (peer, missed_cmids)
        if peer.name in ("carol", "dave"):
            await peer.sync()
        for cid in peer.conversations:
            assert peer.view[cid] == expected[cid], peer


# -- setup through node A's HTTP API --------------------------------------------------------


async def _history(cluster: Cluster, node: Node, peer: Peer, cid: str) -> list[dict[str, Any]]:
    """The whole log through GET /conversations/{id}/messages, paging forward."""
    items: list[dict[str, Any]] = []
    while True:
        params = {"after": items[-1]["seq"] if items else 0, "limit": 50}
        path = f"/conversations/{cid}/messages"
        page = await cluster.call(node, "GET", path, peer.token, params=params)
        items += page["items"]
        if not page["has_more"]:
            return items
