"""System endpoints: health and the rules clients need."""

from __future__ import annotations

from tests.helpers import Server, setup_admin


async def test_health_reports_database_and_version(server: Server) -> None:
    body = (await server.client().get("/health")).json()
    assert body["status"] == "ok" and body["connections"] == 0


async def test_limits_tell_clients_the_rules(server: Server) -> None:
    admin = await setup_admin(server)
    limits = (await admin.get("/limits")).json()
    assert limits["recall_window_seconds"] == 120 and limits["edit_window_seconds"] == 86_400
    assert limits["all_mention_role"] == "admin"
    assert (await server.client().get("/limits")).status_code == 401
