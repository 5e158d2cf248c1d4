"""A client that stops reading is dropped (4008) without stalling anyone or losing anything."""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
import websockets

from tests.helpers import Api, Server, Ws, create_group, create_user, login, setup_admin
from tests.realtime.support import CLOSE_SLOW, closed, history, received, send_ws

BIG = "长" * 9_990  # near the longest message allowed: 30 kB on the wire
MAX_MESSAGES = 400


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"ws_send_queue": 8}


async def _stalled_socket(server: Server, api: Api) -> Ws:
    """A signed-in socket that will not read: tiny kernel receive buffer, one-frame queue."""
    host, port = urlsplit(server.base_url).hostname, urlsplit(server.base_url).port
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, port))
    sock.setblocking(False)
    conn = await websockets.connect(
        server.ws_url, sock=sock, max_queue=1, max_size=None, compression=None
    )
    ws = Ws(conn)
    await ws.send({"type": "auth", "token": api.token})
    ws.hello = await ws.expect("hello")
    return ws


def _dropped(server: Server, ws: Ws) -> bool:
    """Whether the server has let go of this socket (a sync point, peeked from the hub)."""
    sid = ws.hello["session_id"]
    conns = server.app.state.hub.conns_by_user.values()
    return not any(c.session_id == sid for user_conns in conns for c in user_conns)


async def _read_all(ws: Ws, cid: str, count: int) -> None:
    while len(received(ws, "message.new", conversation_id=cid)) < count:
        await ws.recv(timeout=30)


async def test_slow_consumer_is_dropped_and_nothing_acked_is_lost(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    cid = await create_group(alice, bob, carol)
    a, b = await alice.ws(), await bob.ws()
    slow = await _stalled_socket(server, carol)
    await a.expect("presence", user_id=carol.user_id, status="online")

    acks: list[dict[str, Any]] = []
    while len(acks) < MAX_MESSAGES:
        acks.append(await send_ws(a, cid, f"{len(acks)}:{BIG}"))
        if received(a, "presence", user_id=carol.user_id, status="offline"):
            break
    # Carol never read, so the server let her go; everyone else saw her leave.
    assert received(a, "presence", user_id=carol.user_id, status="offline"), len(acks)
    for i in range(5):  # the others go on as before
        acks.append(await send_ws(a, cid, f"after drop {i}"))

    # Bob, who reads, got every message exactly once and in order.
    await _read_all(b, cid, len(acks))
    got = received(b, "message.new", conversation_id=cid)
    assert [f["message"]["id"] for f in got] == [ack["id"] for ack in acks]
    assert [f["seq"] for f in got] == list(range(2, len(acks) + 2))

    # When Carol looks again she finds the frames that made it, then the 4008 close.
    assert await closed(slow, timeout=30) == CLOSE_SLOW
    seen = [f["seq"] for f in received(slow, "message.new", conversation_id=cid)]
    assert seen == sorted(set(seen))
    assert len(seen) < len(acks) + 1

    # Nothing acknowledged is lost: the log has every message, with no gap.
    log = await history(alice, cid)
    assert [m["seq"] for m in log] == list(range(1, len(acks) + 2))
    assert [m["id"] for m in log[1:]] == [ack["id"] for ack in acks]

    # Carol reconnects and catches up from the last seq she saw.
    again = await carol.ws()
    after = seen[-1] if seen else 1
    assert seen == list(range(2, after + 1))
    r = await carol.get(f"/conversations/{cid}/messages", params={"after": after, "limit": 200})
    missed = r.json()["items"]
    while r.json()["has_more"]:
        r = await carol.get(
            f"/conversations/{cid}/messages", params={"after": missed[-1]["seq"], "limit": 200}
        )
        missed += r.json()["items"]
    assert [m["seq"] for m in missed] == list(range(after + 1, len(acks) + 2))
    ack = await send_ws(a, cid, "welcome back")
    await again.expect("message.new", seq=ack["seq"])
    for ws in (a, b, again):
        await ws.close()


async def test_stalled_device_is_dropped_but_the_users_other_device_stays(
    server: Server,
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    carol = await create_user(admin, "carol")
    cid = await create_group(alice, carol)
    desk = await carol.ws()
    phone = await _stalled_socket(server, await login(server, "carol"))
    a = await alice.ws()

    acks = []
    while len(acks) < MAX_MESSAGES:
        acks.append(await send_ws(a, cid, f"{len(acks)}:{BIG}"))
        if len(acks) % 20 == 0:  # the desk reads as it goes; the phone never does
            await _read_all(desk, cid, len(acks))
        if len(acks) % 20 == 0 and _dropped(server, phone):
            break
    assert await closed(phone, timeout=30) == CLOSE_SLOW
    ack = await send_ws(a, cid, "desk still gets this")
    acks.append(ack)
    await _read_all(desk, cid, len(acks))
    assert [f["message"]["id"] for f in received(desk, "message.new")] == [x["id"] for x in acks]
    # Carol is still online through her desk: nobody saw her go offline.
    assert not received(a, "presence", user_id=carol.user_id, status="offline")
    await a.send({"type": "presence.query", "user_ids": [carol.user_id]})
    assert (await a.expect("presence.state"))["online"] == [carol.user_id]
    await a.close()
    await desk.close()
