"""Live delivery: messages, acks, read cursors, typing and presence over the socket."""

from __future__ import annotations

import asyncio

from tests.helpers import Server, create_group, create_user, login, setup_admin
from tests.realtime.support import received, send_ws, texts


async def test_http_send_reaches_every_device_of_every_member(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    cid = await create_group(alice, bob, carol)
    alice_phone = await login(server, "alice")
    sockets = [await u.ws() for u in (alice, alice_phone, bob, bob, carol)]

    sent = await alice.send(cid, "大家好 👋")
    for ws in sockets:
        frame = await ws.expect("message.new", conversation_id=cid)
        assert frame["seq"] == sent["seq"] == 2
        assert frame["message"]["id"] == sent["id"]
        assert frame["message"]["text"] == "大家好 👋"
        assert frame["message"]["sender_id"] == alice.user_id
    for ws in sockets:
        await ws.close()


async def test_ws_send_is_acked_after_commit_and_delivered_everywhere(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    alice_phone = await login(server, "alice")
    desk, phone, bob_ws = await alice.ws(), await alice_phone.ws(), await bob.ws()

    ack = await send_ws(desk, cid, "ship it", ref="r1", client_msg_id="c-1")
    assert ack["ref"] == "r1"
    assert ack["conversation_id"] == cid
    assert ack["seq"] == 2
    assert ack["client_msg_id"] == "c-1"
    assert ack["duplicate"] is False
    assert ack["message"]["text"] == "ship it"

    # The ack promises durability: the message is in the log once the ack is out.
    log = (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
    assert log[-1]["id"] == ack["id"] and log[-1]["seq"] == ack["seq"]

    # Every device, including the sending socket itself and the sender's other device.
    for ws in (desk, phone, bob_ws):
        frame = received(ws, "message.new", seq=2) or [await ws.expect("message.new", seq=2)]
        assert frame[0]["message"]["id"] == ack["id"]
    for ws in (desk, phone, bob_ws):
        await ws.close()


async def test_duplicate_client_msg_id_over_ws_is_acked_once_delivered_once(
    server: Server,
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    a, b = await alice.ws(), await bob.ws()

    first = await send_ws(a, cid, "once", ref="r1", client_msg_id="same")
    await b.expect("message.new", seq=first["seq"])
    again = await send_ws(a, cid, "once", ref="r2", client_msg_id="same")
    assert again["duplicate"] is True
    assert again["ref"] == "r2"
    assert (again["id"], again["seq"]) == (first["id"], first["seq"])
    await b.nothing("message.new")
    await a.nothing("message.new")
    assert len(received(a, "message.new", seq=first["seq"])) == 1

    # HTTP agrees: the retry over HTTP returns the same message, and the log holds one.
    r = await alice.post(
        f"/conversations/{cid}/messages", json={"client_msg_id": "same", "text": "once"}
    )
    assert r.status_code == 200 and r.json()["id"] == first["id"]
    log = (await alice.get(f"/conversations/{cid}/messages")).json()["items"]
    assert [m["text"] for m in log if m["kind"] == "text"] == ["once"]
    await a.close()
    await b.close()


async def test_read_frame_acks_and_tells_other_members(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    a, b = await alice.ws(), await bob.ws()
    for i in range(3):
        await alice.send(cid, f"m{i}")

    await b.send({"type": "read", "conversation_id": cid, "seq": 3, "ref": "rd"})
    ack = await b.expect("read.ack")
    assert ack["ref"] == "rd"
    assert ack["conversation_id"] == cid
    assert ack["last_read_seq"] == 3
    assert ack["unread_count"] == 1

    updated = await a.expect("read.updated")
    assert updated == {
        "type": "read.updated",
        "conversation_id": cid,
        "user_id": bob.user_id,
        "last_read_seq": 3,
    }

    # The cursor never moves back, and moving it nowhere tells nobody.
    await b.send({"type": "read", "conversation_id": cid, "seq": 2, "ref": "back"})
    back = await b.expect("read.ack", ref="back")
    assert back["last_read_seq"] == 3
    await a.nothing("read.updated")
    await a.close()
    await b.close()


async def test_typing_reaches_members_only(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    eve = await create_user(admin)
    cid = await create_group(alice, bob)
    await create_group(alice, eve, name="other")  # eve shares another group with alice
    a, b, e = await alice.ws(), await bob.ws(), await eve.ws()

    await a.send({"type": "typing", "conversation_id": cid})
    frame = await b.expect("typing")
    assert frame == {"type": "typing", "conversation_id": cid, "user_id": alice.user_id}
    await e.nothing("typing")
    # Typing is ephemeral: nothing was added to the log.
    log = (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
    assert [m["kind"] for m in log] == ["system"]
    for ws in (a, b, e):
        await ws.close()


async def test_presence_follows_the_last_device(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    eve = await create_user(admin, "eve")
    await create_group(alice, bob)
    bob_phone = await login(server, "bob")
    a, e = await alice.ws(), await eve.ws()

    query = {"type": "presence.query", "user_ids": [bob.user_id, alice.user_id], "ref": "q"}
    await a.send(query)
    assert (await a.expect("presence.state"))["online"] == [alice.user_id]

    desk = await bob.ws()
    assert (await a.expect("presence", user_id=bob.user_id))["status"] == "online"
    phone = await bob_phone.ws()
    await desk.close()
    # One device is still connected: bob stays online.
    await a.nothing("presence")
    await a.send(query)
    state = await a.expect("presence.state", ref="q")
    assert state["online"] == sorted([alice.user_id, bob.user_id])

    await phone.close()
    assert (await a.expect("presence", user_id=bob.user_id))["status"] == "offline"
    await a.send(query)
    assert (await a.expect("presence.state", ref="q"))["online"] == [alice.user_id]
    # Eve shares no conversation with bob: she saw none of it.
    await e.nothing("presence")
    assert not received(e, "presence")
    await a.close()
    await e.close()


async def test_direct_chat_delivery_and_order_per_socket(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    r = await alice.post("/conversations", json={"type": "direct", "user_id": bob.user_id})
    assert r.status_code in (200, 201), r.text
    cid = str(r.json()["conversation"]["id"])
    a, b = await alice.ws(), await bob.ws()
    for i in range(10):
        await send_ws(a, cid, f"n{i}")
    async with asyncio.timeout(5):
        while len(texts(b, cid)) < 10:
            await b.recv()
    # One sender, one socket: the stream is in log order with consecutive seqs.
    assert texts(b, cid) == [f"n{i}" for i in range(10)]
    seqs = [f["seq"] for f in received(b, "message.new", conversation_id=cid)]
    assert seqs == list(range(seqs[0], seqs[0] + 10))
    await a.close()
    await b.close()


async def test_people_coming_online_together_all_reach_each_contact(server: Server) -> None:
    """Presence changes are held briefly and written to each socket together (hub.py):
    every one of them still arrives, and a later state replaces an earlier one."""
    admin = await setup_admin(server)
    watcher = await create_user(admin)
    team = [await create_user(admin) for _ in range(5)]
    await create_group(watcher, *team)
    w = await watcher.ws()
    sockets = await asyncio.gather(*(member.ws() for member in team))
    online = {}
    while len(online) < len(team):
        frame = await w.expect("presence")
        online[frame["user_id"]] = frame["status"]
    assert online == {m.user_id: "online" for m in team}

    await asyncio.gather(*(ws.close() for ws in sockets[:3]))
    gone = {}
    while len(gone) < 3:
        frame = await w.expect("presence")
        gone[frame["user_id"]] = frame["status"]
    assert gone == {m.user_id: "offline" for m in team[:3]}
    await w.nothing("presence")
    for ws in (w, *sockets[3:]):
        await ws.close()
