"""Every group for holders of manage_groups: list, change owner, archive."""

from __future__ import annotations

from tests.helpers import Server, create_group, create_user, problem, setup_admin


async def test_list_change_owner_and_archive(server: Server) -> None:
    admin = await setup_admin(server)
    alice, bob, carol = [await create_user(admin, n) for n in ("alice", "bob", "carol")]
    older = await create_group(alice, bob, name="老群")
    newer = await create_group(bob, alice, carol, name="新群")
    await alice.send(newer, "你好")

    page = (await admin.get("/admin/groups", params={"limit": 1})).json()
    first = page["items"][0]
    assert (first["id"], first["name"], first["owner_name"], first["member_count"]) == (
        newer,
        "新群",
        "Bob",
        3,
    )
    assert first["last_activity_at"] >= first["created_at"] and first["archived"] is False
    rest = (await admin.get("/admin/groups", params={"before": page["next_cursor"]})).json()
    assert [g["id"] for g in rest["items"]] == [older] and rest["next_cursor"] is None
    found = (await admin.get("/admin/groups", params={"q": "老"})).json()["items"]
    assert [g["id"] for g in found] == [older]

    # A new owner among the members; the old one stays as an admin of the group.
    r = await admin.post(f"/admin/groups/{newer}/owner", json={"user_id": carol.user_id})
    assert r.status_code == 200 and r.json()["owner_id"] == carol.user_id, r.text
    members = (await bob.get(f"/conversations/{newer}/members")).json()["items"]
    roles = {m["user_id"]: m["role"] for m in members}
    assert (roles[carol.user_id], roles[bob.user_id]) == ("owner", "admin")
    problem(
        await admin.post(f"/admin/groups/{older}/owner", json={"user_id": carol.user_id}),
        422,
        "not_a_member",
    )

    # Archived: members still read, but nobody posts, the owner included.
    r = await admin.post(f"/admin/groups/{newer}/archive", json={"archived": True})
    assert r.status_code == 200 and r.json()["archived"] is True
    for member in (alice, carol):
        body = {"client_msg_id": "after-archive", "text": "还在吗"}
        problem(
            await member.post(f"/conversations/{newer}/messages", json=body), 403, "group_archived"
        )
    problem(
        await bob.patch(f"/conversations/{newer}", json={"name": "改名"}), 403, "group_archived"
    )
    history = (await alice.get(f"/conversations/{newer}/messages")).json()["items"]
    assert any(m["text"] == "你好" for m in history)
    archived = (await admin.get("/admin/groups", params={"archived": "true"})).json()["items"]
    assert [g["id"] for g in archived] == [newer]
    await admin.post(f"/admin/groups/{newer}/archive", json={"archived": False})
    await alice.send(newer, "恢复了")

    problem(
        await admin.post(f"/admin/groups/{alice.user_id}/archive", json={"archived": True}),
        404,
        "conversation_not_found",
    )
    problem(await admin.get("/admin/groups", params={"before": "junk"}), 422, "invalid_cursor")
