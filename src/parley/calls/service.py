"""Calls and the database: who may ring whom, and the record a call leaves in the
conversation. Never commits (the signalling handler owns the transaction)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission, require
from parley.calls.machine import Call
from parley.conversations import service as conversations
from parley.core.errors import Invalid
from parley.messages import service as log
from parley.users import service as users


async def access_callee(
    session: AsyncSession,
    me: uuid.UUID,
    conversation_id: uuid.UUID,
    permissions: frozenset[Permission],
) -> str:
    """The other person of a direct chat the caller is in, both of them active; a
    stranger or removed member gets 404 like everywhere else; a caller without
    start_calls 403 (they may still answer)."""
    require(permissions, Permission.START_CALLS)
    conversation, _ = await conversations.access_conversation(session, me, conversation_id)
    if conversation.type != "direct":
        raise Invalid("Calls are between the two people of a direct chat.", code="not_direct")
    members = await conversations.members(session, conversation.id)
    peers = [m.user_id for m in members if m.user_id != me]
    await users.require_active_users(session, [me, *peers])
    return str(peers[0])


async def record(session: AsyncSession, call: Call) -> None:
    """The call's entry in the conversation's log, written as the caller's system
    event: unread for the callee (a missed call counts), not for the caller."""
    caller = uuid.UUID(call.caller_id)
    conversation, _ = await conversations.access_conversation(
        session, caller, uuid.UUID(call.conversation_id)
    )
    await log.append_system(session, conversation, caller, "call", **_record_of(call))


def _record_of(call: Call) -> dict[str, Any]:
    return {
        "call_id": call.id,
        "media": call.media,
        "caller_id": call.caller_id,
        "callee_id": call.callee_id,
        "outcome": str(call.outcome),
        "started_at": call.started_at.isoformat(),
        "answered_at": call.answered_at.isoformat() if call.answered_at else None,
        "duration_seconds": call.duration_seconds,
    }
