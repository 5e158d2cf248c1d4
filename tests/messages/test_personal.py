"""Favourites, forwarding, the mentions view, per-user conversation settings, permalinks."""

from __future__ import annotations

from tests.helpers import Server, create_group, create_user, problem, setup_admin


async def test_favorites_follow_access_and_recall(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    eve = await create_user(admin, "eve")
    cid = await create_group(alice, bob)
    keep = await alice.send(cid, "年会时间表")
    gone = await alice.send(cid, "临时消息")
    ws = await bob.ws()
    assert (await bob.post("/favorites", json={"message_id": keep["id"]})).status_code == 201
    assert (await bob.post("/favorites", json={"message_id": keep["id"]})).status_code == 200
    assert (await ws.expect("favorite.updated"))["saved"] is True
    await bob.post("/favorites", json={"message_id": gone["id"]})
    problem(await eve.post("/favorites", json={"message_id": keep["id"]}), 404, "message_not_found")
    items = (await bob.get("/favorites")).json()["items"]
    assert [f["message"]["text"] for f in items] == ["临时消息", "年会时间表"]
    await alice.post(f"/conversations/{cid}/messages/{gone['id']}/recall")
    assert [f["message"]["id"] for f in (await bob.get("/favorites")).json()["items"]] == [
        keep["id"]
    ]
    # Removed from the group: the saved message is no longer shown.
    await alice.request("DELETE", f"/conversations/{cid}/members", json={"user_ids": [bob.user_id]})
    assert (await bob.get("/favorites")).json()["items"] == []
    problem(await bob.delete(f"/favorites/{gone['id']}"), 404, "favorite_not_found")
    await ws.close()


async def test_forward_copies_and_merged_card(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice", "爱丽丝")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    source = await create_group(alice, bob, name="研发群")
    target = await create_group(bob, carol, name="产品群")
    m1 = await alice.send(source, "接口已上线")
    m2 = await bob.send(source, "我来测试")
    body = {
        "conversation_id": source,
        "message_ids": [m2["id"], m1["id"]],
        "target_ids": [target],
        "client_msg_id": "fw1",
    }
    r = await bob.post("/forward", json=body)
    assert r.status_code == 201
    assert [m["text"] for m in r.json()] == ["接口已上线", "我来测试"]
    assert r.json()[0]["forwarded_from"]["sender_id"] == alice.user_id
    again = await bob.post("/forward", json=body)  # a retry sends nothing twice
    assert [m["id"] for m in again.json()] == [m["id"] for m in r.json()]

    card = (await bob.post("/forward", json={**body, "merge": True, "client_msg_id": "fw2"})).json()
    assert len(card) == 1 and card[0]["kind"] == "forward"
    items = card[0]["forward"]["items"]
    assert [(i["sender_name"], i["text"]) for i in items] == [
        ("爱丽丝", "接口已上线"),
        ("Bob", "我来测试"),
    ]
    # Carol reads the card in her conversation but still cannot open the source.
    seen = (await carol.get(f"/conversations/{target}/messages")).json()["items"]
    assert seen[-1]["forward"]["source"]["name"] == "研发群"
    problem(await carol.get(f"/conversations/{source}/messages"), 404, "conversation_not_found")
    problem(
        await carol.post("/forward", json={**body, "target_ids": [target], "client_msg_id": "x"}),
        404,
        "conversation_not_found",
    )
    # Forwarding into a conversation you are not in, or a message from elsewhere, fails.
    problem(
        await alice.post("/forward", json={**body, "client_msg_id": "y"}),
        404,
        "conversation_not_found",
    )
    other = await alice.send(await create_group(alice, name="x"), "elsewhere")
    problem(
        await bob.post(
            "/forward", json={**body, "message_ids": [other["id"]], "client_msg_id": "z"}
        ),
        404,
        "message_not_found",
    )
    problem(
        await bob.post("/forward", json={**body, "message_ids": [], "client_msg_id": "w"}),
        422,
        "invalid_request",
    )


async def test_mentions_view(server: Server) -> None:
    admin = await setup_admin(server)
    owner = await create_user(admin, "owner")
    bob = await create_user(admin, "bob")
    g1 = await create_group(owner, bob, name="g1")
    g2 = await create_group(owner, bob, name="g2")
    await owner.send(g1, "no mention")
    a = await owner.send(g1, "@bob 看看")
    b = await owner.send(g2, "@all 放假通知")
    c = await owner.send(g2, "hi", mentions=[bob.user_id])
    mine = (await bob.get("/mentions")).json()
    assert [m["id"] for m in mine["items"]] == [c["id"], b["id"], a["id"]]
    first = (await bob.get("/mentions", params={"limit": 2})).json()
    rest = (await bob.get("/mentions", params={"limit": 2, "before": first["next_cursor"]})).json()
    assert [m["id"] for m in first["items"] + rest["items"]] == [c["id"], b["id"], a["id"]]
    assert (await owner.get("/mentions")).json()["items"] == []  # own @all is not a mention
    await owner.request("DELETE", f"/conversations/{g2}/members", json={"user_ids": [bob.user_id]})
    assert [m["id"] for m in (await bob.get("/mentions")).json()["items"]] == [a["id"]]


async def test_personal_conversation_settings(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    old = await create_group(alice, bob, name="old")
    noisy = await create_group(alice, bob, name="noisy")
    fresh = await create_group(alice, bob, name="fresh")
    other_device = await bob.ws()
    r = await bob.patch(
        f"/conversations/{old}/settings", json={"pinned": True, "draft": "明天再说"}
    )
    assert r.json() == {"muted": False, "pinned": True, "archived": False, "draft": "明天再说"}
    frame = await other_device.expect("conversation.settings")
    assert frame["settings"]["draft"] == "明天再说"
    earlier = await alice.send(noisy, "earlier")
    await bob.patch(f"/conversations/{noisy}/settings", json={"muted": True, "archived": True})
    names = [c["conversation"]["name"] for c in (await bob.get("/conversations")).json()["items"]]
    assert names == ["old", "fresh"]  # pinned first; archived hidden
    # A reaction is not activity: the conversation stays archived.
    await alice.put(f"/conversations/{noisy}/messages/{earlier['id']}/reactions/👍")
    names = [c["conversation"]["name"] for c in (await bob.get("/conversations")).json()["items"]]
    assert names == ["old", "fresh"]
    with_archived = (await bob.get("/conversations", params={"include_archived": True})).json()
    assert {c["conversation"]["name"] for c in with_archived["items"]} == {"old", "noisy", "fresh"}
    # Something new in an archived conversation brings it back.
    await alice.send(noisy, "new!")
    rows = {c["conversation"]["name"]: c for c in (await bob.get("/conversations")).json()["items"]}
    assert list(rows) == ["old", "noisy", "fresh"]
    assert (
        rows["noisy"]["settings"]["muted"] is True
        and rows["noisy"]["settings"]["archived"] is False
    )
    # Settings are personal.
    alice_rows = {
        c["conversation"]["name"]: c for c in (await alice.get("/conversations")).json()["items"]
    }
    assert alice_rows["old"]["settings"] == {
        "muted": False,
        "pinned": False,
        "archived": False,
        "draft": "",
    }
    problem(
        await bob.patch(f"/conversations/{old}/settings", json={"pinned": None}),
        422,
        "invalid_field",
    )
    problem(
        await bob.patch(f"/conversations/{old}/settings", json={"draft": "x" * 10_001}),
        422,
        "invalid_request",
    )
    eve = await create_user(admin, "eve")
    problem(
        await eve.patch(f"/conversations/{old}/settings", json={"muted": True}),
        404,
        "conversation_not_found",
    )
    assert fresh
    await other_device.close()


async def test_permalink_opens_message_in_context(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    eve = await create_user(admin, "eve")
    cid = await create_group(alice)
    sent = [await alice.send(cid, f"m{i}") for i in range(10)]
    target = sent[5]
    r = (await alice.get(f"/messages/{target['id']}", params={"around": 2})).json()
    assert r["conversation_id"] == cid and r["message"]["id"] == target["id"]
    assert [m["text"] for m in r["context"]] == ["m3", "m4", "m5", "m6", "m7"]
    assert r["link"] == f"/c/{cid}/m/{target['id']}"
    problem(await eve.get(f"/messages/{target['id']}"), 404, "message_not_found")
