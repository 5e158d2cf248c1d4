from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.users.models import AuthSession
from tests.helpers import PASSWORD, Server, create_user, login, problem, setup_admin
from tests.users.logins import end_login_waits


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"login_slow_after": 2, "login_lock_after": 4, "login_lock_seconds": 600}


async def test_login_by_username_or_email_and_me(server: Server) -> None:
    admin = await setup_admin(server)
    r = await admin.post(
        "/users",
        json={
            "username": "Zhang.San",
            "password": PASSWORD,
            "display_name": "张三",
            "email": "zhang@example.com",
        },
    )
    assert r.status_code == 201
    by_name = await login(server, "zhang.san")
    by_mail = await login(server, "ZHANG@example.com")
    assert by_name.user_id == by_mail.user_id
    me = await by_mail.get("/users/me")
    assert me.json()["username"] == "zhang.san" and me.json()["display_name"] == "张三"
    assert by_name.token != by_mail.token


async def test_wrong_password_and_unknown_user_look_the_same(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "alice")
    api = server.client()
    wrong = await api.post("/auth/login", json={"login": "alice", "password": "nope-nope-nope"})
    ghost = await api.post("/auth/login", json={"login": "ghost", "password": "nope-nope-nope"})
    assert (
        problem(wrong, 401, "invalid_credentials")["detail"]
        == problem(ghost, 401, "invalid_credentials")["detail"]
    )


async def test_repeated_failures_throttle_then_lock(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "alice")
    api = server.client()
    bad = {"login": "alice", "password": "wrong-password"}
    for _ in range(2):
        problem(await api.post("/auth/login", json=bad), 401, "invalid_credentials")
    # Back-off: even the right password is refused until the wait is over.
    slowed = await api.post("/auth/login", json={"login": "alice", "password": PASSWORD})
    problem(slowed, 429, "login_throttled")
    assert int(slowed.headers["retry-after"]) >= 1
    # Let each wait pass, then fail twice more: this address is locked out of alice.
    for _ in range(2):
        await end_login_waits(server)
        problem(await api.post("/auth/login", json=bad), 401, "invalid_credentials")
    locked = await api.post("/auth/login", json={"login": "alice", "password": PASSWORD})
    problem(locked, 429, "login_throttled")
    assert int(locked.headers["retry-after"]) > 500
    await end_login_waits(server)
    ok = await api.post("/auth/login", json={"login": "alice", "password": PASSWORD})
    assert ok.status_code == 200
    # Success resets the counter.
    problem(await api.post("/auth/login", json=bad), 401, "invalid_credentials")


async def test_sessions_list_revoke_and_logout(server: Server) -> None:
    admin = await setup_admin(server)
    phone = await create_user(admin, "alice")
    laptop = await login(server, "alice")
    sessions = (await laptop.get("/auth/sessions")).json()
    assert len(sessions) == 2
    assert [s["current"] for s in sessions].count(True) == 1
    phone_session = next(s for s in sessions if not s["current"])
    r = await laptop.delete(f"/auth/sessions/{phone_session['id']}")
    assert r.status_code == 204
    problem(await phone.get("/users/me"), 401, "invalid_token")
    # Someone else's session id is not found, not revoked.
    bob = await create_user(admin, "bob")
    bob_sid = (await bob.get("/auth/sessions")).json()[0]["id"]
    problem(await laptop.delete(f"/auth/sessions/{bob_sid}"), 404, "session_not_found")
    assert (await bob.get("/users/me")).status_code == 200
    assert (await laptop.post("/auth/logout")).status_code == 204
    problem(await laptop.get("/users/me"), 401, "invalid_token")


async def test_change_password_revokes_other_sessions(server: Server) -> None:
    admin = await setup_admin(server)
    first = await create_user(admin, "alice")
    second = await login(server, "alice")
    r = await first.post(
        "/auth/password",
        json={"current_password": "not-it-at-all", "new_password": "brand-new-secret"},
    )
    problem(r, 403, "wrong_password")
    r = await first.post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": "brand-new-secret"}
    )
    assert r.status_code == 204
    assert (await first.get("/users/me")).status_code == 200
    problem(await second.get("/users/me"), 401, "invalid_token")
    await login(server, "alice", "brand-new-secret")
    r = await server.client().post("/auth/login", json={"login": "alice", "password": PASSWORD})
    problem(r, 401, "invalid_credentials")


async def test_expired_and_garbage_tokens_are_refused(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        await session.execute(
            update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    problem(await alice.get("/users/me"), 401, "invalid_token")
    problem(await server.client("x" * 500).get("/users/me"), 401, "unauthorized")
    problem(await server.client().get("/users/me"), 401, "unauthorized")
    r = await server.client().get("/users/me", headers={"Authorization": "Basic abc"})
    problem(r, 401, "unauthorized")


async def test_disabled_user_cannot_sign_in_until_enabled(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    problem(await alice.post(f"/users/{alice.user_id}/disable"), 403, "permission_required")
    r = await admin.post(f"/users/{alice.user_id}/disable")
    assert r.status_code == 200 and r.json()["is_active"] is False
    problem(await alice.get("/users/me"), 401, "invalid_token")
    r = await server.client().post("/auth/login", json={"login": "alice", "password": PASSWORD})
    problem(r, 401, "invalid_credentials")
    problem(await admin.post(f"/users/{admin.user_id}/disable"), 409, "cannot_disable_self")
    assert (await admin.post(f"/users/{alice.user_id}/enable")).json()["is_active"] is True
    await login(server, "alice")


async def test_cookie_auth_needs_csrf_header_for_writes(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "alice")
    import httpx

    async with httpx.AsyncClient(base_url=server.base_url + "/api/v1") as browser:
        r = await browser.post("/auth/login", json={"login": "alice", "password": PASSWORD})
        assert r.status_code == 200 and "parley_session" in browser.cookies
        assert (await browser.get("/users/me")).json()["username"] == "alice"
        problem(await browser.patch("/users/me", json={"title": "x"}), 403, "csrf")
        r = await browser.patch(
            "/users/me", json={"title": "工程师"}, headers={"X-Requested-With": "parley"}
        )
        assert r.status_code == 200 and r.json()["title"] == "工程师"


async def test_self_registration_is_off_by_default(server: Server) -> None:
    await setup_admin(server)
    r = await server.client().post(
        "/auth/register",
        json={"username": "walkin", "password": PASSWORD, "display_name": "Walk In"},
    )
    problem(r, 403, "registration_disabled")
