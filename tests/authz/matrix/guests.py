"""Invitation links for guests: managing them, and the public preview and acceptance."""

from __future__ import annotations

import itertools
from datetime import timedelta

from parley.access.permissions import Permission
from parley.core.clock import utcnow
from tests.authz.table import permission, public, route
from tests.authz.world import Call, Req
from tests.helpers import PASSWORD

_n = itertools.count()


async def new_invitation(call: Call) -> Req:
    return Req(json={"expires_at": (utcnow() + timedelta(days=1)).isoformat()})


async def invitation_to_revoke(call: Call) -> Req:
    return Req(params={"invitation_id": (await call.world.fresh_invitation())[0]})


async def acceptance(call: Call) -> Req:
    n = next(_n)
    return Req(json={"username": f"guest{n}", "password": PASSWORD, "display_name": f"Guest {n}"})


USERS = {"perm": Permission.MANAGE_USERS}

SPECS = [
    route("POST", "/invitations", permission(201), build=new_invitation, **USERS),
    route("GET", "/invitations", permission(), **USERS),
    route(
        "POST",
        "/invitations/{invitation_id}/revoke",
        permission(),
        build=invitation_to_revoke,
        **USERS,
    ),
    # The link is the credential: anyone holding it sees where it leads and signs up.
    route("GET", "/invite/{token}", public()),
    route("POST", "/invite/{token}", public(201), build=acceptance),
]
