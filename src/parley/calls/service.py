"""Calls and the database: who may ring whom, and the record a call leaves in the
conversation. Never commits (the signalling handler owns the transaction)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission, require
from parley.calls.machine import Call
from parley.calls.meeting import Meeting
from parley.conversations import service as conversations
from parley.conversations.models import Conversation
from parley.core.errors import Invalid, NotFound
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


async def require_start_call(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID
) -> Conversation:
    """Who may start a group call (a meeting) in a conversation: an active member of a
    group. The one place this is decided: the roles issue adds its `start_calls`
    permission here."""
    conversation = await access_meeting(session, me, conversation_id)
    if conversation.type != "group":
        raise Invalid("Group calls are held in groups.", code="not_a_group")
    return conversation


async def access_meeting(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID
) -> Conversation:
    """A meeting of a conversation is for its members only (404 for anyone else), and
    active accounts."""
    conversation, _ = await conversations.access_conversation(session, me, conversation_id)
    await users.require_active_users(session, [me])
    return conversation


async def record_meeting(session: AsyncSession, meeting: Meeting) -> None:
    """The meeting's entry in the conversation, written as the host's system event (or,
    if the host has left the group meanwhile, as the first attendee's still in it)."""
    cid = uuid.UUID(meeting.conversation_id)
    for author in dict.fromkeys((meeting.host_id, *meeting.attended)):
        try:
            conversation, _ = await conversations.access_conversation(
                session, uuid.UUID(author), cid
            )
        except NotFound:
            continue
        await log.append_system(
            session,
            conversation,
            uuid.UUID(author),
            "call",
            call_id=meeting.id,
            kind="group",
            media=meeting.media,
            caller_id=(*meeting.attended, meeting.host_id)[0],  # who started it
            participant_ids=list(meeting.attended),
            outcome="completed",
            started_at=meeting.started_at.isoformat(),
            duration_seconds=meeting.duration_seconds,
        )
        return


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
