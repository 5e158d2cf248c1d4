"""Department groups: membership follows the tree, live, as manual changes would."""

from __future__ import annotations

from tests.departments.helpers import add_department, place
from tests.helpers import Api, Server, create_user, problem, setup_admin


async def _member_ids(api: Api, conversation_id: str) -> set[str]:
    r = await api.get(f"/conversations/{conversation_id}/members")
    assert r.status_code == 200, r.text
    return {m["user_id"] for m in r.json()["items"]}


async def test_moving_a_person_moves_them_between_department_groups(server: Server) -> None:
    admin = await setup_admin(server)
    amy, ben = await create_user(admin, "amy"), await create_user(admin, "ben")
    hq = await add_department(admin, "总部")
    rd = await add_department(admin, "研发部", hq)
    web = await add_department(admin, "前端组", rd)
    sales = await add_department(admin, "销售部", hq)
    await place(admin, amy, web)
    await place(admin, ben, rd)

    r = await admin.post(f"/departments/{rd}/groups", json={"include_subtree": True})
    assert r.status_code == 201, r.text
    rd_group = r.json()["conversation_id"]
    r = await admin.post(f"/departments/{sales}/groups", json={"name": "销售群"})
    sales_group = r.json()["conversation_id"]
    assert await _member_ids(admin, rd_group) == {admin.user_id, amy.user_id, ben.user_id}
    assert await _member_ids(admin, sales_group) == {admin.user_id}

    # Amy moves to sales: she leaves the R&D group and joins the sales group, live.
    ws = await amy.ws()
    await place(admin, amy, sales)
    await ws.expect("conversation.removed", conversation_id=rd_group)
    added = await ws.expect("conversation.added")
    assert added["conversation"]["id"] == sales_group
    await ws.close()
    assert await _member_ids(admin, rd_group) == {admin.user_id, ben.user_id}
    assert await _member_ids(admin, sales_group) == {admin.user_id, amy.user_id}
    problem(await amy.get(f"/conversations/{rd_group}/messages"), 404, "conversation_not_found")
    # The move is in the group's log, like a manual one.
    events = [
        m["system"]["event"]
        for m in (await ben.get(f"/conversations/{rd_group}/messages")).json()["items"]
    ]
    assert events == ["group_created", "members_removed"]

    # Without sub-departments the group keeps only the department's own people.
    await place(admin, amy, web)
    assert amy.user_id in await _member_ids(admin, rd_group)
    r = await admin.patch(f"/department-groups/{rd_group}", json={"include_subtree": False})
    assert r.status_code == 200 and r.json()["include_subtree"] is False
    assert await _member_ids(admin, rd_group) == {admin.user_id, ben.user_id}
    # Moving the sub-department under 研发部's parent changes nothing now; back with subtree on.
    await admin.patch(f"/department-groups/{rd_group}", json={"include_subtree": True})
    r = await admin.patch(f"/departments/{web}", json={"parent_id": hq})
    assert r.status_code == 200
    assert await _member_ids(admin, rd_group) == {admin.user_id, ben.user_id}
    problem(
        await admin.patch(f"/department-groups/{ben.user_id}", json={"include_subtree": True}),
        404,
        "not_a_department_group",
    )
