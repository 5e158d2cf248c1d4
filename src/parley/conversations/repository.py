"""Every SQL statement about conversations and members."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations.models import Conversation, Member


async def get(session: AsyncSession, conversation_id: uuid.UUID) -> Conversation | None:
    return await session.get(Conversation, conversation_id)


async def membership(
    session: AsyncSession, conversation_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[Conversation, Member] | None:
    row = (
        await session.execute(
            select(Conversation, Member)
            .join(Member, Member.conversation_id == Conversation.id)
            .where(Conversation.id == conversation_id, Member.user_id == user_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def by_direct_key(session: AsyncSession, key: str) -> Conversation | None:
    return await session.scalar(select(Conversation).where(Conversation.direct_key == key))


async def members(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    *,
    after: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[Member]:
    stmt = select(Member).where(Member.conversation_id == conversation_id).order_by(Member.user_id)
    if after is not None:
        stmt = stmt.where(Member.user_id > after)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(await session.scalars(stmt))


async def members_by_ids(
    session: AsyncSession, conversation_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> list[Member]:
    if not user_ids:
        return []
    rows = await session.scalars(
        select(Member).where(
            Member.conversation_id == conversation_id, Member.user_id.in_(user_ids)
        )
    )
    return list(rows)


async def member_count(session: AsyncSession, conversation_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(Member).where(Member.conversation_id == conversation_id)
    return int(await session.scalar(stmt) or 0)


async def conversation_ids_of(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await session.scalars(select(Member.conversation_id).where(Member.user_id == user_id))
    )


async def joined_seqs(session: AsyncSession, user_id: uuid.UUID) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(Member.conversation_id, Member.joined_seq).where(Member.user_id == user_id)
    )
    return {cid: int(seq) for cid, seq in rows.all()}


async def memberships_of(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
    pinned: bool | None = None,
    include_archived: bool = True,
) -> list[tuple[Conversation, Member]]:
    """The user's conversations: pinned ones by pin time, the others by latest activity.

    `pinned` None lists both; an archived conversation is hidden until its log moves on."""
    stmt = (
        select(Conversation, Member)
        .join(Member, Member.conversation_id == Conversation.id)
        .where(Member.user_id == user_id)
        .limit(limit)
    )
    if pinned:
        stmt = stmt.where(Member.pinned_at.is_not(None)).order_by(Member.pinned_at.desc())
    else:
        stmt = stmt.order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())
        if pinned is False:
            stmt = stmt.where(Member.pinned_at.is_(None))
    if not include_archived:
        stmt = stmt.where(
            Member.hidden_at.is_(None) | (Conversation.last_activity_at > Member.hidden_at)
        )
    if before is not None:
        at, cid = before
        stmt = stmt.where(
            (Conversation.last_activity_at < at)
            | ((Conversation.last_activity_at == at) & (Conversation.id < cid))
        )
    return [(c, m) for c, m in (await session.execute(stmt)).all()]


async def allocate_seq(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    now: datetime | None,
    *,
    last_message_id: uuid.UUID | None = None,
    mention_all: bool = False,
) -> int:
    """The next seq of the log. The UPDATE row-locks the conversation until commit, so
    concurrent writers queue here and seqs stay gap-free and unique. `now` also marks the
    conversation active (content does; reactions and pins do not).

    The entry's id is chosen before it is stored, so the same statement also records it
    as the conversation's last message (and an @all at this seq): one UPDATE per send
    instead of two, on the hottest row of the log."""
    values: dict[str, object] = {"last_seq": Conversation.last_seq + 1}
    if now is not None:
        values["last_activity_at"] = now
    if last_message_id is not None:
        values["last_message_id"] = last_message_id
    if mention_all:
        values["all_mention_seq"] = Conversation.last_seq + 1
    seq = await session.scalar(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(**values)
        .returning(Conversation.last_seq)
        .execution_options(synchronize_session=False)
    )
    assert seq is not None
    return int(seq)


async def advance_read(
    session: AsyncSession, conversation_id: uuid.UUID, user_id: uuid.UUID, seq: int
) -> bool:
    """Move the read cursor forward (never back). True if it moved."""
    result = await session.execute(
        update(Member)
        .where(
            Member.conversation_id == conversation_id,
            Member.user_id == user_id,
            Member.last_read_seq < seq,
        )
        .values(last_read_seq=seq)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_mentioned(
    session: AsyncSession, conversation_id: uuid.UUID, user_ids: Sequence[uuid.UUID], seq: int
) -> None:
    if user_ids:
        await session.execute(
            update(Member)
            .where(Member.conversation_id == conversation_id, Member.user_id.in_(user_ids))
            .values(mention_seq=seq)
            .execution_options(synchronize_session=False)
        )


async def remove_members(
    session: AsyncSession, conversation_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> None:
    await session.execute(
        delete(Member)
        .where(Member.conversation_id == conversation_id, Member.user_id.in_(user_ids))
        .execution_options(synchronize_session=False)
    )
