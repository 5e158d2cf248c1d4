"""System routes: health, presence, limits, the API description and its viewer."""

from __future__ import annotations

from tests.authz.builders import body
from tests.authz.table import public, route, signed_in
from tests.authz.world import Call, Req


async def peers(call: Call) -> Req:
    return Req(query={"user_ids": [call.world.id("peer"), call.world.id("member")]})


SPECS = [
    route("GET", "/health", public()),
    route("GET", "/presence", signed_in(), build=peers),
    route("GET", "/limits", signed_in()),
    route("GET", "/openapi.json", public()),
    route("GET", "/api/docs", public(), build=body()),
    route("GET", "/api/docs/init.js", public()),
]
