from __future__ import annotations

from tests.helpers import PASSWORD, Server, create_user, problem, setup_admin


async def test_only_admins_create_users(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    body = {"username": "bob", "password": PASSWORD, "display_name": "Bob"}
    problem(await alice.post("/users", json=body), 403, "admin_required")
    assert (await admin.post("/users", json=body)).status_code == 201
    problem(await admin.post("/users", json={**body, "username": "BOB"}), 409, "user_exists")


async def test_directory_search_by_name_including_chinese(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "zhangsan", "张三")
    await create_user(admin, "zhangwei", "张伟")
    await create_user(admin, "lisi", "李四")
    alice = await create_user(admin, "alice", "Alice Wong")
    found = (await alice.get("/users", params={"q": "张"})).json()["items"]
    assert sorted(u["display_name"] for u in found) == ["张三", "张伟"]
    assert [
        u["username"] for u in (await alice.get("/users", params={"q": "wong"})).json()["items"]
    ] == ["alice"]
    # LIKE wildcards are matched literally.
    assert (await alice.get("/users", params={"q": "%"})).json()["items"] == []
    page1 = (await alice.get("/users", params={"limit": 2})).json()
    page2 = (await alice.get("/users", params={"limit": 2, "after": page1["next_cursor"]})).json()
    names = [u["username"] for u in page1["items"] + page2["items"]]
    assert names == sorted(names) and len(set(names)) == 4


async def test_disabled_users_leave_the_directory(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    await admin.post(f"/users/{bob.user_id}/disable")
    names = [u["username"] for u in (await alice.get("/users")).json()["items"]]
    assert "bob" not in names
    problem(await alice.get("/users", params={"include_inactive": True}), 403, "admin_required")
    names = [
        u["username"]
        for u in (await admin.get("/users", params={"include_inactive": True})).json()["items"]
    ]
    assert "bob" in names


async def test_profile_update(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    r = await alice.patch(
        "/users/me",
        json={"display_name": "爱丽丝", "title": "产品经理", "status_text": "开会中 📅"},
    )
    assert r.status_code == 200
    other = await create_user(admin)
    seen = (await other.get(f"/users/{alice.user_id}")).json()
    assert (seen["display_name"], seen["title"], seen["status_text"]) == (
        "爱丽丝",
        "产品经理",
        "开会中 📅",
    )
    problem(await alice.patch("/users/me", json={"role": "admin"}), 422, "invalid_request")
    problem(await alice.patch("/users/me", json={"display_name": ""}), 422, "invalid_request")
    problem(await alice.patch("/users/me", json={"display_name": None}), 422, "invalid_field")
    problem(await alice.patch("/users/me", json={"title": "x" * 101}), 422, "invalid_request")
