"""Helpers for guest tests: invitation links and the accounts they make."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx

from parley.core.clock import utcnow
from tests.helpers import PASSWORD, Api


async def invite(admin: Api, **fields: Any) -> dict[str, Any]:
    """An invitation link valid for a day (unless `fields` say otherwise)."""
    body = {"expires_at": (utcnow() + timedelta(days=1)).isoformat(), **fields}
    r = await admin.post("/invitations", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def accept(admin: Api, token: str, username: str) -> httpx.Response:
    """Accept the link as an anonymous visitor would, coming back after a 503 `overloaded`
    as the web client does (parallel sign-ups may fill the password-hashing queue)."""
    body = {"username": username, "password": PASSWORD, "display_name": username.title()}
    for _ in range(30):
        r = await admin.server.client().post(f"/invite/{token}", json=body)
        if r.status_code != 503:
            break
        await asyncio.sleep(float(r.headers["retry-after"]))
    return r


async def guest_from(admin: Api, token: str, username: str) -> Api:
    r = await accept(admin, token, username)
    assert r.status_code == 201, r.text
    guest = admin.server.client(r.json()["token"])
    guest.user = r.json()["user"]
    return guest
