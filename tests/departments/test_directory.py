"""The directory: search by name, pinyin, initials, e-mail and phone; profile cards; the
hidden parts stay hidden."""

from __future__ import annotations

from typing import Any

from tests.departments.helpers import add_department, place
from tests.helpers import Api, Server, create_user, problem, setup_admin


async def _names(api: Api, q: str) -> list[str]:
    r = await api.get("/directory", params={"q": q})
    assert r.status_code == 200, r.text
    return [e["user"]["display_name"] for e in r.json()["items"]]


async def test_search_by_pinyin_initials_and_polyphonic_surnames(server: Server) -> None:
    admin = await setup_admin(server)
    viewer = await create_user(admin, "viewer", "Viewer")
    for username, name in [
        ("zhangsan", "张三"),
        ("shan", "单雄信"),
        ("zeng", "曾小贤"),
        ("xie", "解晓东"),
        ("qiu", "仇英"),
        ("ou", "区志强"),
    ]:
        await create_user(admin, username, name)
    assert await _names(viewer, "zs") == ["张三"]
    assert await _names(viewer, "zhang san") == ["张三"]
    assert await _names(viewer, "张三") == ["张三"]
    assert await _names(viewer, "shanxiong") == ["单雄信"]
    assert await _names(viewer, "zengxiao") == ["曾小贤"]
    assert await _names(viewer, "xiexiao") == ["解晓东"]
    assert await _names(viewer, "qiuying") == ["仇英"]
    assert await _names(viewer, "ouzhi") == ["区志强"]
    assert await _names(viewer, "nobody-like-this") == []


async def test_contact_fields_are_searched_and_shown_only_when_allowed(server: Server) -> None:
    admin = await setup_admin(server)
    viewer = await create_user(admin, "viewer")
    r = await admin.post(
        "/users",
        json={
            "username": "lisi",
            "password": "a-long-enough-password",
            "display_name": "李四",
            "email": "lisi@example.com",
            "phone": "13800001111",
            "must_change_password": False,
        },
    )
    lisi_id = r.json()["id"]
    assert await _names(viewer, "example.com") == []
    assert await _names(viewer, "13800001111") == []
    assert await _names(admin, "13800001111") == ["李四"]
    card = (await viewer.get(f"/directory/users/{lisi_id}")).json()
    assert (card["email"], card["phone"]) == (None, None)

    assert (await admin.put("/org/profile-fields", json={"fields": ["phone"]})).status_code == 200
    assert await _names(viewer, "0000111") == ["李四"]
    assert await _names(viewer, "example.com") == []
    card = (await viewer.get(f"/directory/users/{lisi_id}")).json()
    assert (card["email"], card["phone"]) == (None, "13800001111")


async def test_the_card_shows_departments_title_manager_and_local_time(server: Server) -> None:
    admin = await setup_admin(server)
    boss = await create_user(admin, "boss", "王总")
    dev = await create_user(admin, "dev", "张三")
    viewer = await create_user(admin, "viewer")
    hq = await add_department(admin, "总部")
    rd = await add_department(admin, "研发部", hq)
    await place(admin, dev, rd, title="前端工程师", manager=boss.user_id)
    assert (await dev.patch("/users/me", json={"time_zone": "Asia/Shanghai"})).status_code == 200
    problem(
        await dev.patch("/users/me", json={"time_zone": "Mars/Olympus"}), 422, "invalid_request"
    )

    card: dict[str, Any] = (await viewer.get(f"/directory/users/{dev.user_id}")).json()
    assert card["title"] == "前端工程师"
    assert [m["path"] for m in card["departments"]] == [["总部", "研发部"]]
    assert card["manager"]["display_name"] == "王总"
    assert card["time_zone"] == "Asia/Shanghai"
    entry = (await viewer.get("/directory", params={"q": "zs"})).json()["items"][0]
    assert (entry["title"], entry["department_path"]) == ("前端工程师", ["总部", "研发部"])
    members = (await viewer.get(f"/departments/{rd}/members")).json()["items"]
    assert [m["user"]["display_name"] for m in members] == ["张三"]
    assert [d["member_count"] for d in (await viewer.get("/departments")).json()] == [1, 1]


async def test_people_only_in_hidden_departments_are_not_found(server: Server) -> None:
    admin = await setup_admin(server)
    viewer = await create_user(admin, "viewer")
    spy = await create_user(admin, "spy", "詹姆斯")
    secret = await add_department(admin, "特勤部", hidden=True)
    await place(admin, spy, secret, title="特工")
    assert await _names(viewer, "zhan") == []
    assert await _names(admin, "zhan") == ["詹姆斯"]
    card = (await viewer.get(f"/directory/users/{spy.user_id}")).json()
    assert card["departments"] == [] and card["title"] == ""


async def test_the_directory_needs_view_directory(server: Server) -> None:
    admin = await setup_admin(server)
    r = await admin.post(
        "/users",
        json={
            "username": "guest1",
            "password": "a-long-enough-password",
            "display_name": "Guest",
            "role": "guest",
            "must_change_password": False,
        },
    )
    assert r.status_code == 201, r.text
    guest = server.client()
    login = await guest.post(
        "/auth/login", json={"login": "guest1", "password": "a-long-enough-password"}
    )
    guest.token = login.json()["token"]
    for path in ("/directory?q=a", "/departments", f"/directory/users/{admin.user_id}"):
        problem(await guest.get(path), 403, "permission_required")
    problem(await server.client().get("/directory"), 401, "unauthorized")
