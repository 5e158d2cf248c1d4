"""Account administration: creating with e-mail and role, disabling, resetting passwords,
and the first login of a user whose password an administrator chose."""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD, Api, Server, create_user, login, problem, setup_admin
from tests.realtime.support import CLOSE_AUTH, closed, connect

NEW_PASSWORD = "my-own-secret-9"


async def _created(admin: Api, username: str, **extra: object) -> dict[str, object]:
    body = {"username": username, "password": PASSWORD, "display_name": username.title()}
    r = await admin.post("/users", json={**body, **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_admin_sets_email_and_role_at_creation(server: Server) -> None:
    admin = await setup_admin(server)
    made = await _created(admin, "carol", email="Carol@Example.com", role="admin")
    assert (made["email"], made["role"], made["must_change_password"]) == (
        "carol@example.com",
        "admin",
        True,
    )
    carol = await login(server, "carol@example.com")
    assert carol.user["role"] == "admin" and carol.user["must_change_password"] is True
    # The admin's own account never had an admin-set password.
    assert (await admin.get("/users/me")).json()["must_change_password"] is False
    # Opting out (provisioning scripts that hand out passwords another way).
    await _created(admin, "dave", must_change_password=False)
    dave = await login(server, "dave")
    assert dave.user["must_change_password"] is False
    assert (await dave.get("/conversations")).status_code == 200


async def test_admin_set_password_must_be_changed_before_anything_else(server: Server) -> None:
    admin = await setup_admin(server)
    await _created(admin, "bob")
    bob = await login(server, "bob")
    assert bob.user["must_change_password"] is True

    # Only reading the own account, changing the password and signing out are served.
    me = await bob.get("/users/me")
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    for method, path in (
        ("GET", "/conversations"),
        ("GET", "/users"),
        ("GET", f"/users/{admin.user_id}"),
        ("GET", "/auth/sessions"),
        ("PATCH", "/users/me"),
    ):
        r = await bob.request(method, path, json={} if method == "PATCH" else None)
        problem(r, 403, "password_change_required")
    ws = await connect(server, None)
    await ws.send({"type": "auth", "token": bob.token})
    assert (await ws.expect("error"))["code"] == "password_change_required"
    assert await closed(ws) == CLOSE_AUTH

    same = {"current_password": PASSWORD, "new_password": PASSWORD}
    problem(await bob.post("/auth/password", json=same), 422, "password_unchanged")
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert (await bob.post("/auth/password", json=change)).status_code == 204
    # The same session now works everywhere, and the flag is gone for good.
    assert (await bob.get("/users/me")).json()["must_change_password"] is False
    assert (await bob.get("/conversations")).status_code == 200
    again = await login(server, "bob", NEW_PASSWORD)
    assert again.user["must_change_password"] is False


async def test_a_user_who_must_change_may_still_sign_out(server: Server) -> None:
    admin = await setup_admin(server)
    await _created(admin, "bob")
    bob = await login(server, "bob")
    assert (await bob.post("/auth/logout")).status_code == 204
    problem(await bob.get("/users/me"), 401, "invalid_token")


async def test_reset_password_ends_sessions_and_closes_sockets(server: Server) -> None:
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    phone = await login(server, "bob")
    ws = await bob.ws()

    r = await admin.post(f"/users/{bob.user_id}/password", json={"new_password": NEW_PASSWORD})
    assert r.status_code == 200 and r.json()["must_change_password"] is True
    frame = await ws.expect("session.revoked")
    assert frame["reason"] == "password_reset"
    assert await closed(ws) == CLOSE_AUTH
    for old in (bob, phone):
        problem(await old.get("/users/me"), 401, "invalid_token")
    wrong = await server.client().post("/auth/login", json={"login": "bob", "password": PASSWORD})
    problem(wrong, 401, "invalid_credentials")
    fresh = await login(server, "bob", NEW_PASSWORD)
    assert fresh.user["must_change_password"] is True
    problem(await fresh.get("/conversations"), 403, "password_change_required")

    # The admin may hand out a final password instead.
    body = {"new_password": "final-secret-7", "must_change_password": False}
    assert (await admin.post(f"/users/{bob.user_id}/password", json=body)).status_code == 200
    final = await login(server, "bob", "final-secret-7")
    assert (await final.get("/conversations")).status_code == 200


async def test_disable_and_enable_from_the_admin(server: Server) -> None:
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    ws = await bob.ws()
    r = await admin.post(f"/users/{bob.user_id}/disable")
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert (await ws.expect("session.revoked"))["reason"] == "account_disabled"
    assert await closed(ws) == CLOSE_AUTH
    r = await admin.post(f"/users/{bob.user_id}/enable")
    assert r.status_code == 200 and r.json()["is_active"] is True
    await login(server, "bob")


@pytest.mark.parametrize("action", ["disable", "enable", "password"])
async def test_admin_actions_refuse_members_and_unknown_users(server: Server, action: str) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    body = {"new_password": NEW_PASSWORD} if action == "password" else None
    path = f"/users/{bob.user_id}/{action}"
    problem(await alice.post(path, json=body), 403, "permission_required")
    # Members learn nothing about ids: unknown ones are refused the same way.
    unknown = "/users/00000000-0000-7000-8000-000000000000/" + action
    problem(await alice.post(unknown, json=body), 403, "permission_required")
    problem(await admin.post(unknown, json=body), 404, "user_not_found")
    # Bob was left as he was.
    assert (await bob.get("/conversations")).status_code == 200


async def test_reset_password_checks_its_input(server: Server) -> None:
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    weak = await admin.post(f"/users/{bob.user_id}/password", json={"new_password": "1234"})
    problem(weak, 422, "weak_password")
    own = await admin.post(f"/users/{admin.user_id}/password", json={"new_password": NEW_PASSWORD})
    problem(own, 409, "cannot_reset_self")
    # Nothing changed for Bob.
    assert (await bob.get("/users/me")).status_code == 200
