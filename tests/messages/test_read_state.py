from __future__ import annotations

from tests.helpers import Server, create_group, create_user, setup_admin


async def test_unread_counts_mentions_and_list_order(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    quiet = await create_group(alice, bob, name="quiet")
    busy = await create_group(alice, bob, name="busy")
    await alice.send(quiet, "hello")
    for i in range(3):
        await alice.send(busy, f"news {i}")
    last = await alice.send(busy, "@bob look")

    items = (await bob.get("/conversations")).json()["items"]
    assert [c["conversation"]["name"] for c in items] == ["busy", "quiet"]
    by_name = {c["conversation"]["name"]: c for c in items}
    assert by_name["busy"]["unread_count"] == 4 and by_name["busy"]["mentioned"] is True
    assert by_name["busy"]["last_message"]["text"] == "@bob look"
    assert by_name["quiet"]["unread_count"] == 1 and by_name["quiet"]["mentioned"] is False
    # The sender has read their own messages.
    mine = {
        c["conversation"]["name"]: c for c in (await alice.get("/conversations")).json()["items"]
    }
    assert mine["busy"]["unread_count"] == 0

    r = await bob.post(f"/conversations/{busy}/read", json={"seq": last["seq"] - 1})
    assert r.json()["unread_count"] == 1
    r = await bob.post(f"/conversations/{busy}/read", json={"seq": last["seq"]})
    assert r.json() == {"conversation_id": busy, "last_read_seq": last["seq"], "unread_count": 0}
    # The cursor never moves back.
    r = await bob.post(f"/conversations/{busy}/read", json={"seq": 1})
    assert r.json()["last_read_seq"] == last["seq"]
    busy_row = next(
        c
        for c in (await bob.get("/conversations")).json()["items"]
        if c["conversation"]["id"] == busy
    )
    assert busy_row["mentioned"] is False and busy_row["unread_count"] == 0

    # Activity moves a conversation to the top.
    await bob.send(quiet, "back")
    assert (await bob.get("/conversations")).json()["items"][0]["conversation"]["name"] == "quiet"


async def test_conversation_list_pages(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    ids = [await create_group(alice, name=f"g{i}") for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await alice.get("/conversations", params=params)).json()
        seen += [c["conversation"]["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))


async def test_group_read_receipts(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    carol = await create_user(admin)
    cid = await create_group(alice, bob, carol)
    msg = await alice.send(cid, "请确认")
    r = (await alice.get(f"/conversations/{cid}/messages/{msg['id']}/receipts")).json()
    assert (r["read_count"], r["unread_count"]) == (0, 2)
    assert sorted(r["unread_user_ids"]) == sorted([bob.user_id, carol.user_id])
    await bob.post(f"/conversations/{cid}/read", json={"seq": msg["seq"]})
    r = (await carol.get(f"/conversations/{cid}/messages/{msg['id']}/receipts")).json()
    assert r["read_user_ids"] == [bob.user_id] and r["unread_user_ids"] == [carol.user_id]
    # Someone added later never saw it and is in neither list.
    dave = await create_user(admin)
    await alice.post(f"/conversations/{cid}/members", json={"user_ids": [dave.user_id]})
    r = (await alice.get(f"/conversations/{cid}/messages/{msg['id']}/receipts")).json()
    assert dave.user_id not in r["read_user_ids"] + r["unread_user_ids"]
    r = await dave.get(f"/conversations/{cid}/messages/{msg['id']}/receipts")
    assert r.status_code == 404
