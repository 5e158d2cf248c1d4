from __future__ import annotations

import asyncio

from tests.helpers import Server, create_group, create_user, problem, setup_admin


async def test_group_send_history_and_idempotency(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice", "爱丽丝")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)

    sent = await alice.send(cid, "你好 @bob 👋", client_msg_id="m-1")
    assert sent["seq"] == 2  # seq 1 is the "group created" system event
    assert sent["sender_id"] == alice.user_id
    assert sent["mentions"] == [bob.user_id]

    retry = await alice.post(
        f"/conversations/{cid}/messages", json={"client_msg_id": "m-1", "text": "你好 @bob 👋"}
    )
    assert retry.status_code == 200
    assert retry.json()["id"] == sent["id"] and retry.json()["seq"] == sent["seq"]

    page = (await bob.get(f"/conversations/{cid}/messages")).json()
    assert [m["kind"] for m in page["items"]] == ["system", "text"]
    assert page["items"][1]["text"] == "你好 @bob 👋"

    reply = await bob.send(cid, "收到", reply_to=sent["id"])
    assert reply["reply_to"]["id"] == sent["id"]
    assert reply["reply_to"]["text"] == "你好 @bob 👋"


async def test_concurrent_http_sends_get_unique_gapless_seqs(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    results = await asyncio.gather(*(u.send(cid, f"m{i}") for i in range(20) for u in (alice, bob)))
    seqs = sorted(m["seq"] for m in results)
    assert seqs == list(range(2, 42))


async def test_outsider_cannot_read_or_send(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    eve = await create_user(admin)
    cid = await create_group(alice)
    problem(await eve.get(f"/conversations/{cid}/messages"), 404, "conversation_not_found")
    r = await eve.post(f"/conversations/{cid}/messages", json={"client_msg_id": "x", "text": "hi"})
    problem(r, 404, "conversation_not_found")
