from __future__ import annotations

from tests.helpers import PASSWORD, Api, Server, create_user, problem, setup_admin


async def test_only_admins_create_users(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    body = {"username": "bob", "password": PASSWORD, "display_name": "Bob"}
    problem(await alice.post("/users", json=body), 403, "permission_required")
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
    problem(
        await alice.get("/users", params={"include_inactive": True}), 403, "permission_required"
    )
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


async def names_found(api: Api, q: str) -> list[str]:
    r = await api.get("/users", params={"q": q})
    assert r.status_code == 200, r.text
    return sorted(u["display_name"] for u in r.json()["items"])


async def test_directory_matches_pinyin_and_initials(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "u3", "张三")
    await create_user(admin, "u4", "李四")
    await create_user(admin, "u5", "单雄信")  # 单 is shàn as a surname, dān elsewhere
    await create_user(admin, "u6", "曾小贤")  # 曾 zēng
    await create_user(admin, "u7", "解晓东")  # 解 xiè
    alice = await create_user(admin, "alice", "Alice Wong")

    assert await names_found(alice, "zs") == ["张三"]
    assert await names_found(alice, "zhangsan") == ["张三"]
    assert await names_found(alice, "Zhang San") == ["张三"]
    assert await names_found(alice, "li si") == ["李四"]
    assert await names_found(alice, "张三") == ["张三"]
    assert await names_found(alice, "shanxiongxin") == ["单雄信"]
    assert await names_found(alice, "sxx") == ["单雄信"]
    assert await names_found(alice, "zengxiaoxian") == ["曾小贤"]
    assert await names_found(alice, "xiexiaodong") == ["解晓东"]
    assert await names_found(alice, "xxd") == ["解晓东"]

    # A rename keeps the keys in step.
    assert (await alice.patch("/users/me", json={"display_name": "王五"})).status_code == 200
    assert await names_found(admin, "wangwu") == ["王五"]
    assert await names_found(admin, "alicewong") == []


async def test_directory_does_not_match_hidden_email(server: Server) -> None:
    """Profiles show nobody's e-mail to colleagues: searching for one must not reveal
    whose it is (issue 13, finding 12). Administrators, who manage accounts, may."""
    admin = await setup_admin(server)
    body = {
        "username": "carol",
        "password": PASSWORD,
        "display_name": "Carol",
        "email": "secret.boss@example.com",
    }
    assert (await admin.post("/users", json=body)).status_code == 201
    alice = await create_user(admin, "alice")
    assert await names_found(alice, "secret.boss") == []
    assert await names_found(alice, "example.com") == []
    assert await names_found(alice, "carol") == ["Carol"]
    assert await names_found(admin, "secret.boss") == ["Carol"]
