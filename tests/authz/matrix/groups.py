"""Conversations: the list, groups, members, roles, ownership, per-member settings."""

from __future__ import annotations

from parley.access.permissions import Permission
from tests.authz.builders import body, fresh_user_id
from tests.authz.table import ENFORCE, member_of, permission, route, signed_in
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


CID = "/conversations/{conversation_id}"

SPECS = [
    route("GET", "/conversations", signed_in()),
    route(
        "POST",
        "/conversations",
        permission(201),
        perm=Permission.CREATE_GROUPS,
        build=new_group,
        xfail={"guest": ENFORCE, "custom_without": ENFORCE},
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
]
