"""Helpers for guest tests: invitation links and the accounts they make."""

from __future__ import annotations

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
    """Accept the link as an anonymous visitor would."""
    body = {"username": username, "password": PASSWORD, "display_name": username.title()}
    return await admin.server.client().post(f"/invite/{token}", json=body)


async def guest_from(admin: Api, token: str, username: str) -> Api:
    r = await accept(admin, token, username)
    assert r.status_code == 201, r.text
    guest = admin.server.client(r.json()["token"])
    guest.user = r.json()["user"]
    return guest
