"""Who is an administrator is told to administrators and to the person themself only:
a colleague reading a profile or searching the directory sees `role: null`."""

from __future__ import annotations

from tests.helpers import Server, create_user, setup_admin


async def test_a_member_sees_no_one_elses_role(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    for target in (admin, bob):
        profile = (await alice.get(f"/users/{target.user_id}")).json()
        assert profile["id"] == target.user_id and profile["role"] is None
    listed = (await alice.get("/users", params={"limit": 50})).json()["items"]
    assert {u["username"]: u["role"] for u in listed} == {
        "admin": None,
        "alice": "member",  # herself
        "bob": None,
    }
    assert (await alice.get(f"/users/{alice.user_id}")).json()["role"] == "member"
    assert (await alice.get("/users/me")).json()["role"] == "member"


async def test_admins_see_every_role(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    assert (await admin.get(f"/users/{alice.user_id}")).json()["role"] == "member"
    listed = (await admin.get("/users", params={"limit": 50})).json()["items"]
    assert {u["username"]: u["role"] for u in listed} == {"admin": "owner", "alice": "member"}
    assert (await alice.get("/users/me")).json()["role"] == "member"


async def test_me_lists_the_permissions_of_the_system_role(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    mine = set((await alice.get("/users/me")).json()["permissions"])
    assert {"create_groups", "view_directory", "upload_files"} <= mine
    assert not mine & {"manage_users", "manage_roles", "read_all_messages"}
    owner = set((await admin.get("/users/me")).json()["permissions"])
    assert {"manage_users", "manage_roles", "manage_departments"} <= owner
    assert "read_all_messages" not in owner  # granted only by a custom role, on purpose
