"""Every admin console route refuses a member: 403 problem+json naming the permission."""

from __future__ import annotations

import uuid

from tests.admin.support import HEADER, upload
from tests.helpers import Server, create_user, problem, setup_admin


async def test_member_is_refused_every_admin_route(server: Server) -> None:
    admin = await setup_admin(server)
    member = await create_user(admin, "mallory")
    some = str(uuid.uuid4())
    calls = [
        ("GET", "/admin/users", None),
        ("GET", f"/admin/users/{admin.user_id}", None),
        ("PATCH", f"/admin/users/{admin.user_id}", {"title": "x"}),
        ("GET", "/admin/groups", None),
        ("POST", f"/admin/groups/{some}/owner", {"user_id": member.user_id}),
        ("POST", f"/admin/groups/{some}/archive", {"archived": True}),
        ("GET", "/admin/settings", None),
        ("PATCH", "/admin/settings", {"self_registration": True}),
        ("GET", "/admin/dashboard", None),
    ]
    for method, path, body in calls:
        r = await member.request(method, path, json=body)
        problem(r, 403, "permission_required")
    for dry_run in (True, False):
        r = await upload(member, (HEADER + "eve,Eve,,,,,,\n").encode(), dry_run=dry_run)
        problem(r, 403, "permission_required")
    # Nothing changed behind the refusals.
    assert (await admin.get(f"/admin/users/{admin.user_id}")).json()["title"] == ""
    assert (await admin.get("/admin/users", params={"q": "eve"})).json()["items"] == []


async def test_anonymous_is_refused(server: Server) -> None:
    await setup_admin(server)
    problem(await server.client().get("/admin/dashboard"), 401, "unauthorized")
