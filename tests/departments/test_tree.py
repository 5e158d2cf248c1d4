"""The department tree: order, moves (no cycles), heads, deletion rules, hidden
departments, and who may edit it."""

from __future__ import annotations

from tests.departments.helpers import add_department, place, tree
from tests.helpers import Server, create_user, problem, setup_admin


async def test_admin_builds_orders_and_moves_the_tree(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice", "张三")
    hq = await add_department(admin, "总部")
    rd = await add_department(admin, "研发部", hq, head_id=alice.user_id)
    sales = await add_department(admin, "销售部", hq)
    web = await add_department(admin, "前端组", rd)
    # Manual order: 销售部 moves before 研发部.
    r = await admin.patch(f"/departments/{sales}", json={"position": 0})
    assert r.status_code == 200, r.text
    listed = [d["name"] for d in (await admin.get("/departments")).json()]
    assert listed == ["总部", "销售部", "研发部", "前端组"]
    assert (await tree(admin))["研发部"]["head_id"] == alice.user_id

    # Moving a department under its own descendant (or itself) is refused.
    problem(
        await admin.patch(f"/departments/{rd}", json={"parent_id": web}), 409, "department_cycle"
    )
    problem(
        await admin.patch(f"/departments/{rd}", json={"parent_id": rd}), 409, "department_cycle"
    )
    problem(
        await admin.patch(f"/departments/{hq}", json={"parent_id": web}), 409, "department_cycle"
    )
    # A legal move: 前端组 goes to 销售部, and counts follow.
    await place(admin, alice, web, title="工程师")
    r = await admin.patch(f"/departments/{web}", json={"parent_id": sales})
    assert r.status_code == 200 and r.json()["parent_id"] == sales
    counts = {n: d["member_count"] for n, d in (await tree(admin)).items()}
    assert counts == {"总部": 1, "销售部": 1, "研发部": 0, "前端组": 1}
    problem(await admin.post("/departments", json={"name": ""}), 422, "invalid_request")
    problem(
        await admin.post("/departments", json={"name": "x", "parent_id": alice.user_id}),
        422,
        "department_not_found",
    )


async def test_a_non_empty_department_is_deleted_only_when_its_members_move(
    server: Server,
) -> None:
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    hq = await add_department(admin, "总部")
    ops = await add_department(admin, "运维部", hq)
    sub = await add_department(admin, "值班组", ops)
    await place(admin, bob, ops)
    problem(await admin.delete(f"/departments/{ops}"), 409, "department_not_empty")
    problem(await admin.delete(f"/departments/{ops}?move_to={sub}"), 422, "invalid_move_target")
    r = await admin.delete(f"/departments/{ops}?move_to={hq}")
    assert r.status_code == 204, r.text
    departments = await tree(admin)
    assert "运维部" not in departments and departments["值班组"]["parent_id"] == hq
    org = (await bob.get(f"/users/{bob.user_id}/org")).json()
    assert [(m["path"], m["primary"]) for m in org["departments"]] == [(["总部"], True)]
    # An empty one goes at once.
    assert (await admin.delete(f"/departments/{sub}")).status_code == 204
    problem(await admin.delete(f"/departments/{sub}"), 404, "department_not_found")


async def test_members_cannot_edit_the_tree_and_do_not_see_hidden_departments(
    server: Server,
) -> None:
    admin = await setup_admin(server)
    carol = await create_user(admin, "carol")
    hq = await add_department(admin, "总部")
    secret = await add_department(admin, "战略部", hq, hidden=True)
    inner = await add_department(admin, "并购组", secret)
    await place(admin, carol, inner)

    for r in (
        await carol.post("/departments", json={"name": "x"}),
        await carol.patch(f"/departments/{hq}", json={"name": "x"}),
        await carol.delete(f"/departments/{hq}"),
        await carol.put(f"/users/{carol.user_id}/org", json={"departments": []}),
        await carol.get(f"/users/{admin.user_id}/org"),
        await carol.post(f"/departments/{hq}/groups", json={}),
    ):
        problem(r, 403, "permission_required")

    # The hidden department and everything below it are invisible to members...
    assert set(await tree(carol)) == {"总部"}
    problem(await carol.get(f"/departments/{inner}/members"), 404, "department_not_found")
    # ...but not to those who edit the tree.
    assert set(await tree(admin)) == {"总部", "战略部", "并购组"}
    assert (await tree(admin))["战略部"]["hidden"] is True
    r = await admin.patch(f"/departments/{secret}", json={"hidden": False})
    assert r.status_code == 200
    assert set(await tree(carol)) == {"总部", "战略部", "并购组"}


async def test_memberships_titles_primary_and_manager(server: Server) -> None:
    admin = await setup_admin(server)
    dan, eve = await create_user(admin, "dan"), await create_user(admin, "eve")
    hq = await add_department(admin, "总部")
    rd = await add_department(admin, "研发部", hq)
    body = {
        "departments": [
            {"department_id": hq, "title": "顾问"},
            {"department_id": rd, "title": "架构师", "primary": True},
        ],
        "manager_id": eve.user_id,
    }
    r = await admin.put(f"/users/{dan.user_id}/org", json=body)
    assert r.status_code == 200, r.text
    org = r.json()
    assert [(m["title"], m["primary"], m["path"]) for m in org["departments"]] == [
        ("架构师", True, ["总部", "研发部"]),
        ("顾问", False, ["总部"]),
    ]
    assert org["manager"]["id"] == eve.user_id

    url = f"/users/{eve.user_id}/org"
    problem(
        await admin.put(url, json={"departments": [], "manager_id": dan.user_id}),
        409,
        "manager_cycle",
    )
    problem(
        await admin.put(url, json={"departments": [], "manager_id": eve.user_id}),
        422,
        "manager_cycle",
    )
    two = [{"department_id": hq, "primary": True}, {"department_id": rd, "primary": True}]
    problem(await admin.put(url, json={"departments": two}), 422, "multiple_primary")
    twice = [{"department_id": hq}, {"department_id": hq}]
    problem(await admin.put(url, json={"departments": twice}), 422, "duplicate_department")
