"""PARLEY_ADMIN_ALLOWED_NETWORKS: administrators may act as such only from the listed
address ranges; from elsewhere their account works as a member's."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from parley.config import Settings
from tests.helpers import PASSWORD, Server, problem, setup_admin
from tests.users.logins import client_from

OFFICE = "127.0.0.2"  # the test's "office": a loopback address of its own


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"admin_allowed_networks": [f"{OFFICE}/32", "10.20.0.0/16"]}


async def test_admin_routes_only_from_listed_networks(server: Server) -> None:
    admin = await setup_admin(server)  # from 127.0.0.1, outside the list
    body: dict[str, object] = {"username": "carol", "password": PASSWORD, "display_name": "Carol"}
    body["must_change_password"] = False
    problem(await admin.post("/users", json=body), 403, "admin_network_refused")
    problem(await admin.get("/security/alerts"), 403, "admin_network_refused")
    # Everything a member may do still works from there.
    assert (await admin.get("/conversations")).status_code == 200
    assert (await admin.get("/users/me")).json()["role"] == "owner"

    auth = {"Authorization": f"Bearer {admin.token}"}
    async with client_from(server, OFFICE) as office:
        made = await office.post("/users", json=body, headers=auth)
        assert made.status_code == 201, made.text
        assert (await office.get("/security/alerts", headers=auth)).status_code == 200
        # The office network makes no one an administrator.
        carol = await office.post("/auth/login", json={"login": "carol", "password": PASSWORD})
        carol_auth = {"Authorization": f"Bearer {carol.json()['token']}"}
        r = await office.get("/security/alerts", headers=carol_auth)
        problem(r, 403, "permission_required")


def test_a_malformed_range_stops_the_start() -> None:
    with pytest.raises(ValidationError, match=r"10\.0\.0\.0/33"):
        Settings(admin_allowed_networks=["10.0.0.0/33"])
