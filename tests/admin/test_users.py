"""The console's user list (filters, paging) and account edits."""

from __future__ import annotations

from tests.helpers import PASSWORD, Server, create_user, problem, setup_admin


async def test_list_filters_and_pages(server: Server) -> None:
    admin = await setup_admin(server)
    for name in ("alice", "bob", "carol", "dave"):
        await create_user(admin, name)
    r = await admin.post(
        "/users",
        json={
            "username": "gina",
            "password": PASSWORD,
            "display_name": "张三",
            "role": "guest",
            "phone": "13800000000",
            "employee_no": "E-77",
        },
    )
    assert r.status_code == 201, r.text
    bob = (await admin.get("/admin/users", params={"q": "bob"})).json()["items"][0]
    assert (await admin.post(f"/users/{bob['id']}/disable")).status_code == 200

    first = (await admin.get("/admin/users", params={"limit": 3})).json()
    assert [u["username"] for u in first["items"]] == ["admin", "alice", "bob"]
    rest = (
        await admin.get("/admin/users", params={"limit": 3, "after": first["next_cursor"]})
    ).json()
    assert [u["username"] for u in rest["items"]] == ["carol", "dave", "gina"]
    assert rest["next_cursor"] is None

    async def names(**params: str) -> list[str]:
        page = (await admin.get("/admin/users", params=params)).json()
        return [u["username"] for u in page["items"]]

    assert await names(status="disabled") == ["bob"]
    assert "bob" not in await names(status="active")
    assert await names(role="guest") == ["gina"]
    assert await names(role="owner") == ["admin"]
    # Text matches pinyin initials, phone and employee number too.
    assert await names(q="zs") == ["gina"]
    assert await names(q="13800") == ["gina"]
    assert await names(q="e-77") == ["gina"]
    gina = (await admin.get("/admin/users", params={"q": "gina"})).json()["items"][0]
    assert (gina["phone"], gina["employee_no"], gina["role"]) == ("13800000000", "E-77", "guest")
    problem(await admin.get("/admin/users", params={"role": "king"}), 422, "invalid_request")


async def test_admin_edits_an_account(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    await create_user(admin, "bob")
    r = await admin.patch(
        f"/admin/users/{alice.user_id}",
        json={
            "display_name": "李四",
            "title": "工程师",
            "email": "Alice@Example.com",
            "phone": "+86 10 1234",
            "employee_no": "A1",
        },
    )
    assert r.status_code == 200, r.text
    me = (await alice.get("/users/me")).json()
    assert (me["display_name"], me["title"], me["email"]) == ("李四", "工程师", "alice@example.com")
    # The new name is found by its pinyin in the directory.
    found = (await admin.get("/users", params={"q": "lisi"})).json()["items"]
    assert [u["username"] for u in found] == ["alice"]
    bob = (await admin.get("/admin/users", params={"q": "bob"})).json()["items"][0]
    problem(
        await admin.patch(f"/admin/users/{bob['id']}", json={"email": "alice@example.com"}),
        409,
        "user_exists",
    )
    problem(
        await admin.patch(f"/admin/users/{bob['id']}", json={"email": "not-mail"}),
        422,
        "invalid_request",
    )
    problem(
        await admin.patch(f"/admin/users/{bob['id']}", json={"display_name": None}),
        422,
        "invalid_field",
    )
    problem(
        await admin.patch(f"/admin/users/{bob['id']}", json={"role": "admin"}),
        422,
        "invalid_request",
    )


async def test_unknown_user_is_404(server: Server) -> None:
    admin = await setup_admin(server)
    missing = "00000000-0000-4000-8000-000000000000"
    problem(await admin.get(f"/admin/users/{missing}"), 404, "user_not_found")
    problem(
        await admin.patch(f"/admin/users/{missing}", json={"title": "x"}), 404, "user_not_found"
    )
    problem(await admin.get("/admin/users", params={"status": "gone"}), 422, "invalid_request")
