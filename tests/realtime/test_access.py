"""Who may use a conversation over the socket, and how membership changes reach it live."""

from __future__ import annotations

from tests.helpers import Server, create_group, create_user, login, setup_admin
from tests.realtime.support import error, received, send_ws, texts


async def test_outsider_cannot_send_read_or_type_over_ws(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    eve = await create_user(admin)
    cid = await create_group(alice, bob)
    b, e = await bob.ws(), await eve.ws()

    frames = [
        {"type": "message.send", "conversation_id": cid, "client_msg_id": "e1", "text": "hi"},
        {"type": "read", "conversation_id": cid, "seq": 1},
        {"type": "typing", "conversation_id": cid},
    ]
    for i, frame in enumerate(frames):
        await e.send({**frame, "ref": f"e{i}"} if frame["type"] != "typing" else frame)
        err = await error(e)
        assert err["code"] == "conversation_not_found", (frame, err)
        if frame["type"] != "typing":
            assert err["ref"] == f"e{i}"
    await b.nothing("message.new")
    await b.nothing("typing")
    log = (await alice.get(f"/conversations/{cid}/messages")).json()["items"]
    assert [m["kind"] for m in log] == ["system"]
    await b.close()
    await e.close()


async def test_removed_member_stops_receiving_at_once(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    cid = await create_group(alice, bob, carol)
    other = await create_group(alice, carol, name="still shared")
    carol_phone = await login(server, "carol")
    a, b = await alice.ws(), await bob.ws()
    carol_sockets = [await carol.ws(), await carol_phone.ws()]

    await send_ws(a, cid, "before")
    for ws in (b, *carol_sockets):
        await ws.expect("message.new", seq=2)

    r = await alice.delete(f"/conversations/{cid}/members", json={"user_ids": [carol.user_id]})
    assert r.status_code == 200, r.text
    assert r.json() == {"removed": [carol.user_id]}
    for ws in carol_sockets:
        removed = await ws.expect("conversation.removed")
        assert removed["conversation_id"] == cid
        assert removed["reason"] == "removed"
    # Remaining members see the removal as an entry of the log.
    event = await b.expect("message.new", conversation_id=cid, seq=3)
    assert event["message"]["system"]["event"] == "members_removed"

    await send_ws(a, cid, "after")
    await b.send({"type": "typing", "conversation_id": cid})
    await b.expect("message.new", conversation_id=cid, seq=4)
    assert (await a.expect("typing"))["user_id"] == bob.user_id
    await send_ws(a, other, "the other group still works")
    for ws in carol_sockets:
        await ws.expect("message.new", conversation_id=other)
        await ws.nothing("typing")
        assert texts(ws, cid) == ["before"]
        assert not received(ws, "typing")
        assert [f["seq"] for f in received(ws, "message.new", conversation_id=cid)] == [2]

    # And she cannot act on it any more.
    await carol_sockets[0].send({"type": "typing", "conversation_id": cid})
    assert (await error(carol_sockets[0]))["code"] == "conversation_not_found"
    await carol_sockets[0].send(
        {"type": "message.send", "conversation_id": cid, "client_msg_id": "late", "text": "x"}
    )
    assert (await error(carol_sockets[0]))["code"] == "conversation_not_found"
    for ws in (a, b, *carol_sockets):
        await ws.close()


async def test_member_who_leaves_stops_receiving(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    a, b = await alice.ws(), await bob.ws()
    assert (await bob.post(f"/conversations/{cid}/leave")).status_code == 204
    assert (await b.expect("conversation.removed"))["reason"] == "left"
    await send_ws(a, cid, "anyone?")
    await b.nothing("message.new")
    assert not received(b, "message.new")
    await a.close()
    await b.close()


async def test_added_member_receives_the_group_live(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    dave = await create_user(admin)
    cid = await create_group(alice, bob)
    a, d = await alice.ws(), await dave.ws()
    await send_ws(a, cid, "before dave")

    r = await alice.post(f"/conversations/{cid}/members", json={"user_ids": [dave.user_id]})
    assert r.status_code == 200, r.text
    added = await d.expect("conversation.added")
    assert added["conversation"]["id"] == cid
    event = await d.expect("message.new", conversation_id=cid)
    assert event["message"]["system"]["event"] == "members_added"
    assert event["seq"] == 3

    ack = await send_ws(a, cid, "welcome dave")
    new = await d.expect("message.new", conversation_id=cid, seq=ack["seq"])
    assert new["message"]["text"] == "welcome dave"
    await a.send({"type": "typing", "conversation_id": cid})
    assert (await d.expect("typing"))["user_id"] == alice.user_id
    # Dave can take part at once, on the same socket.
    reply = await send_ws(d, cid, "thanks")
    assert (await a.expect("message.new", seq=reply["seq"]))["message"]["sender_id"] == (
        dave.user_id
    )
    assert texts(d, cid) == ["welcome dave", "thanks"]
    await a.close()
    await d.close()


async def test_removed_then_added_again_receives_again(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    a, b = await alice.ws(), await bob.ws()
    path = f"/conversations/{cid}/members"
    assert (await alice.delete(path, json={"user_ids": [bob.user_id]})).status_code == 200
    await b.expect("conversation.removed")
    await send_ws(a, cid, "while away")
    assert (await alice.post(path, json={"user_ids": [bob.user_id]})).status_code == 200
    await b.expect("conversation.added")
    ack = await send_ws(a, cid, "back again")
    await b.expect("message.new", seq=ack["seq"])
    assert texts(b, cid) == ["back again"]
    await a.close()
    await b.close()
