"""Every SQL statement of the files domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations.models import Member
from parley.core.clock import utcnow
from parley.core.text import like_pattern
from parley.files.models import Blob, File, MessageFile


async def add_blob(session: AsyncSession, sha256: str, size: int, mime: str) -> None:
    """Record stored content unless it is known already (concurrent uploads of the same
    bytes both succeed)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    await session.execute(
        dialect.insert(Blob)
        .values(sha256=sha256, size=size, mime=mime, created_at=utcnow())
        .on_conflict_do_nothing()
    )


async def add_file(session: AsyncSession, file: File) -> None:
    session.add(file)
    await session.flush()


async def get(session: AsyncSession, file_id: uuid.UUID) -> File | None:
    return await session.get(File, file_id)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, File]:
    if not ids:
        return {}
    return {f.id: f for f in await session.scalars(select(File).where(File.id.in_(set(ids))))}


async def unattached_twin(
    session: AsyncSession, uploader_id: uuid.UUID, sha256: str, name: str
) -> File | None:
    """The same upload not yet sent: a retry returns it instead of a second file."""
    return await session.scalar(
        select(File)
        .where(
            File.uploader_id == uploader_id,
            File.sha256 == sha256,
            File.name == name,
            File.attached_at.is_(None),
        )
        .limit(1)
    )


async def used_bytes(session: AsyncSession, uploader_id: uuid.UUID) -> int:
    stmt = select(func.coalesce(func.sum(File.size), 0)).where(File.uploader_id == uploader_id)
    return int(await session.scalar(stmt) or 0)


async def shares(session: AsyncSession, file_id: uuid.UUID) -> list[tuple[uuid.UUID, int]]:
    """(conversation, newest seq) of every live message carrying the file."""
    rows = await session.execute(
        select(MessageFile.conversation_id, func.max(MessageFile.seq))
        .where(MessageFile.file_id == file_id)
        .group_by(MessageFile.conversation_id)
    )
    return [(cid, int(seq)) for cid, seq in rows.all()]


async def attach(
    session: AsyncSession, files: Sequence[File], links: Sequence[MessageFile], at: datetime
) -> None:
    session.add_all(links)
    await session.execute(
        update(File)
        .where(File.id.in_([f.id for f in files]), File.attached_at.is_(None))
        .values(attached_at=at)
        .execution_options(synchronize_session=False)
    )
    for f in files:
        if f.attached_at is None:
            f.attached_at = at
    await session.flush()


async def detach(session: AsyncSession, message_id: uuid.UUID) -> None:
    await session.execute(
        delete(MessageFile)
        .where(MessageFile.message_id == message_id)
        .execution_options(synchronize_session=False)
    )


async def of_messages(
    session: AsyncSession, message_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, File]]:
    if not message_ids:
        return []
    rows = await session.execute(
        select(MessageFile.message_id, File)
        .join(File, File.id == MessageFile.file_id)
        .where(MessageFile.message_id.in_(set(message_ids)))
        .order_by(MessageFile.message_id, MessageFile.position)
    )
    return [(mid, f) for mid, f in rows.all()]


async def in_conversation(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    *,
    min_seq: int,
    before: tuple[int, int] | None,
    query: str | None,
    kind: str | None,
    limit: int,
) -> list[tuple[MessageFile, File]]:
    """Files shared in a conversation, newest first, from `min_seq` on."""
    stmt = (
        select(MessageFile, File)
        .join(File, File.id == MessageFile.file_id)
        .where(MessageFile.conversation_id == conversation_id, MessageFile.seq >= min_seq)
        .order_by(MessageFile.seq.desc(), MessageFile.position)
        .limit(limit)
    )
    if before is not None:
        seq, position = before
        stmt = stmt.where(
            or_(
                MessageFile.seq < seq,
                and_(MessageFile.seq == seq, MessageFile.position > position),
            )
        )
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(File.name).like(f"%{escaped}%", escape="\\"))
    if kind:
        stmt = stmt.where(File.kind == kind)
    return [(mf, f) for mf, f in (await session.execute(stmt)).all()]


async def named(
    session: AsyncSession,
    user_id: uuid.UUID,
    words: Sequence[str],
    *,
    conversation_id: uuid.UUID | None,
    sender_id: uuid.UUID | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
) -> list[tuple[MessageFile, File]]:
    """Shares of files whose name contains every word (case-insensitive), in messages
    `user_id` may read (member now, the message at or after their joining), newest first."""
    stmt = (
        select(MessageFile, File)
        .join(File, File.id == MessageFile.file_id)
        .join(
            Member,
            and_(Member.conversation_id == MessageFile.conversation_id, Member.user_id == user_id),
        )
        .where(MessageFile.seq >= Member.joined_seq)
        .where(*(func.lower(File.name).like(like_pattern(w.lower()), escape="\\") for w in words))
        .order_by(MessageFile.created_at.desc(), MessageFile.position)
        .limit(limit)
    )
    if conversation_id is not None:
        stmt = stmt.where(MessageFile.conversation_id == conversation_id)
    if sender_id is not None:
        stmt = stmt.where(MessageFile.sender_id == sender_id)
    if since is not None:
        stmt = stmt.where(MessageFile.created_at >= since)
    if until is not None:
        stmt = stmt.where(MessageFile.created_at < until)
    return [(mf, f) for mf, f in (await session.execute(stmt)).all()]
