from __future__ import annotations

import asyncio

from tests.helpers import PASSWORD, Server, problem, setup_admin


async def test_setup_creates_org_and_admin_once(server: Server) -> None:
    api = server.client()
    assert (await api.get("/setup")).json() == {"needs_setup": True, "organization_name": None}
    admin = await setup_admin(server)
    assert admin.user["role"] == "owner"  # the first account owns the organisation
    me = await admin.get("/users/me")
    assert me.json()["display_name"] == "管理员"
    assert (await api.get("/setup")).json() == {
        "needs_setup": False,
        "organization_name": "测试公司",
    }
    again = await api.post(
        "/setup",
        json={
            "organization_name": "Evil",
            "username": "mallory",
            "password": PASSWORD,
            "display_name": "M",
        },
    )
    problem(again, 409, "setup_done")


async def test_concurrent_setup_has_one_winner(server: Server) -> None:
    api = server.client()

    async def attempt(i: int) -> int:
        r = await api.post(
            "/setup",
            json={
                "organization_name": f"Org {i}",
                "username": f"admin{i}",
                "password": PASSWORD,
                "display_name": f"Admin {i}",
            },
        )
        return r.status_code

    codes = await asyncio.gather(*(attempt(i) for i in range(5)))
    assert sorted(codes) == [201, 409, 409, 409, 409]


async def test_setup_rejects_bad_input(server: Server) -> None:
    api = server.client()
    r = await api.post(
        "/setup",
        json={
            "organization_name": "X",
            "username": "a b",
            "password": PASSWORD,
            "display_name": "x",
        },
    )
    problem(r, 422, "invalid_request")
    r = await api.post(
        "/setup",
        json={
            "organization_name": "X",
            "username": "boss",
            "password": "1234",
            "display_name": "x",
        },
    )
    problem(r, 422, "weak_password")
    assert (await api.get("/setup")).json()["needs_setup"] is True
