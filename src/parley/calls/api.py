"""HTTP endpoints of calls (signalling itself runs on the socket)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from parley.calls.turn import ice_servers
from parley.core.clock import utcnow
from parley.runtime import RuntimeDep
from parley.users.deps import CurrentUser

router = APIRouter(prefix="/calls", tags=["calls"])


@router.get("/ice-servers")
async def get_ice_servers(me: CurrentUser, rt: RuntimeDep) -> dict[str, Any]:
    """STUN and TURN servers for a call, with TURN credentials valid for `ttl_seconds`:
    ask again before each call (or when they expire)."""
    return ice_servers(rt.settings, str(me.user_id), utcnow())
