"""Custom roles: the catalogue, composing roles, and who may compose what."""

from __future__ import annotations

from tests.helpers import Server, create_user, grant, make_role, problem, setup_admin


async def test_catalogue_lists_every_permission_with_both_languages(server: Server) -> None:
    admin = await setup_admin(server)
    member = await create_user(admin)
    r = await member.get("/permissions")
    assert r.status_code == 200
    body = r.json()
    by_name = {p["name"]: p for p in body["permissions"]}
    assert by_name["create_groups"]["label_zh"] == "创建群组"
    assert by_name["create_groups"]["label_en"] == "Create groups"
    assert "manage_roles" in by_name and "read_all_messages" in by_name
    roles = {r["name"]: set(r["permissions"]) for r in body["system_roles"]}
    assert set(roles) == {"owner", "admin", "auditor", "member", "guest"}
    assert "view_audit" in roles["auditor"] and "manage_users" not in roles["auditor"]
    assert "view_directory" not in roles["guest"]
    problem(await server.client().get("/permissions"), 401, "unauthorized")


async def test_compose_edit_and_delete_a_role(server: Server) -> None:
    admin = await setup_admin(server)
    role = await make_role(
        admin,
        "create_groups",
        "mention_all",
        name="项目经理",
        description="带项目的人",
        max_upload_mb=500,
    )
    assert role["permissions"] == ["create_groups", "mention_all"]
    assert role["max_upload_mb"] == 500 and role["holders"] == 0
    r = await admin.patch(
        f"/roles/{role['id']}", json={"permissions": ["view_directory"], "max_upload_mb": None}
    )
    assert r.status_code == 200, r.text
    assert r.json()["permissions"] == ["view_directory"] and r.json()["max_upload_mb"] is None
    member = await create_user(admin)
    await admin.put(f"/users/{member.user_id}/roles", json={"role_ids": [role["id"]]})
    listed = (await admin.get("/roles")).json()
    assert [(x["name"], x["holders"]) for x in listed] == [("项目经理", 1)]
    problem(await admin.post("/roles", json={"name": "项目经理"}), 409, "role_exists")
    assert (await admin.delete(f"/roles/{role['id']}")).status_code == 204
    assert (await admin.get("/roles")).json() == []
    assert (await admin.get(f"/users/{member.user_id}/roles")).json()["role_ids"] == []
    problem(await admin.delete(f"/roles/{role['id']}"), 404, "role_not_found")


async def test_unknown_permission_is_refused_per_field(server: Server) -> None:
    admin = await setup_admin(server)
    r = await admin.post("/roles", json={"name": "x", "permissions": ["create_groups", "fly"]})
    body = problem(r, 422, "invalid_request")
    assert [e["field"] for e in body["errors"]] == ["permissions.1"], body
    role = await make_role(admin)
    r = await admin.patch(f"/roles/{role['id']}", json={"permissions": ["root"]})
    problem(r, 422, "invalid_request")
    problem(
        await admin.post("/roles", json={"name": "y", "max_upload_mb": 0}), 422, "invalid_request"
    )


async def test_members_without_manage_roles_are_refused(server: Server) -> None:
    admin = await setup_admin(server)
    member = await create_user(admin)
    role = await make_role(admin, "create_groups")
    problem(await member.get("/roles"), 403, "permission_required")
    problem(await member.post("/roles", json={"name": "mine"}), 403, "permission_required")
    problem(
        await member.patch(f"/roles/{role['id']}", json={"name": "x"}), 403, "permission_required"
    )
    problem(await member.delete(f"/roles/{role['id']}"), 403, "permission_required")


async def test_nobody_grants_a_permission_they_do_not_hold(server: Server) -> None:
    admin = await setup_admin(server)
    lead = await create_user(admin)
    await grant(admin, lead, "manage_roles")
    # Holding manage_roles and a member's permissions, not manage_users:
    r = await lead.post("/roles", json={"name": "boss", "permissions": ["manage_users"]})
    problem(r, 403, "permission_not_held")
    made = (
        await lead.post("/roles", json={"name": "team", "permissions": ["create_groups"]})
    ).json()
    r = await lead.patch(
        f"/roles/{made['id']}", json={"permissions": ["create_groups", "view_audit"]}
    )
    problem(r, 403, "permission_not_held")
    # A role above the editor cannot be edited or deleted by them either.
    above = await make_role(admin, "export_data")
    problem(
        await lead.patch(f"/roles/{above['id']}", json={"name": "mine"}), 403, "permission_not_held"
    )
    problem(await lead.delete(f"/roles/{above['id']}"), 403, "permission_not_held")
    # Not even the owner hands out read_all_messages without holding it.
    r = await admin.post("/roles", json={"name": "spy", "permissions": ["read_all_messages"]})
    problem(r, 403, "permission_not_held")
