"""The console's reporting queries. They read other domains' tables (never write them):
counts and lists across the whole organisation that no member-facing service needs.
Every change goes through the owning domain's service."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations.models import Conversation, Member
from parley.core.text import like_pattern
from parley.files.models import Blob
from parley.messages.models import Message
from parley.users.models import User

CONTENT_KINDS = ("text", "forward")


async def users_page(
    session: AsyncSession,
    *,
    query: str,
    role: str | None,
    active: bool | None,
    after: str | None,
    limit: int,
) -> list[User]:
    stmt = select(User).order_by(User.username).limit(limit)
    if query:
        pattern = like_pattern(query.lower())
        fields = [
            func.lower(User.display_name),
            User.username,
            User.email,
            User.phone,
            func.lower(User.employee_no),
            User.name_pinyin,
            User.name_initials,
        ]
        stmt = stmt.where(or_(*(f.like(pattern, escape="\\") for f in fields)))
    if role is not None:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    if after:
        stmt = stmt.where(User.username > after)
    return list(await session.scalars(stmt))


async def user_counts(session: AsyncSession) -> dict[tuple[bool, bool], int]:
    """(is_active, is guest) -> accounts."""
    guest = User.role == "guest"
    rows = await session.execute(
        select(User.is_active, guest, func.count()).group_by(User.is_active, guest)
    )
    return {(bool(a), bool(g)): n for a, g, n in rows.all()}


async def active_user_ids(session: AsyncSession) -> list[uuid.UUID]:
    return list(await session.scalars(select(User.id).where(User.is_active)))


def _day(session: AsyncSession, column: ColumnElement[datetime]) -> ColumnElement[str]:
    """`YYYY-MM-DD` (UTC) of a stored time, on either backend."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(column, 1, 10)  # SQLite stores UTC times as ISO text


async def messages_per_day(session: AsyncSession, since: datetime) -> dict[str, int]:
    day = _day(session, Message.created_at)
    rows = await session.execute(
        select(day, func.count())
        .where(Message.created_at >= since, Message.kind.in_(CONTENT_KINDS))
        .group_by(day)
    )
    return {str(d): n for d, n in rows.all()}


async def storage(session: AsyncSession) -> tuple[int, int]:
    """(bytes, files) of the stored blobs: identical uploads are kept once."""
    row = (await session.execute(select(func.coalesce(func.sum(Blob.size), 0), func.count()))).one()
    return int(row[0]), int(row[1])


async def groups_page(
    session: AsyncSession,
    *,
    query: str,
    archived: bool | None,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Conversation]:
    stmt = (
        select(Conversation)
        .where(Conversation.type == "group")
        .order_by(Conversation.created_at.desc(), Conversation.id.desc())
        .limit(limit)
    )
    if query:
        stmt = stmt.where(func.lower(Conversation.name).like(like_pattern(query.lower()), "\\"))
    if archived is not None:
        stmt = stmt.where(
            Conversation.archived_at.is_not(None)
            if archived
            else Conversation.archived_at.is_(None)
        )
    if before is not None:
        at, last_id = before
        stmt = stmt.where(
            or_(
                Conversation.created_at < at,
                (Conversation.created_at == at) & (Conversation.id < last_id),
            )
        )
    return list(await session.scalars(stmt))


async def member_counts(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(Member.conversation_id, func.count())
        .where(Member.conversation_id.in_(ids))
        .group_by(Member.conversation_id)
    )
    return {c: n for c, n in rows.all()}


async def owners(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[uuid.UUID, str]]:
    rows = await session.execute(
        select(Member.conversation_id, User.id, User.display_name)
        .join(User, User.id == Member.user_id)
        .where(Member.conversation_id.in_(ids), Member.role == "owner")
    )
    return {c: (u, name) for c, u, name in rows.all()}
