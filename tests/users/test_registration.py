from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import PASSWORD, Server, problem, setup_admin


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"self_registration": True}


async def test_self_registration_when_enabled(server: Server) -> None:
    await setup_admin(server)
    api = server.client()
    body = {"username": "walkin", "password": PASSWORD, "display_name": "Walk In"}
    r = await api.post("/auth/register", json=body)
    assert r.status_code == 201
    assert r.json()["user"]["role"] == "member"
    me = await server.client(r.json()["token"]).get("/users/me")
    assert me.json()["username"] == "walkin"
    problem(await api.post("/auth/register", json=body), 409, "user_exists")
    r = await api.post("/auth/register", json={**body, "username": "other", "role": "admin"})
    problem(r, 422, "invalid_request")
