"""The department tree, department groups, people's places in it and the directory."""

from __future__ import annotations

import itertools

from parley.access.permissions import Permission
from tests.authz.builders import body, fresh_user_id
from tests.authz.callers import SIGNED_OUT, holds
from tests.authz.table import (
    BOTH,
    Outcome,
    Policy,
    owned,
    permission,
    route,
    signed_in,
)
from tests.authz.world import Call, Req

_n = itertools.count()


def directory(ok: Outcome = 200) -> Policy:
    """view_directory, or manage_departments (those who edit the tree see it whole).
    custom_without lacks view_directory but holds manage_departments."""

    def policy(caller: str, own: str | None, perm: Permission | None) -> Outcome:
        if caller in SIGNED_OUT:
            return 401
        if caller.startswith("custom_"):
            return ok
        allowed = holds(caller, Permission.VIEW_DIRECTORY) or holds(
            caller, Permission.MANAGE_DEPARTMENTS
        )
        return ok if allowed else 403

    return policy


async def new_department(call: Call) -> Req:
    return Req(json={"name": f"matrix dept {next(_n)}"})


async def department_to_edit(call: Call) -> Req:
    return Req(params={"department_id": await call.world.fresh_department()}, json={"name": "x"})


async def department_to_delete(call: Call) -> Req:
    return Req(params={"department_id": await call.world.fresh_department()})


async def department_group(call: Call) -> Req:
    return Req(params={"department_id": await call.world.fresh_department()}, json={})


async def placement(call: Call) -> Req:
    w = call.world
    return Req(
        params={"user_id": await fresh_user_id(call)},
        json={"departments": [{"department_id": w.department, "primary": True}]},
    )


def the_department_group(call: Call) -> Req:
    return Req(params={"conversation_id": call.world.department_group})


async def bound_group(call: Call) -> Req:
    req = the_department_group(call)
    req.json = {"include_subtree": True}
    return req


async def member_card(call: Call) -> Req:
    return Req(params={"user_id": call.world.id("member")})


DIRECTORY = {"perm": Permission.VIEW_DIRECTORY}
TREE = {"perm": Permission.MANAGE_DEPARTMENTS}
GROUPS = {"perm": Permission.CREATE_DEPARTMENT_GROUPS}

SPECS = [
    route("GET", "/departments", directory(), **DIRECTORY),
    route("POST", "/departments", permission(201), build=new_department, **TREE),
    route("PATCH", "/departments/{department_id}", permission(), build=department_to_edit, **TREE),
    route(
        "DELETE",
        "/departments/{department_id}",
        permission(204),
        build=department_to_delete,
        **TREE,
    ),
    route("GET", "/departments/{department_id}/members", directory(), **DIRECTORY),
    route("GET", "/departments/{department_id}/groups", permission(), **GROUPS),
    route(
        "POST",
        "/departments/{department_id}/groups",
        permission(201),
        build=department_group,
        **GROUPS,
    ),
    route(
        "PATCH",
        "/department-groups/{conversation_id}",
        permission(),
        build=bound_group,
        **GROUPS,
    ),
    # Your own place in the tree; another person's with manage_departments.
    route(
        "GET",
        "/users/{user_id}/org",
        owned(signed_in(), permission()),
        ownership=BOTH,
        **TREE,
    ),
    route("PUT", "/users/{user_id}/org", permission(), build=placement, **TREE),
    route(
        "GET",
        "/directory",
        directory(),
        build=body(None, q="mx"),
        **DIRECTORY,
    ),
    # The member's card (they are placed in the world's department).
    route(
        "GET",
        "/directory/users/{user_id}",
        directory(),
        build=member_card,
        **DIRECTORY,
    ),
]
