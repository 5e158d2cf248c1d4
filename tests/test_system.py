"""System endpoints: health and the rules clients need."""

from __future__ import annotations

from parley import __version__
from tests.helpers import Server, create_user, setup_admin


async def test_health_tells_anonymous_callers_ok_and_admins_the_details(server: Server) -> None:
    anonymous = await server.client().get("/health")
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "ok"}
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    ws = await alice.ws()
    assert (await alice.get("/health")).json() == {"status": "ok"}  # a plain member
    forged = server.client("not-a-token")
    assert (await forged.get("/health")).json() == {"status": "ok"}  # never a 401
    details = (await admin.get("/health")).json()
    assert details == {
        "status": "ok",
        "version": __version__,
        "node": server.app.state.runtime.settings.node_id,
        "connections": 1,
    }
    await ws.close()


async def test_limits_tell_clients_the_rules(server: Server) -> None:
    admin = await setup_admin(server)
    limits = (await admin.get("/limits")).json()
    assert limits["recall_window_seconds"] == 120 and limits["edit_window_seconds"] == 86_400
    assert limits["all_mention_role"] == "admin"
    assert (await server.client().get("/limits")).status_code == 401
