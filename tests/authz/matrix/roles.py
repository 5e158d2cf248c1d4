"""Custom roles, the permission catalogue and who holds which role."""

from __future__ import annotations

import itertools

from parley.access.permissions import Permission
from tests.authz.builders import fresh_user_id
from tests.authz.table import BOTH, permission, route, signed_in
from tests.authz.world import Call, Req

_n = itertools.count()


async def new_role(call: Call) -> Req:
    return Req(json={"name": f"matrix role {next(_n)}", "permissions": []})


async def role_to_edit(call: Call) -> Req:
    return Req(params={"role_id": await call.world.fresh_role()}, json={"description": "x"})


async def role_to_delete(call: Call) -> Req:
    return Req(params={"role_id": await call.world.fresh_role()})


async def user_roles(call: Call) -> Req:
    return Req(params={"user_id": await fresh_user_id(call)}, json={"role_ids": []})


# Reading roles needs manage_roles or manage_users: custom_without (manage_roles taken
# away) still holds manage_users.
READ = {"perm": Permission.MANAGE_ROLES, "overrides": {"custom_without": 200}}
ROLES = {"perm": Permission.MANAGE_ROLES}

SPECS = [
    route("GET", "/permissions", signed_in()),
    route("GET", "/roles", permission(), **READ),
    route("POST", "/roles", permission(201), build=new_role, **ROLES),
    route("PATCH", "/roles/{role_id}", permission(), build=role_to_edit, **ROLES),
    route("DELETE", "/roles/{role_id}", permission(204), build=role_to_delete, **ROLES),
    route("GET", "/users/{user_id}/roles", permission(), ownership=BOTH, **READ),
    route("PUT", "/users/{user_id}/roles", permission(), build=user_roles, **ROLES),
]
