from __future__ import annotations

import asyncio

from tests.helpers import Server, create_group, create_user, problem, setup_admin


async def test_direct_chat_is_unique_per_pair(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    first = await alice.post("/conversations", json={"type": "direct", "user_id": bob.user_id})
    assert first.status_code == 201
    again = await bob.post("/conversations", json={"type": "direct", "user_id": alice.user_id})
    assert again.status_code == 200
    assert again.json()["conversation"]["id"] == first.json()["conversation"]["id"]
    assert again.json()["peer_id"] == alice.user_id
    assert first.json()["peer_id"] == bob.user_id
    problem(
        await alice.post("/conversations", json={"type": "direct", "user_id": alice.user_id}),
        422,
        "direct_with_self",
    )


async def test_concurrent_direct_creation_yields_one_chat(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    responses = await asyncio.gather(
        *(
            a.post("/conversations", json={"type": "direct", "user_id": b.user_id})
            for a, b in [(alice, bob), (bob, alice)] * 4
        )
    )
    assert {r.json()["conversation"]["id"] for r in responses} != set()
    assert len({r.json()["conversation"]["id"] for r in responses}) == 1
    assert sorted(r.status_code for r in responses).count(201) == 1


async def test_group_roles_and_membership(server: Server) -> None:
    admin = await setup_admin(server)
    owner = await create_user(admin, "owner")
    ann = await create_user(admin, "ann")
    bob = await create_user(admin, "bob")
    carl = await create_user(admin, "carl")
    cid = await create_group(owner, ann, bob)
    detail = (await owner.get(f"/conversations/{cid}")).json()
    assert detail["role"] == "owner" and detail["member_count"] == 3

    # Members cannot manage; the owner promotes ann to admin.
    problem(
        await bob.post(f"/conversations/{cid}/members", json={"user_ids": [carl.user_id]}),
        403,
        "admin_required",
    )
    r = await owner.put(f"/conversations/{cid}/members/{ann.user_id}/role", json={"role": "admin"})
    assert r.json()["role"] == "admin"
    problem(
        await ann.put(f"/conversations/{cid}/members/{bob.user_id}/role", json={"role": "admin"}),
        403,
        "owner_required",
    )

    # An admin adds and removes members, but not the owner.
    r = await ann.post(
        f"/conversations/{cid}/members", json={"user_ids": [carl.user_id, bob.user_id]}
    )
    assert r.json() == {"added": [carl.user_id], "pending": []}
    problem(
        await ann.request(
            "DELETE", f"/conversations/{cid}/members", json={"user_ids": [owner.user_id]}
        ),
        403,
        "role_too_low",
    )
    r = await ann.request(
        "DELETE", f"/conversations/{cid}/members", json={"user_ids": [carl.user_id]}
    )
    assert r.json() == {"removed": [carl.user_id]}

    # The owner must hand over before leaving; then leaves.
    problem(await owner.post(f"/conversations/{cid}/leave"), 409, "owner_must_transfer")
    assert (
        await owner.post(f"/conversations/{cid}/transfer", json={"user_id": bob.user_id})
    ).status_code == 204
    assert (await bob.get(f"/conversations/{cid}")).json()["role"] == "owner"
    assert (await owner.get(f"/conversations/{cid}")).json()["role"] == "admin"
    assert (await owner.post(f"/conversations/{cid}/leave")).status_code == 204
    problem(await owner.get(f"/conversations/{cid}"), 404, "conversation_not_found")

    events = [
        m["system"]["event"]
        for m in (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
    ]
    assert events == [
        "group_created",
        "role_changed",
        "members_added",
        "members_removed",
        "owner_transferred",
        "member_left",
    ]
    members = (await bob.get(f"/conversations/{cid}/members")).json()["items"]
    assert {m["user_id"]: m["role"] for m in members} == {
        ann.user_id: "admin",
        bob.user_id: "owner",
    }


async def test_settings_and_mute_all(server: Server) -> None:
    admin = await setup_admin(server)
    owner = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(owner, bob)
    problem(
        await bob.patch(f"/conversations/{cid}", json={"name": "hijack"}), 403, "admin_required"
    )
    r = await owner.patch(
        f"/conversations/{cid}",
        json={"name": "季度计划", "topic": "Q3", "announcement": "周五前提交", "admins_only": True},
    )
    conv = r.json()["conversation"]
    assert (conv["name"], conv["topic"], conv["announcement"], conv["admins_only"]) == (
        "季度计划",
        "Q3",
        "周五前提交",
        True,
    )
    r = await bob.post(f"/conversations/{cid}/messages", json={"client_msg_id": "a", "text": "hi"})
    problem(r, 403, "posting_restricted")
    await owner.send(cid, "only admins talk now")
    await owner.patch(f"/conversations/{cid}", json={"admins_only": False})
    await bob.send(cid, "I can talk again")
    events = [
        m["system"]["event"]
        for m in (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
        if m["kind"] == "system"
    ]
    assert events == [
        "group_created",
        "group_renamed",
        "topic_changed",
        "announcement_changed",
        "admins_only_changed",
        "admins_only_changed",
    ]
    problem(await owner.patch(f"/conversations/{cid}", json={"name": None}), 422, "invalid_field")
    problem(
        await owner.patch(f"/conversations/{cid}", json={"colour": "red"}), 422, "invalid_request"
    )


async def test_removed_member_loses_everything(server: Server) -> None:
    admin = await setup_admin(server)
    owner = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(owner, bob)
    first = await owner.send(cid, "before removal")
    await owner.request("DELETE", f"/conversations/{cid}/members", json={"user_ids": [bob.user_id]})
    await owner.send(cid, "after removal")
    for r in (
        await bob.get(f"/conversations/{cid}"),
        await bob.get(f"/conversations/{cid}/messages"),
        await bob.get(f"/conversations/{cid}/members"),
        await bob.get(f"/conversations/{cid}/messages/{first['id']}/receipts"),
        await bob.post(f"/conversations/{cid}/read", json={"seq": 1}),
        await bob.post(f"/conversations/{cid}/messages", json={"client_msg_id": "z", "text": "hi"}),
    ):
        problem(r, 404, "conversation_not_found")
    listed = [c["conversation"]["id"] for c in (await bob.get("/conversations")).json()["items"]]
    assert cid not in listed
    sync = (await bob.get("/sync", params={"cursors": f"{cid}:0"})).json()
    assert sync["removed"] == [cid] and sync["events"] == []


async def test_new_member_sees_history_from_joining_on(server: Server) -> None:
    admin = await setup_admin(server)
    owner = await create_user(admin)
    late = await create_user(admin)
    cid = await create_group(owner)
    await owner.send(cid, "secret plans")
    await owner.post(f"/conversations/{cid}/members", json={"user_ids": [late.user_id]})
    await owner.send(cid, "welcome")
    items = (await late.get(f"/conversations/{cid}/messages")).json()["items"]
    assert [m.get("text") or m["system"]["event"] for m in items] == ["members_added", "welcome"]


async def test_group_creation_validates_members(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    await admin.post(f"/users/{bob.user_id}/disable")
    r = await alice.post(
        "/conversations", json={"type": "group", "name": "x", "member_ids": [bob.user_id]}
    )
    problem(r, 422, "user_not_found")
    r = await alice.post("/conversations", json={"type": "group", "name": "", "member_ids": []})
    problem(r, 422, "invalid_request")
    r = await alice.post("/conversations", json={"type": "channel", "name": "x"})
    problem(r, 422, "invalid_request")
    r = await alice.post(
        "/conversations", json={"type": "group", "name": "x", "member_ids": ["not-a-uuid"]}
    )
    problem(r, 422, "invalid_request")
    direct = await alice.post("/conversations", json={"type": "direct", "user_id": admin.user_id})
    did = direct.json()["conversation"]["id"]
    problem(
        await alice.post(f"/conversations/{did}/members", json={"user_ids": [bob.user_id]}),
        422,
        "not_a_group",
    )
