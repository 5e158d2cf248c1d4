"""The password policy, wherever a password is set: minimum length, the shipped list of
common passwords, zxcvbn's strength estimate, history and expiry."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.users.models import User
from tests.helpers import PASSWORD, Api, Server, create_user, login, problem, setup_admin

STRONG = "violet-harbour-lantern-42"
WEAK = {"password": "too_short", "Password1": "too_short", "qwertyui": "too_short"}
# Long enough, yet refused: on the common list, or guessed quickly by zxcvbn.
GUESSABLE = {"qwertyuiop": "common", "1q2w3e4r5t": "common", "aaaaaaaaaaaa": "too_guessable"}


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    return getattr(request, "param", {})


def _weak(r: Any, reason: str) -> dict[str, Any]:
    body = problem(r, 422, "weak_password")
    assert body["reason"] == reason, body
    return body


@pytest.mark.parametrize("settings_overrides", [{"self_registration": True}], indirect=True)
@pytest.mark.parametrize("password, reason", [*WEAK.items(), *GUESSABLE.items()])
async def test_registration_refuses_weak_passwords(
    server: Server, password: str, reason: str
) -> None:
    body = {"username": "eve", "display_name": "Eve", "password": password}
    r = await server.client().post("/auth/register", json=body)
    found = _weak(r, reason)
    if reason == "too_short":
        assert found["min_length"] == 10
    ok = await server.client().post("/auth/register", json={**body, "password": STRONG})
    assert ok.status_code == 201, ok.text


async def test_a_password_made_of_the_users_own_name_is_refused(server: Server) -> None:
    admin = await setup_admin(server)
    body = {"username": "zhangwei2026", "display_name": "Zhang Wei", "password": "zhangwei2026!"}
    _weak(await admin.post("/users", json=body), "too_guessable")


async def test_every_way_of_setting_a_password_applies_the_policy(server: Server) -> None:
    admin = await setup_admin(server)
    body = {"username": "bob", "display_name": "Bob", "must_change_password": False}
    _weak(await admin.post("/users", json={**body, "password": "Password1"}), "too_short")
    assert (await admin.post("/users", json={**body, "password": PASSWORD})).status_code == 201
    bob = await login(server, "bob")
    change = {"current_password": PASSWORD, "new_password": "qwertyuiop"}
    _weak(await bob.post("/auth/password", json=change), "common")
    reset = f"/users/{bob.user_id}/password"
    _weak(await admin.post(reset, json={"new_password": "password"}), "too_short")
    # Nothing changed: bob still signs in with his password.
    await login(server, "bob")


@pytest.mark.parametrize("settings_overrides", [{"password_history": 3}], indirect=True)
async def test_history_refuses_the_last_passwords(server: Server) -> None:
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    passwords = [PASSWORD, "second-secret-horse", "third-secret-lamp"]
    for old, new in itertools.pairwise(passwords):
        await _change(bob, old, new)
    # The last three (the current one among them) are refused, by the user and the admin.
    for old in passwords[:2]:
        r = await bob.post(
            "/auth/password", json={"current_password": passwords[-1], "new_password": old}
        )
        assert problem(r, 422, "password_reused")["history"] == 3
    r = await admin.post(f"/users/{bob.user_id}/password", json={"new_password": passwords[0]})
    problem(r, 422, "password_reused")
    # A fourth new one pushes the first out of the history.
    await _change(bob, passwords[-1], "fourth-secret-door")
    await _change(bob, "fourth-secret-door", PASSWORD)


@pytest.mark.parametrize("settings_overrides", [{"password_history": 0}], indirect=True)
async def test_without_history_an_older_password_may_come_back(server: Server) -> None:
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    await _change(bob, PASSWORD, "second-secret-horse")
    await _change(bob, "second-secret-horse", PASSWORD)


@pytest.mark.parametrize("settings_overrides", [{"password_expiry_days": 90}], indirect=True)
async def test_an_expired_password_must_be_changed_at_login(server: Server) -> None:
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    assert (await bob.get("/conversations")).status_code == 200
    await _age_password(server, "bob", days=91)
    bob = await login(server, "bob")
    assert bob.user["must_change_password"] is True
    problem(await bob.get("/conversations"), 403, "password_change_required")
    await _change(bob, PASSWORD, "a-fresh-spring-password")
    again = await login(server, "bob", "a-fresh-spring-password")
    assert again.user["must_change_password"] is False
    assert (await again.get("/conversations")).status_code == 200


@pytest.mark.parametrize("settings_overrides", [{"password_expiry_days": 90}], indirect=True)
async def test_a_password_younger_than_the_expiry_is_kept(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "bob")
    await _age_password(server, "bob", days=89)
    assert (await login(server, "bob")).user["must_change_password"] is False


async def _change(api: Api, current: str, new: str) -> None:
    r = await api.post("/auth/password", json={"current_password": current, "new_password": new})
    assert r.status_code == 204, r.text


async def _age_password(server: Server, username: str, *, days: int) -> None:
    """As if the password had been set `days` ago."""
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        await session.execute(
            update(User)
            .where(User.username == username)
            .values(password_changed_at=utcnow() - timedelta(days=days))
        )


@pytest.mark.parametrize(
    "settings_overrides", [{"password_min_length": 12, "password_history": 5}], indirect=True
)
async def test_forms_can_read_the_policy_without_signing_in(server: Server) -> None:
    r = await server.client().get("/auth/password-policy")
    assert r.status_code == 200
    assert r.json() == {
        "min_length": 12,
        "max_length": 256,
        "min_score": 3,
        "history": 5,
        "expiry_days": 0,
    }
    body = {"organization_name": "Acme", "username": "boss", "display_name": "Boss"}
    short = await server.client().post("/setup", json={**body, "password": "violet-lamp"})
    assert _weak(short, "too_short")["min_length"] == 12
