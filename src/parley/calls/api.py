"""HTTP endpoints of calls (signalling itself runs on the socket)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from parley.calls import meeting_frames, service
from parley.calls.meetings import MeetingSignalling
from parley.calls.turn import ice_servers
from parley.core.app_state import app_state
from parley.core.clock import utcnow
from parley.runtime import ReadSession, RuntimeDep
from parley.users.deps import CurrentUser

router = APIRouter(prefix="/calls", tags=["calls"])
Meetings = Annotated[MeetingSignalling, Depends(app_state("meetings"))]


@router.get("/ice-servers")
async def get_ice_servers(me: CurrentUser, rt: RuntimeDep) -> dict[str, Any]:
    """STUN and TURN servers for a call, with TURN credentials valid for `ttl_seconds`:
    ask again before each call (or when they expire)."""
    return ice_servers(rt.settings, str(me.user_id), utcnow())


@router.get("/meetings/{conversation_id}")
async def get_meeting(
    conversation_id: uuid.UUID,
    me: CurrentUser,
    session: ReadSession,
    meetings: Meetings,
) -> dict[str, Any]:
    """The group call running in a conversation (`meeting`: null when none), for its
    members; `available`: whether group calls can be started at all (a media server is
    configured)."""
    await service.access_meeting(session, me.user_id, conversation_id)
    meeting = meetings.of_conversation(str(conversation_id))
    return {
        "available": meetings.available,
        "meeting": None if meeting is None else meeting_frames.about(meeting),
    }
