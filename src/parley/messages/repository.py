"""Every SQL statement that reads or writes message rows (and so message text)."""

from __future__ import annotations

import functools
import operator
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from parley.db.bulk import insert_values
from parley.db.keys import any_key, key_params, padded
from parley.messages.models import Favorite, Message, MessageMention, NewText, Pin, Reaction


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


@functools.cache
def _by_client_ids(n: int) -> Select[tuple[Message]]:
    key = (Message.conversation_id, Message.sender_id, Message.client_msg_id)
    return select(Message).where(any_key(key, n))


async def by_client_ids(
    session: AsyncSession, keys: Collection[tuple[uuid.UUID, uuid.UUID, str]]
) -> list[Message]:
    """`by_client_id` for a batch of (conversation, sender, client_msg_id)."""
    if not keys:
        return []
    filled = padded(list(keys))
    stmt = _by_client_ids(len(filled))
    return list(await session.scalars(stmt, key_params(filled)))


_INSERT_HEAD = f"INSERT INTO messages ({', '.join(c.name for c in Message.__table__.columns)})"


async def insert_many(session: AsyncSession, messages: Sequence[NewText]) -> None:
    """Store new text messages, built in full by the batched send path: on SQLite one
    multi-row statement (db/bulk.py), elsewhere one executemany of a Core INSERT."""
    columns = Message.__table__.columns
    if session.get_bind().dialect.name == "sqlite":
        rows = [tuple(getattr(m, c.key) for c in columns) for m in messages]
        await insert_values(session, _INSERT_HEAD, [c.type for c in columns], rows)
        return
    await session.execute(
        insert(Message.__table__), [{c.key: getattr(m, c.key) for c in columns} for m in messages]
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
    filled = padded(list(cursors))
    params = {**key_params(filled), "reader": reader_id}
    rows = await session.execute(_unread(len(filled)), params)
    return {cid: int(n) for cid, n in rows.all()}


@functools.cache
def _unread(n: int) -> Select[tuple[uuid.UUID, int]]:
    """Built once per shape (db/keys.py): a conversation list asks this on every page."""
    return (
        select(Message.conversation_id, func.count())
        .where(
            any_key((Message.conversation_id, Message.seq), n, (operator.eq, operator.gt)),
            or_(
                Message.kind.in_(("text", "forward")),
                and_(  # a missed call (calls/): the callee should see it
                    Message.kind == "system",
                    Message.payload["event"].as_string() == "call",
                    Message.payload["outcome"].as_string() == "missed",
                ),
            ),
            Message.sender_id != bindparam("reader"),
        )
        .group_by(Message.conversation_id)
    )


async def get_any(session: AsyncSession, message_id: uuid.UUID) -> Message | None:
    return await session.get(Message, message_id)


async def edits_of(session: AsyncSession, message_id: uuid.UUID) -> list[Message]:
    stmt = (
        select(Message)
        .where(Message.target_id == message_id, Message.kind == "edit")
        .order_by(Message.seq)
    )
    return list(await session.scalars(stmt))


async def erase(session: AsyncSession, message: Message) -> None:
    """Recall: wipe the content of a message and of every earlier version of it."""
    message.text = ""
    message.payload = None
    message.mentions = []
    await session.execute(
        update(Message)
        .where(Message.target_id == message.id, Message.kind == "edit")
        .values(text="")
        .execution_options(synchronize_session=False)
    )
    for table in (Reaction, Pin, Favorite, MessageMention):
        await session.execute(
            delete(table)
            .where(table.message_id == message.id)
            .execution_options(synchronize_session=False)
        )
    await session.flush()


def _insert(session: AsyncSession, table: type) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


async def add_row(session: AsyncSession, table: type, **values: Any) -> bool:
    """Insert a row unless it exists; True if it was inserted."""
    result = await session.execute(_insert(session, table).values(**values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def remove_row(session: AsyncSession, table: type, **keys: Any) -> bool:
    """Delete the row with these keys; True if there was one."""
    stmt = delete(table).execution_options(synchronize_session=False)
    for name, value in keys.items():
        stmt = stmt.where(getattr(table, name) == value)
    result = await session.execute(stmt)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def reactions_of(
    session: AsyncSession, message_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[str, uuid.UUID]]]:
    if not message_ids:
        return {}
    rows = await session.execute(
        select(Reaction.message_id, Reaction.emoji, Reaction.user_id)
        .where(Reaction.message_id.in_(set(message_ids)))
        .order_by(Reaction.created_at, Reaction.user_id)
    )
    out: dict[uuid.UUID, list[tuple[str, uuid.UUID]]] = {}
    for message_id, emoji, user_id in rows.all():
        out.setdefault(message_id, []).append((emoji, user_id))
    return out


async def distinct_emoji_count(session: AsyncSession, message_id: uuid.UUID) -> int:
    stmt = select(func.count(func.distinct(Reaction.emoji))).where(
        Reaction.message_id == message_id
    )
    return int(await session.scalar(stmt) or 0)


async def pins_of(session: AsyncSession, conversation_id: uuid.UUID) -> list[tuple[Pin, Message]]:
    rows = await session.execute(
        select(Pin, Message)
        .join(Message, Message.id == Pin.message_id)
        .where(Pin.conversation_id == conversation_id)
        .order_by(Pin.pinned_at.desc())
    )
    return [(p, m) for p, m in rows.all()]


async def pin_count(session: AsyncSession, conversation_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(Pin).where(Pin.conversation_id == conversation_id)
    return int(await session.scalar(stmt) or 0)


async def favorites_of(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[Favorite, Message]]:
    stmt = (
        select(Favorite, Message)
        .join(Message, Message.id == Favorite.message_id)
        .where(Favorite.user_id == user_id)
        .order_by(Favorite.created_at.desc(), Favorite.message_id.desc())
        .limit(limit)
    )
    if before is not None:
        at, mid = before
        stmt = stmt.where(
            (Favorite.created_at < at) | ((Favorite.created_at == at) & (Favorite.message_id < mid))
        )
    return [(f, m) for f, m in (await session.execute(stmt)).all()]


async def add_mentions(
    session: AsyncSession, message: Message, user_ids: Sequence[uuid.UUID]
) -> None:
    if user_ids:
        session.add_all(
            MessageMention(
                message_id=message.id, user_id=u, conversation_id=message.conversation_id
            )
            for u in user_ids
        )
        await session.flush()


async def mentioning(
    session: AsyncSession, user_id: uuid.UUID, *, before: uuid.UUID | None, limit: int
) -> list[Message]:
    """Messages that name the user, newest first (ids are time-ordered UUIDv7)."""
    stmt = (
        select(Message)
        .join(MessageMention, MessageMention.message_id == Message.id)
        .where(MessageMention.user_id == user_id)
        .order_by(Message.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(Message.id < before)
    return list(await session.scalars(stmt))


async def mentioning_all(
    session: AsyncSession,
    conversation_ids: Sequence[uuid.UUID],
    reader_id: uuid.UUID,
    *,
    before: uuid.UUID | None,
    limit: int,
) -> list[Message]:
    if not conversation_ids:
        return []
    stmt = (
        select(Message)
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.mention_all,
            Message.sender_id != reader_id,
        )
        .order_by(Message.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(Message.id < before)
    return list(await session.scalars(stmt))
