"""Join approval: in a group with `join_approval`, a plain member's invitation waits for
a group admin. Admins see the pending requests, live (`group.join_requests` frames to
their sockets), and approve (the invitee joins) or reject them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.conversations.models import Conversation
from parley.core.errors import NotFound
from parley.groups import admission
from parley.groups.models import JoinRequest
from parley.groups.permissions import access_group
from parley.groups.schemas import JoinRequestRead
from parley.users import service as users


async def open_requests(
    session: AsyncSession,
    conversation: Conversation,
    inviter: uuid.UUID,
    user_ids: Sequence[uuid.UUID],
) -> list[uuid.UUID]:
    """Ask the admins to let `user_ids` (not members) in; returns who is now pending."""
    waiting = {r.user_id for r in await admission.pending(session, conversation.id)}
    new = [u for u in user_ids if u not in waiting]
    session.add_all(
        JoinRequest(conversation_id=conversation.id, user_id=u, invited_by=inviter) for u in new
    )
    await session.flush()
    if new:
        await admission.announce_requests(session, conversation.id)
    return list(user_ids)


async def listing(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID
) -> list[JoinRequestRead]:
    conversation, member = await access_group(session, me, conversation_id)
    conversations.require_role(member, "admin", "see join requests")
    return [
        JoinRequestRead.model_validate(r) for r in await admission.pending(session, conversation.id)
    ]


async def decide(
    session: AsyncSession,
    me: uuid.UUID,
    conversation_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    approve: bool,
) -> None:
    conversation, member = await access_group(session, me, conversation_id)
    conversations.require_role(member, "admin", "decide join requests")
    request = await session.get(JoinRequest, (conversation.id, user_id))
    if request is None:
        raise NotFound("No such join request.", code="join_request_not_found")
    if approve:
        await users.require_active_users(session, [user_id])
        # admit() settles the request and tells the admins.
        await admission.admit(session, conversation, me, [user_id], invited_by=request.invited_by)
        return
    await session.delete(request)
    await session.flush()
    await admission.announce_requests(session, conversation.id)
