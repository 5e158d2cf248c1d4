"""Giving people roles: the system role, custom roles, and the owners' rules."""

from __future__ import annotations

from tests.helpers import (
    Api,
    Server,
    create_user,
    grant,
    make_role,
    problem,
    set_roles,
    setup_admin,
)


async def _me(api: Api) -> set[str]:
    return set((await api.get("/users/me")).json()["permissions"])


async def test_custom_roles_add_to_the_system_role_on_the_next_request(server: Server) -> None:
    owner = await setup_admin(server)
    guest = await create_user(owner)
    await set_roles(owner, guest, system_role="guest")
    assert "create_groups" not in await _me(guest)
    role = await make_role(owner, "create_groups", "view_directory")
    shown = await set_roles(owner, guest, role_ids=[role["id"]])
    assert shown == {"user_id": guest.user_id, "system_role": "guest", "role_ids": [role["id"]]}
    assert {"create_groups", "view_directory", "upload_files"} <= await _me(guest)
    await set_roles(owner, guest, role_ids=[])
    assert "create_groups" not in await _me(guest)


async def test_assigning_needs_the_permissions_the_role_grants(server: Server) -> None:
    owner = await setup_admin(server)
    lead, member = await create_user(owner), await create_user(owner)
    await grant(owner, lead, "manage_roles", "manage_users")
    strong = await make_role(owner, "export_data")
    r = await lead.put(f"/users/{member.user_id}/roles", json={"role_ids": [strong["id"]]})
    problem(r, 403, "permission_not_held")
    # Taking it away is as much beyond them as giving it.
    await set_roles(owner, member, role_ids=[strong["id"]])
    r = await lead.put(f"/users/{member.user_id}/roles", json={"role_ids": []})
    problem(r, 403, "permission_not_held")
    # A system role whose permissions the assigner lacks: auditor holds view_audit.
    r = await lead.put(f"/users/{member.user_id}/roles", json={"system_role": "auditor"})
    problem(r, 403, "permission_not_held")
    unknown = "00000000-0000-0000-0000-000000000000"
    r = await owner.put(f"/users/{member.user_id}/roles", json={"role_ids": [unknown]})
    problem(r, 422, "role_not_found")


async def test_members_cannot_assign_roles(server: Server) -> None:
    owner = await setup_admin(server)
    member, other = await create_user(owner), await create_user(owner)
    role = await make_role(owner)
    problem(await member.get(f"/users/{other.user_id}/roles"), 403, "permission_required")
    r = await member.put(f"/users/{member.user_id}/roles", json={"system_role": "admin"})
    problem(r, 403, "permission_required")
    r = await member.put(f"/users/{other.user_id}/roles", json={"role_ids": [role["id"]]})
    problem(r, 403, "permission_required")
    # manage_roles alone does not change system roles.
    await grant(owner, member, "manage_roles")
    r = await member.put(f"/users/{other.user_id}/roles", json={"system_role": "guest"})
    problem(r, 403, "permission_required")


async def test_only_owners_make_or_unmake_owners_and_admins(server: Server) -> None:
    owner = await setup_admin(server)
    admin, member = await create_user(owner), await create_user(owner)
    await set_roles(owner, admin, system_role="admin")
    for role in ("admin", "owner"):
        r = await admin.put(f"/users/{member.user_id}/roles", json={"system_role": role})
        problem(r, 403, "owner_required")
    r = await admin.post(
        "/users",
        json={"username": "newadmin", "password": "x" * 12, "display_name": "N", "role": "admin"},
    )
    problem(r, 403, "owner_required")
    second = await create_user(owner)
    await set_roles(owner, second, system_role="admin")
    problem(
        await admin.put(f"/users/{second.user_id}/roles", json={"system_role": "member"}),
        403,
        "owner_required",
    )
    problem(await admin.post(f"/users/{second.user_id}/disable"), 403, "owner_required")
    # An administrator still manages ordinary accounts.
    assert (
        await admin.put(f"/users/{member.user_id}/roles", json={"system_role": "guest"})
    ).status_code == 200
    assert (await admin.post(f"/users/{member.user_id}/disable")).status_code == 200
    # The owner makes a second owner, who may then demote the first.
    await set_roles(owner, second, system_role="owner")
    await set_roles(second, owner, system_role="admin")
    assert (await owner.get("/users/me")).json()["role"] == "admin"


async def test_the_last_owner_cannot_be_demoted_or_disabled(server: Server) -> None:
    owner = await setup_admin(server)
    admin = await create_user(owner)
    await set_roles(owner, admin, system_role="admin")
    r = await owner.put(f"/users/{owner.user_id}/roles", json={"system_role": "admin"})
    problem(r, 409, "last_owner")
    problem(
        await admin.put(f"/users/{owner.user_id}/roles", json={"system_role": "member"}),
        409,
        "last_owner",
    )
    problem(await admin.post(f"/users/{owner.user_id}/disable"), 409, "last_owner")
    assert (await owner.get("/users/me")).json()["role"] == "owner"
    # With a second owner, either may step down.
    await set_roles(owner, admin, system_role="owner")
    await set_roles(owner, owner, system_role="member")
    problem(
        await admin.put(f"/users/{admin.user_id}/roles", json={"system_role": "member"}),
        409,
        "last_owner",
    )
