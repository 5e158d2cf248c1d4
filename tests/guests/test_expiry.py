"""Account expiry: after it, sign-in, every token and every open socket stop working."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.users.models import User
from tests.helpers import PASSWORD, Server, create_user, problem, setup_admin
from tests.realtime.support import CLOSE_AUTH, closed


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"ws_heartbeat_seconds": 0.5}


async def test_an_expired_account_can_no_longer_sign_in_or_use_its_token(server: Server) -> None:
    admin = await setup_admin(server)
    later = (utcnow() + timedelta(days=7)).isoformat()
    guest = await create_user(admin, "temp", role="guest", expires_at=later)
    assert (await guest.get("/users/me")).json()["expires_at"].startswith(later[:19])
    socket = await guest.ws()

    r = await admin.put(f"/users/{guest.user_id}/expiry", json={"expires_at": utcnow().isoformat()})
    assert r.status_code == 200, r.text
    problem(await guest.get("/users/me"), 401, "invalid_token")
    await socket.expect("session.revoked")
    body = {"login": "temp", "password": PASSWORD}
    problem(await server.client().post("/auth/login", json=body), 401, "account_expired")
    # A wrong password says nothing about the account.
    body = {"login": "temp", "password": "wrong"}
    problem(await server.client().post("/auth/login", json=body), 401, "invalid_credentials")

    r = await admin.put(f"/users/{guest.user_id}/expiry", json={"expires_at": None})
    assert r.status_code == 200 and r.json()["expires_at"] is None
    assert (
        await server.client().post("/auth/login", json={"login": "temp", "password": PASSWORD})
    ).status_code == 200


async def test_the_token_check_itself_refuses_an_expired_account(server: Server) -> None:
    """Reached without the revocation the route does: every request checks the expiry."""
    admin = await setup_admin(server)
    guest = await create_user(admin, "temp", role="guest")
    async with write_scope(server.app.state.runtime.db, lambda *_: None) as session:
        past = utcnow() - timedelta(seconds=1)
        await session.execute(update(User).where(User.username == "temp").values(expires_at=past))
    problem(await guest.get("/users/me"), 401, "invalid_token")
    assert (await admin.get("/users/me")).status_code == 200


async def test_an_open_socket_closes_when_the_account_expires(server: Server) -> None:
    """No revocation, no request: the socket's own session check ends it at the expiry."""
    admin = await setup_admin(server)
    soon = utcnow() + timedelta(seconds=6)
    guest = await create_user(admin, "temp", role="guest", expires_at=soon.isoformat())
    ws = await guest.ws()
    assert await closed(ws, 20, answer_pings=True) == CLOSE_AUTH
    assert [f["code"] for f in ws.frames if f["type"] == "error"] == ["session_expired"]


async def test_only_those_who_manage_users_set_an_expiry(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    body = {"expires_at": utcnow().isoformat()}
    problem(await alice.put(f"/users/{bob.user_id}/expiry", json=body), 403, "permission_required")
    problem(await admin.put(f"/users/{admin.user_id}/expiry", json=body), 409, "cannot_expire_self")
    other_owner = await create_user(admin, "owner2", role="owner")
    r = await admin.put(f"/users/{other_owner.user_id}/expiry", json=body)
    problem(r, 409, "owner_cannot_expire")
    r = await admin.put(f"/users/{bob.user_id}/expiry", json={"expires_at": "not a time"})
    assert r.status_code == 422
    assert (await bob.get("/users/me")).status_code == 200
