"""The admin console: accounts, groups, settings and the dashboard (/admin/...)."""

from __future__ import annotations

from parley.access.permissions import Permission
from tests.authz.builders import body, fresh_user_id
from tests.authz.table import permission, route
from tests.authz.world import Call, Req

BOUNDARY = "matrixboundary"
CSV = "username,display_name\ncsvuser,Csv User\n"


async def csv_file(call: Call) -> Req:
    """A one-line CSV, checked only (dry_run is the default): nothing is created."""
    content = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="users.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
        f"{CSV}\r\n--{BOUNDARY}--\r\n"
    ).encode()
    return Req(
        content=content, headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    )


async def user_to_edit(call: Call) -> Req:
    return Req(params={"user_id": await fresh_user_id(call)}, json={"title": "matrix"})


async def new_owner(call: Call) -> Req:
    cid = await call.fresh_group()
    return Req(params={"group_id": cid}, json={"user_id": call.world.id("member")})


async def to_archive(call: Call) -> Req:
    return Req(params={"group_id": await call.fresh_group()}, json={"archived": True})


USERS = {"perm": Permission.MANAGE_USERS}
GROUPS = {"perm": Permission.MANAGE_GROUPS}
SETTINGS = {"perm": Permission.MANAGE_SETTINGS}

SPECS = [
    route("GET", "/admin/users", permission(), **USERS),
    route("POST", "/admin/users/import", permission(), build=csv_file, **USERS),
    route("GET", "/admin/users/{user_id}", permission(), **USERS),
    route("PATCH", "/admin/users/{user_id}", permission(), build=user_to_edit, **USERS),
    route("GET", "/admin/groups", permission(), **GROUPS),
    route("POST", "/admin/groups/{group_id}/owner", permission(), build=new_owner, **GROUPS),
    route("POST", "/admin/groups/{group_id}/archive", permission(), build=to_archive, **GROUPS),
    route("GET", "/admin/settings", permission(), **SETTINGS),
    route("PATCH", "/admin/settings", permission(), build=body({}), **SETTINGS),
    route("GET", "/admin/dashboard", permission(), **SETTINGS),
]
