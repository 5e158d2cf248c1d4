"""The acceptance test: many members sending into one group at once over the socket."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from tests.helpers import Server, Ws, create_group, create_user, setup_admin
from tests.realtime.support import history, received, send_ws

MEMBERS = 20
PER_MEMBER = 50
TOTAL = MEMBERS * PER_MEMBER


async def _send_all(ws: Ws, cid: str, member: int) -> list[dict[str, Any]]:
    return [
        await send_ws(ws, cid, f"m{member}-{i} 并发", client_msg_id=f"u{member}-{i}")
        for i in range(PER_MEMBER)
    ]


async def _receive_all(ws: Ws, cid: str) -> None:
    seen = len(_texts(ws, cid))
    while seen < TOTAL:
        frame = await ws.recv(timeout=30)
        if frame.get("type") == "message.new" and frame["message"]["kind"] == "text":
            seen += frame["conversation_id"] == cid
    await ws.nothing("message.new", wait=0.2)


def _texts(ws: Ws, cid: str) -> list[dict[str, Any]]:
    frames = received(ws, "message.new", conversation_id=cid)
    return [f for f in frames if f["message"]["kind"] == "text"]


async def test_twenty_members_fifty_messages_each_no_gap_no_duplicate(server: Server) -> None:
    admin = await setup_admin(server)
    members = await asyncio.gather(*(create_user(admin, f"member{i:02d}") for i in range(MEMBERS)))
    cid = await create_group(members[0], *members[1:])
    sockets = await asyncio.gather(*(m.ws() for m in members))

    per_member = await asyncio.gather(*(_send_all(ws, cid, i) for i, ws in enumerate(sockets)))
    acks = [ack for batch in per_member for ack in batch]
    assert len(acks) == TOTAL
    assert not any(ack["duplicate"] for ack in acks)
    assert len({ack["id"] for ack in acks}) == TOTAL
    assert len({ack["seq"] for ack in acks}) == TOTAL

    # The log: 1..last_seq with no gap or duplicate; the texts are exactly the acked ones.
    log = await history(members[7], cid)
    seqs = [m["seq"] for m in log]
    assert seqs == list(range(1, len(log) + 1))
    detail = (await members[3].get(f"/conversations/{cid}")).json()
    assert detail["conversation"]["last_seq"] == seqs[-1]
    texts = [m for m in log if m["kind"] == "text"]
    assert len(texts) == TOTAL
    assert {m["id"]: m["seq"] for m in texts} == {ack["id"]: ack["seq"] for ack in acks}
    assert all(m["kind"] == "system" for m in log if m["kind"] != "text")
    # Each member's own messages appear in the order that member sent them.
    for i, batch in enumerate(per_member):
        mine = [m["text"] for m in texts if m["sender_id"] == members[i].user_id]
        assert mine == [f"m{i}-{n} 并发" for n in range(PER_MEMBER)]
        assert [ack["seq"] for ack in batch] == sorted(ack["seq"] for ack in batch)

    # Every member's socket saw every message exactly once.
    await asyncio.gather(*(_receive_all(ws, cid) for ws in sockets))
    expected = {ack["id"]: ack["seq"] for ack in acks}
    for ws in sockets:
        frames = _texts(ws, cid)
        counts = Counter(f["message"]["id"] for f in frames)
        assert set(counts) == set(expected)
        assert max(counts.values()) == 1
        assert all(f["seq"] == expected[f["message"]["id"]] for f in frames)
    for ws in sockets:
        await ws.close()
