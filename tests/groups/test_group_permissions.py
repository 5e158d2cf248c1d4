"""Per-group permission settings: who may invite, pin and edit the info, join approval,
the member limit, and whether new members read earlier history."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api, Server, create_group, create_user, problem, setup_admin


async def _group(server: Server, members: int, outsiders: int) -> tuple[str, list[Api]]:
    """A group of an owner and `members` plain members, then `outsiders` other people."""
    admin = await setup_admin(server)
    people = [await create_user(admin) for _ in range(1 + members + outsiders)]
    return await create_group(people[0], *people[1 : 1 + members]), people


async def _set(api: Api, cid: str, **changes: Any) -> dict[str, Any]:
    r = await api.patch(f"/conversations/{cid}/permissions", json=changes)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def _events(api: Api, cid: str) -> list[dict[str, Any]]:
    items = (await api.get(f"/conversations/{cid}/messages")).json()["items"]
    return [m["system"] for m in items if m["kind"] == "system"]


async def test_settings_are_read_by_members_and_changed_by_admins(server: Server) -> None:
    admin = await setup_admin(server)
    owner, ann, bob, stranger = [await create_user(admin) for _ in range(4)]
    cid = await create_group(owner, ann, bob)
    await owner.put(f"/conversations/{cid}/members/{ann.user_id}/role", json={"role": "admin"})
    defaults = (await bob.get(f"/conversations/{cid}/permissions")).json()
    assert defaults == {
        "invite_role": "admin",
        "mention_all_role": "member",
        "pin_role": "admin",
        "edit_info_role": "admin",
        "join_approval": False,
        "max_members": None,
        "history_visible": False,
    }
    problem(await stranger.get(f"/conversations/{cid}/permissions"), 404, "conversation_not_found")
    problem(
        await bob.patch(f"/conversations/{cid}/permissions", json={"invite_role": "member"}),
        403,
        "admin_required",
    )
    problem(
        await stranger.patch(f"/conversations/{cid}/permissions", json={"pin_role": "member"}),
        404,
        "conversation_not_found",
    )
    problem(
        await ann.patch(f"/conversations/{cid}/permissions", json={"invite_role": None}),
        422,
        "invalid_field",
    )
    problem(
        await ann.patch(f"/conversations/{cid}/permissions", json={"invite_role": "owner"}),
        422,
        "invalid_request",
    )
    problem(
        await ann.patch(f"/conversations/{cid}/permissions", json={"max_members": 1}),
        422,
        "invalid_request",
    )

    # A group admin changes them; members' sockets hear it with the group's new state.
    ws = await bob.ws()
    changed = await _set(ann, cid, invite_role="member", max_members=50)
    assert (changed["invite_role"], changed["max_members"]) == ("member", 50)
    frame = await ws.expect("conversation.updated", conversation_id=cid)
    assert frame["conversation"]["invite_role"] == "member"
    assert frame["conversation"]["max_members"] == 50
    assert (await _events(bob, cid))[-1] == {
        "event": "permissions_changed",
        "invite_role": "member",
        "max_members": 50,
    }
    # Null removes the limit; unchanged values add nothing to the log.
    assert (await _set(owner, cid, max_members=None, invite_role="member"))["max_members"] is None
    assert [e["event"] for e in await _events(bob, cid)][-2:] == ["permissions_changed"] * 2
    detail = (await bob.get(f"/conversations/{cid}")).json()["conversation"]
    assert (detail["invite_role"], detail["max_members"]) == ("member", None)
    await ws.close()

    direct = await owner.post("/conversations", json={"type": "direct", "user_id": bob.user_id})
    problem(
        await owner.get(f"/conversations/{direct.json()['conversation']['id']}/permissions"),
        422,
        "not_a_group",
    )


async def test_who_may_invite(server: Server) -> None:
    cid, (owner, bob, carl, dan) = await _group(server, 1, 2)
    add = {"user_ids": [carl.user_id]}
    problem(await bob.post(f"/conversations/{cid}/members", json=add), 403, "admin_required")
    await _set(owner, cid, invite_role="member")
    r = await bob.post(f"/conversations/{cid}/members", json=add)
    assert r.json() == {"added": [carl.user_id], "pending": []}
    assert (await carl.get(f"/conversations/{cid}")).status_code == 200
    await _set(owner, cid, invite_role="admin")
    problem(
        await bob.post(f"/conversations/{cid}/members", json={"user_ids": [dan.user_id]}),
        403,
        "admin_required",
    )


async def test_join_approval(server: Server) -> None:
    cid, (owner, bob, carl, dan, eve) = await _group(server, 1, 3)
    await _set(owner, cid, invite_role="member", join_approval=True)
    owner_ws = await owner.ws()

    # A member's invitation waits; the invitee is not in yet; the owner sees it live.
    r = await bob.post(
        f"/conversations/{cid}/members", json={"user_ids": [carl.user_id, dan.user_id]}
    )
    assert r.json() == {"added": [], "pending": [carl.user_id, dan.user_id]}
    frame = await owner_ws.expect("group.join_requests", conversation_id=cid)
    assert [q["user_id"] for q in frame["requests"]] == [carl.user_id, dan.user_id]
    assert {q["invited_by"] for q in frame["requests"]} == {bob.user_id}
    problem(await carl.get(f"/conversations/{cid}"), 404, "conversation_not_found")
    problem(await carl.get(f"/conversations/{cid}/join-requests"), 404, "conversation_not_found")
    problem(await bob.get(f"/conversations/{cid}/join-requests"), 403, "admin_required")
    path = f"/conversations/{cid}/join-requests"
    problem(await bob.post(f"{path}/{carl.user_id}/approve"), 403, "admin_required")
    listed = (await owner.get(path)).json()
    assert [q["user_id"] for q in listed] == [carl.user_id, dan.user_id]

    # Approve carl: he joins; reject dan: he stays out; both leave the list, live.
    assert (await owner.post(f"{path}/{carl.user_id}/approve")).status_code == 204
    frame = await owner_ws.expect("group.join_requests", conversation_id=cid)
    assert [q["user_id"] for q in frame["requests"]] == [dan.user_id]
    assert (await carl.get(f"/conversations/{cid}")).json()["role"] == "member"
    added = (await _events(owner, cid))[-1]
    assert added == {
        "event": "members_added",
        "user_ids": [carl.user_id],
        "invited_by": bob.user_id,
    }
    assert (await owner.post(f"{path}/{dan.user_id}/reject")).status_code == 204
    frame = await owner_ws.expect("group.join_requests", conversation_id=cid)
    assert frame["requests"] == []
    problem(await dan.get(f"/conversations/{cid}"), 404, "conversation_not_found")
    problem(await owner.post(f"{path}/{dan.user_id}/approve"), 404, "join_request_not_found")
    assert (await owner.get(path)).json() == []

    # Admins' own invitations need no approval.
    r = await owner.post(f"/conversations/{cid}/members", json={"user_ids": [eve.user_id]})
    assert r.json() == {"added": [eve.user_id], "pending": []}
    await owner_ws.close()


async def test_member_limit(server: Server) -> None:
    cid, (owner, bob, carl, dan) = await _group(server, 1, 2)
    await _set(owner, cid, max_members=2, invite_role="member", join_approval=True)
    full = problem(
        await owner.post(f"/conversations/{cid}/members", json={"user_ids": [carl.user_id]}),
        409,
        "group_full",
    )
    assert full["limit"] == 2
    # A pending request cannot be approved past the limit either, until there is room.
    r = await bob.post(f"/conversations/{cid}/members", json={"user_ids": [carl.user_id]})
    assert r.json()["pending"] == [carl.user_id]
    path = f"/conversations/{cid}/join-requests/{carl.user_id}/approve"
    problem(await owner.post(path), 409, "group_full")
    await _set(owner, cid, max_members=3)
    assert (await owner.post(path)).status_code == 204
    problem(
        await owner.post(f"/conversations/{cid}/members", json={"user_ids": [dan.user_id]}),
        409,
        "group_full",
    )


async def test_new_members_see_history_only_when_the_group_allows(server: Server) -> None:
    cid, (owner, carl, dan) = await _group(server, 0, 2)
    await owner.send(cid, "before anyone joined")
    await owner.post(f"/conversations/{cid}/members", json={"user_ids": [carl.user_id]})
    texts = [m["text"] for m in (await carl.get(f"/conversations/{cid}/messages")).json()["items"]]
    assert "before anyone joined" not in texts

    await _set(owner, cid, history_visible=True)
    dan_ws = await dan.ws()
    await owner.post(f"/conversations/{cid}/members", json={"user_ids": [dan.user_id]})
    added = await dan_ws.expect("conversation.added")
    assert added["conversation"]["history_visible"] is True
    texts = [m["text"] for m in (await dan.get(f"/conversations/{cid}/messages")).json()["items"]]
    assert "before anyone joined" in texts
    await dan_ws.close()


async def test_who_may_pin_and_edit_the_info(server: Server) -> None:
    cid, (owner, bob) = await _group(server, 1, 0)
    message = await owner.send(cid, "pin me")
    pin = f"/conversations/{cid}/messages/{message['id']}/pin"
    problem(await bob.post(pin), 403, "admin_required")
    problem(await bob.patch(f"/conversations/{cid}", json={"topic": "mine"}), 403, "admin_required")

    await _set(owner, cid, pin_role="member", edit_info_role="member")
    assert (await bob.post(pin)).status_code == 200
    r = await bob.patch(f"/conversations/{cid}", json={"topic": "mine", "announcement": "hi"})
    assert r.json()["conversation"]["topic"] == "mine"
    # Muting the whole group stays with admins.
    problem(
        await bob.patch(f"/conversations/{cid}", json={"admins_only": True}), 403, "admin_required"
    )
    await _set(owner, cid, pin_role="admin", edit_info_role="admin")
    problem(await bob.delete(pin), 403, "admin_required")
    problem(await bob.patch(f"/conversations/{cid}", json={"name": "x"}), 403, "admin_required")
