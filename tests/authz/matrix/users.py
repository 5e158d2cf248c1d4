"""Accounts: sign-in, sessions, passwords, the directory and user administration."""

from __future__ import annotations

import itertools

from parley.access.permissions import Permission
from tests.authz.builders import body, fresh_user_id
from tests.authz.table import (
    BOTH,
    owned,
    permission,
    public,
    route,
    signed_in,
)
from tests.authz.world import Call, Req
from tests.helpers import PASSWORD, login

_n = itertools.count()
NEW_PASSWORD = "another-horse-battery"


async def own_login(call: Call) -> Req:
    """Each caller signs in with their own account; anonymous with a stranger's (peer)."""
    user = call.world.api("peer" if call.caller == "anonymous" else call.caller, call.perm)
    return Req(json={"login": user.user["username"], "password": PASSWORD})


async def registration(call: Call) -> Req:
    n = next(_n)
    return Req(json={"username": f"reg{n}", "password": PASSWORD, "display_name": f"Reg {n}"})


async def fresh_session(call: Call) -> Req:
    return Req(token=await call.fresh_session())


async def session_to_revoke(call: Call) -> Req:
    """Own: a second session of the caller. Other: a session of the peer."""
    w = call.world
    if call.own == "own" and call.caller not in ("anonymous", "disabled", "expired"):
        second = await login(w.server, call.api.user["username"])
        r = await second.get("/users/me")
        sessions = await second.get("/auth/sessions")
        assert r.status_code == 200 and sessions.status_code == 200, sessions.text
        sid = next(s["id"] for s in sessions.json() if s["current"])
    else:
        sessions = await w.apis["peer"].get("/auth/sessions")
        sid = sessions.json()[0]["id"]
    return Req(params={"session_id": sid})


async def change_password(call: Call) -> Req:
    return Req(json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})


async def restore_password(call: Call) -> None:
    """After the row: the caller's password back, so later rows can sign in again."""
    if call.caller in ("anonymous", "disabled", "expired"):
        return
    r = await call.api.post(
        "/auth/password", json={"current_password": NEW_PASSWORD, "new_password": PASSWORD}
    )
    assert r.status_code == 204, r.text


async def new_account(call: Call) -> Req:
    n = next(_n)
    return Req(
        json={
            "username": f"made{n}",
            "password": PASSWORD,
            "display_name": f"Made {n}",
            "must_change_password": False,
        }
    )


async def target_user(call: Call) -> Req:
    """A throwaway account to disable, enable or reset."""
    return Req(params={"user_id": await fresh_user_id(call)})


async def reset(call: Call) -> Req:
    return Req(params={"user_id": await fresh_user_id(call)}, json={"new_password": NEW_PASSWORD})


async def expiry(call: Call) -> Req:
    return Req(params={"user_id": await fresh_user_id(call)}, json={"expires_at": None})


ADMIN = {"perm": Permission.MANAGE_USERS}

SPECS = [
    # Credentials decide, not tokens: a disabled account cannot sign in.
    route("POST", "/auth/login", public(), build=own_login, overrides={"disabled": 401}),
    # Self-registration is off unless the administrator allows it.
    route("POST", "/auth/register", public(403), build=registration),
    route("POST", "/auth/logout", signed_in(204), build=fresh_session),
    route("GET", "/auth/sessions", signed_in()),
    route(
        "DELETE",
        "/auth/sessions/{session_id}",
        owned(signed_in(204), signed_in(404)),
        ownership=BOTH,
        build=session_to_revoke,
    ),
    route("POST", "/auth/password", signed_in(204), build=change_password, after=restore_password),
    # Without view_directory (guests) the list holds only the people the caller shares a
    # conversation with: 200, filtered.
    route("GET", "/users", signed_in(), perm=Permission.VIEW_DIRECTORY, build=body(None, q="a")),
    route("POST", "/users", permission(201), build=new_account, **ADMIN),
    route("GET", "/users/me", signed_in()),
    route("PATCH", "/users/me", signed_in(), build=body({"status_text": "matrix"})),
    route(
        "GET",
        "/users/{user_id}",
        signed_in(),
        ownership=BOTH,
        overrides={("guest", "other"): 404},
    ),
    route("POST", "/users/{user_id}/disable", permission(), build=target_user, **ADMIN),
    route("POST", "/users/{user_id}/enable", permission(), build=target_user, **ADMIN),
    route("POST", "/users/{user_id}/password", permission(), build=reset, **ADMIN),
    route("GET", "/security/alerts", permission(), **ADMIN),
    route("GET", "/auth/password-policy", public()),
    route("PUT", "/users/{user_id}/expiry", permission(), build=expiry, **ADMIN),
]
