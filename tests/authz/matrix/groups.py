"""Conversations: the list, groups, members, roles, ownership, per-member settings."""

from __future__ import annotations

from parley.access.permissions import Permission
from tests.authz.builders import body, fresh_user_id
from tests.authz.table import member_of, permission, route, signed_in
from tests.authz.world import Call, Req


async def new_group(call: Call) -> Req:
    return Req(json={"type": "group", "name": "新群", "member_ids": [call.world.id("peer")]})


async def add_member(call: Call) -> Req:
    return Req(json={"user_ids": [await fresh_user_id(call)]})


async def remove_member(call: Call) -> Req:
    return Req(json={"user_ids": [await fresh_user_id(call, in_group=True)]})


async def member_role(call: Call) -> Req:
    return Req(params={"user_id": await fresh_user_id(call, in_group=True)}, json={"role": "admin"})


async def own_fresh_group(call: Call) -> Req:
    """A group shaped like the world's, for rows that leave or hand it over."""
    return Req(params={"conversation_id": await call.fresh_group()})


async def transfer(call: Call) -> Req:
    cid = await call.fresh_group()
    return Req(params={"conversation_id": cid}, json={"user_id": call.world.id("member")})


async def member_to_mute(call: Call) -> Req:
    return Req(params={"user_id": await fresh_user_id(call, in_group=True)}, json={"until": None})


async def join_request(call: Call) -> Req:
    """A group like the world's with join approval on and members allowed to invite,
    where a plain member invited someone new: their request waits for an admin."""
    w = call.world
    cid = await call.fresh_group()
    r = await w.apis["group_owner"].patch(
        f"/conversations/{cid}/permissions", json={"join_approval": True, "invite_role": "member"}
    )
    assert r.status_code == 200, r.text
    user_id = await fresh_user_id(call)
    r = await w.apis["member"].post(f"/conversations/{cid}/members", json={"user_ids": [user_id]})
    assert r.status_code == 200, r.text
    return Req(params={"conversation_id": cid, "user_id": user_id})


CID = "/conversations/{conversation_id}"

SPECS = [
    route("GET", "/conversations", signed_in()),
    route(
        "POST",
        "/conversations",
        permission(201),
        perm=Permission.CREATE_GROUPS,
        build=new_group,
    ),
    route("GET", CID, member_of()),
    route("PATCH", CID, member_of(role="admin"), build=body({"topic": "矩阵"})),
    route("GET", CID + "/members", member_of()),
    route("POST", CID + "/members", member_of(role="admin"), build=add_member),
    route("DELETE", CID + "/members", member_of(role="admin"), build=remove_member),
    # The owner must hand the group over before leaving.
    route(
        "POST",
        CID + "/leave",
        member_of(204),
        build=own_fresh_group,
        overrides={"group_owner": 409},
    ),
    route("PUT", CID + "/members/{user_id}/role", member_of(role="owner"), build=member_role),
    route("POST", CID + "/transfer", member_of(204, role="owner"), build=transfer),
    route("PATCH", CID + "/settings", member_of(), build=body({"muted": False})),
    route("GET", CID + "/permissions", member_of()),
    route(
        "PATCH", CID + "/permissions", member_of(role="admin"), build=body({"join_approval": False})
    ),
    # Group admins and the owner mute members below them.
    route("PUT", CID + "/members/{user_id}/mute", member_of(role="admin"), build=member_to_mute),
    route("GET", CID + "/join-requests", member_of(role="admin")),
    route(
        "POST",
        CID + "/join-requests/{user_id}/approve",
        member_of(204, role="admin"),
        build=join_request,
    ),
    route(
        "POST",
        CID + "/join-requests/{user_id}/reject",
        member_of(204, role="admin"),
        build=join_request,
    ),
]
