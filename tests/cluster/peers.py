"""A test client that behaves like a real one: one socket to some node, a background reader
that keeps every frame, and a per-conversation view of the log (seq -> message id) built
from live frames and from HTTP sync. It records protocol violations instead of raising
inside the reader, so the test can assert on them at the end."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import orjson
import websockets

from bench.servers import Node
from tests.cluster.conftest import Cluster

SYNC_PAGE = 7  # small on purpose: every catch-up below spans several pages
PASSWORD = "correct-horse-battery"


class FrameRefused(AssertionError):
    """The server answered a request frame with an error frame."""


class Peer:
    def __init__(self, cluster: Cluster, name: str, token: str, user_id: str) -> None:
        self.cluster, self.name, self.token, self.user_id = cluster, name, token, user_id
        self.conversations: list[str] = []
        self.node: Node | None = None
        self.view: dict[str, dict[int, str]] = defaultdict(dict)
        self.live: dict[str, set[int]] = defaultdict(set)  # this connection's message.new
        self.live_ever: dict[str, set[int]] = defaultdict(set)  # every connection's
        self.frames: list[dict[str, Any]] = []
        self.problems: list[str] = []
        self.sync_pages = 0
        self.early_frames = 0  # frames that arrived before hello (see connect)
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._socket: websockets.ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self.dropped = asyncio.Event()

    def __repr__(self) -> str:
        return f"Peer({self.name}@{self.node.name if self.node else '-'})"

    # -- connection -------------------------------------------------------------------

    async def connect(self, node: Node) -> dict[str, Any]:
        """Open a socket on `node` and authenticate; the server subscribes us before hello."""
        sock = await websockets.connect(node.ws_url, open_timeout=5, max_size=2**22)
        await sock.send(orjson.dumps({"type": "auth", "token": self.token}).decode())
        early = []  # subscribed before hello: live frames may already precede it
        while (frame := dict(orjson.loads(await asyncio.wait_for(sock.recv(), 5))))["type"] in (
            "message.new",
            "presence",
            "typing",
        ):
            early.append(frame)
        hello = frame
        assert hello["type"] == "hello", hello
        assert hello["user_id"] == self.user_id, hello
        self.node, self._socket = node, sock
        self.live, self.frames = defaultdict(set), []
        self.early_frames += len(early)
        for frame in early:
            self._on_frame(frame)
        self.dropped = asyncio.Event()
        self._reader = asyncio.create_task(self._read(sock, self.dropped), name=f"read-{self}")
        return hello

    async def failover(self, node: Node) -> None:
        """What a client does when its node vanishes: reconnect elsewhere, then catch up."""
        await self.connect(node)
        await self.sync()

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await self._reader

    async def _read(self, sock: websockets.ClientConnection, dropped: asyncio.Event) -> None:
        try:
            async for raw in sock:
                self._on_frame(dict(orjson.loads(raw)))
        except websockets.ConnectionClosed:
            pass
        finally:
            dropped.set()
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(ConnectionError(f"{self}: socket closed"))
            self._pending.clear()

    def _on_frame(self, frame: dict[str, Any]) -> None:
        self.frames.append(frame)
        if frame["type"] == "message.new":
            cid, seq = frame["conversation_id"], frame["seq"]
            if frame["message"]["seq"] != seq or frame["message"]["conversation_id"] != cid:
                self.problems.append(f"{self}: inconsistent frame {frame}")
            if seq in self.live[cid]:
                self.problems.append(f"{self}: live frame {cid}:{seq} delivered twice")
            self.live[cid].add(seq)
            self.live_ever[cid].add(seq)
            self.record(cid, seq, frame["message"]["id"])
        fut = self._pending.pop(frame.get("ref") or "", None)
        if fut is not None and not fut.done():
            if frame["type"] == "error":
                fut.set_exception(FrameRefused(frame))
            else:
                fut.set_result(frame)

    def record(self, cid: str, seq: int, message_id: str) -> None:
        known = self.view[cid].get(seq)
        if known is not None and known != message_id:
            self.problems.append(f"{self}: {cid}:{seq} is {known} and {message_id}")
        self.view[cid][seq] = message_id

    # -- requests over the socket -------------------------------------------------------

    async def request(self, frame: dict[str, Any]) -> asyncio.Future[dict[str, Any]]:
        """Send a frame carrying `ref`; the future resolves with the frame answering it."""
        if self._socket is None or self.dropped.is_set():
            raise ConnectionError(f"{self}: not connected")
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[frame["ref"]] = fut
        try:
            await self._socket.send(orjson.dumps(frame).decode())
        except websockets.ConnectionClosed as exc:
            self._pending.pop(frame["ref"], None)
            raise ConnectionError(f"{self}: socket closed") from exc
        return fut

    async def send(self, cid: str, client_msg_id: str, text: str) -> asyncio.Future[dict[str, Any]]:
        frame = {
            "type": "message.send",
            "conversation_id": cid,
            "client_msg_id": client_msg_id,
            "text": text,
            "ref": client_msg_id,
        }
        return await self.request(frame)

    async def send_and_ack(self, cid: str, client_msg_id: str, text: str) -> dict[str, Any]:
        ack = await asyncio.wait_for(await self.send(cid, client_msg_id, text), 10)
        assert ack["type"] == "message.ack", ack
        assert ack["conversation_id"] == cid and ack["client_msg_id"] == client_msg_id, ack
        assert ack["message"]["id"] == ack["id"] and ack["message"]["seq"] == ack["seq"], ack
        return ack

    async def online(self, *users: Peer) -> list[str]:
        ref = f"presence-{time.monotonic_ns()}"
        fut = await self.request(
            {"type": "presence.query", "user_ids": [u.user_id for u in users], "ref": ref}
        )
        state = await asyncio.wait_for(fut, 5)
        assert state["type"] == "presence.state", state
        return list(state["online"])

    # -- the log as this client knows it ------------------------------------------------

    def contiguous(self, cid: str) -> int:
        """The highest seq n such that 1..n are all known: the cursor a client syncs from."""
        seq = 0
        while seq + 1 in self.view[cid]:
            seq += 1
        return seq

    async def sync(self) -> int:
        """Catch up over HTTP from the contiguous cursors, page by page; returns the count."""
        assert self.node is not None
        cursors = {cid: self.contiguous(cid) for cid in self.conversations}
        received = 0
        for _ in range(1000):
            query = ",".join(f"{cid}:{seq}" for cid, seq in cursors.items())
            body = await self.cluster.call(
                self.node,
                "GET",
                "/sync",
                self.token,
                params={"cursors": query, "limit": SYNC_PAGE},
            )
            self.sync_pages += 1
            assert len(body["events"]) <= SYNC_PAGE, body
            assert not body["removed"], body
            cursors = self._take_page(cursors, body)
            received += len(body["events"])
            if not body["has_more"]:
                return received
        raise AssertionError(f"{self}: sync never finished")

    def _take_page(self, cursors: dict[str, int], body: dict[str, Any]) -> dict[str, int]:
        """Each conversation's events must continue its cursor exactly: no gap, no repeat."""
        expected = dict(cursors)
        for event in body["events"]:
            cid = event["conversation_id"]
            assert event["seq"] == expected[cid] + 1, (self.name, expected[cid], event)
            expected[cid] = event["seq"]
            self.record(cid, event["seq"], event["id"])
        next_cursors = {cid: int(seq) for cid, seq in body["next_cursors"].items()}
        assert set(next_cursors) == set(cursors), body["next_cursors"]
        for cid, seq in expected.items():
            if seq != cursors[cid]:
                assert next_cursors[cid] == seq, (cid, seq, body["next_cursors"])
        return next_cursors

    # -- waiting ------------------------------------------------------------------------

    async def until(self, what: str, predicate: Callable[[], bool], timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self}: timed out waiting for {what}")
            await asyncio.sleep(0.01)

    async def receives(self, cid: str, ack: dict[str, Any]) -> None:
        """The acked message reaches this client live (not through sync)."""
        await self.until(f"live {cid}:{ack['seq']}", lambda: ack["seq"] in self.live[cid])
        assert self.view[cid][ack["seq"]] == ack["id"]

    async def sees_presence(self, user: Peer, status: str, times: int = 1) -> None:
        """The `times`-th presence frame of `user` going `status`, on this connection."""
        want = {"type": "presence", "user_id": user.user_id, "status": status}
        await self.until(f"{user.name} {status} x{times}", lambda: self.frames.count(want) >= times)


async def people(cluster: Cluster, node: Node, *names: str) -> tuple[Peer, list[Peer]]:
    """The organisation's first-run setup on `node` (its admin), then one user per name."""
    setup = {
        "organization_name": "集群测试公司",
        "username": "admin",
        "password": PASSWORD,
        "display_name": "管理员",
    }
    body = await cluster.call(node, "POST", "/setup", expect=201, json=setup)
    login = body["login"]
    admin = Peer(cluster, "admin", login["token"], login["user"]["id"])
    peers = []
    for name in names:
        user = {
            "username": name,
            "password": PASSWORD,
            "display_name": name.title(),
            "must_change_password": False,
        }
        await cluster.call(node, "POST", "/users", admin.token, expect=201, json=user)
        body = await cluster.call(
            node, "POST", "/auth/login", json={"login": name, "password": PASSWORD}
        )
        peers.append(Peer(cluster, name, body["token"], body["user"]["id"]))
    cluster.user_ids += [p.user_id for p in (admin, *peers)]
    return admin, peers


async def group(cluster: Cluster, node: Node, owner: Peer, name: str, *members: Peer) -> str:
    """A group created by `owner` with `members`; its id is added to the owner's list."""
    body = await cluster.call(
        node,
        "POST",
        "/conversations",
        owner.token,
        expect=201,
        json={"type": "group", "name": name, "member_ids": [m.user_id for m in members]},
    )
    cid = str(body["conversation"]["id"])
    owner.conversations.append(cid)
    return cid
