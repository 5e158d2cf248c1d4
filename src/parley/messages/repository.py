"""Every SQL statement that reads or writes message rows (and so message text)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parley.messages.models import Message


async def add(session: AsyncSession, message: Message) -> None:
    session.add(message)
    await session.flush()


async def by_client_id(
    session: AsyncSession, conversation_id: uuid.UUID, sender_id: uuid.UUID, client_msg_id: str
) -> Message | None:
    return await session.scalar(
        select(Message).where(
            Message.conversation_id == conversation_id,
            Message.sender_id == sender_id,
            Message.client_msg_id == client_msg_id,
        )
    )


async def get(
    session: AsyncSession, conversation_id: uuid.UUID, message_id: uuid.UUID
) -> Message | None:
    return await session.scalar(
        select(Message).where(Message.id == message_id, Message.conversation_id == conversation_id)
    )


async def by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Message]:
    if not ids:
        return []
    return list(await session.scalars(select(Message).where(Message.id.in_(set(ids)))))


async def page(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    *,
    min_seq: int,
    after: int | None,
    before: int | None,
    limit: int,
) -> list[Message]:
    """Up to `limit` entries in (after, before), never below `min_seq`; ascending.

    With only `before` (or neither), the newest entries of the range are returned."""
    stmt = select(Message).where(Message.conversation_id == conversation_id, Message.seq >= min_seq)
    if after is not None:
        stmt = stmt.where(Message.seq > after)
    if before is not None:
        stmt = stmt.where(Message.seq < before)
    if after is None:
        rows = list(await session.scalars(stmt.order_by(Message.seq.desc()).limit(limit)))
        rows.reverse()
        return rows
    return list(await session.scalars(stmt.order_by(Message.seq).limit(limit)))


async def unread_counts(
    session: AsyncSession, reader_id: uuid.UUID, cursors: Sequence[tuple[uuid.UUID, int]]
) -> dict[uuid.UUID, int]:
    """Unread messages per conversation: other people's messages after the read cursor."""
    if not cursors:
        return {}
    stmt = (
        select(Message.conversation_id, func.count())
        .where(
            or_(*(and_(Message.conversation_id == c, Message.seq > s) for c, s in cursors)),
            Message.kind == "text",
            Message.sender_id != reader_id,
        )
        .group_by(Message.conversation_id)
    )
    return {cid: int(n) for cid, n in (await session.execute(stmt)).all()}
