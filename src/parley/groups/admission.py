"""Letting people into a group: the member limit, where their history starts, and the
log entry that announces them. Used by direct adds and by approved join requests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.conversations.models import Conversation, Member
from parley.core.errors import Conflict
from parley.db.session import publish_on_commit
from parley.groups import frames
from parley.groups.models import JoinRequest
from parley.messages import service as log

FROM_START = 1  # the joined_seq of those who read the whole log


def new_members(
    conversation: Conversation,
    user_ids: Sequence[uuid.UUID],
    owner: uuid.UUID | None,
    *,
    joined_seq: int,
) -> list[Member]:
    return [
        Member(
            conversation_id=conversation.id,
            user_id=u,
            joined_seq=joined_seq,
            role="owner" if u == owner and conversation.type == "group" else "member",
        )
        for u in user_ids
    ]


async def check_room(session: AsyncSession, conversation: Conversation, adding: int) -> None:
    """409 `group_full` when `adding` more people would pass the group's limit."""
    limit = conversation.max_members
    if limit is None:
        return
    if await conversations.member_count(session, conversation.id) + adding > limit:
        raise Conflict(f"The group takes at most {limit} members.", code="group_full", limit=limit)


async def admit(
    session: AsyncSession,
    conversation: Conversation,
    actor: uuid.UUID,
    user_ids: list[uuid.UUID],
    **event: Any,
) -> None:
    """Add people who are not members yet. They read the log from their joining on, or
    from its start when the group's `history_visible` is on; pending requests for them
    are settled."""
    await check_room(session, conversation, len(user_ids))
    start = FROM_START if conversation.history_visible else None
    added = await log.append_system(
        session,
        conversation,
        actor,
        "members_added",
        user_ids=user_ids,
        **event,
        # Subscribed before the event reaches them, and readable from their first seq on.
        preceded_by=lambda seq: [frames.added(conversation, u, start or seq) for u in user_ids],
    )
    session.add_all(new_members(conversation, user_ids, None, joined_seq=start or added.seq))
    await session.flush()
    settled = await session.execute(
        delete(JoinRequest)
        .where(JoinRequest.conversation_id == conversation.id, JoinRequest.user_id.in_(user_ids))
        .execution_options(synchronize_session=False)
    )
    if settled.rowcount:  # type: ignore[attr-defined]
        await announce_requests(session, conversation.id)


async def pending(session: AsyncSession, conversation_id: uuid.UUID) -> list[JoinRequest]:
    rows = await session.scalars(
        select(JoinRequest)
        .where(JoinRequest.conversation_id == conversation_id)
        .order_by(JoinRequest.created_at, JoinRequest.user_id)
    )
    return list(rows)


async def announce_requests(session: AsyncSession, conversation_id: uuid.UUID) -> None:
    """Send the group's pending requests, as they are now, to its admins' sockets."""
    items = await pending(session, conversation_id)
    admins = await conversations.admin_ids(session, conversation_id)
    publish_on_commit(session, *(frames.join_requests(conversation_id, a, items) for a in admins))
