"""Permalinks: a stable link to a message that opens it in context for anyone allowed."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.messages import repository as repo
from parley.messages.render import render
from parley.messages.schemas import MessageInContext
from parley.messages.service import access_message


async def locate(
    session: AsyncSession, reader_id: uuid.UUID, message_id: uuid.UUID, around: int
) -> MessageInContext:
    """The message and up to `around` entries on each side of it."""
    conversation, member, message = await access_message(session, reader_id, message_id)
    rows = await repo.page(
        session,
        conversation.id,
        min_seq=member.joined_seq,
        after=message.seq - around - 1,
        before=message.seq + around + 1,
        limit=2 * around + 1,
    )
    rendered = await render(session, rows, member.joined_seq)
    return MessageInContext(
        conversation_id=conversation.id,
        message=next(r for r in rendered if r.id == message.id),
        context=rendered,
        link=f"/c/{conversation.id}/m/{message.id}",
    )
