"""Every SQL statement about conversations and members."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Select, Update, Uuid, bindparam, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Bundle, aliased

from parley.conversations.models import Conversation, ConversationView, Member, MemberView
from parley.db.base import UTCDateTime
from parley.db.keys import any_key, key_params, padded
from parley.users.models import User

GUEST = "guest"  # the system role of external accounts (access/permissions.py)


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


async def user_ids_with_roles(
    session: AsyncSession, conversation_id: uuid.UUID, roles: Collection[str]
) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Member.user_id).where(
            Member.conversation_id == conversation_id, Member.role.in_(list(roles))
        )
    )
    return list(rows)


async def peers_among(
    session: AsyncSession, user_id: uuid.UUID, candidates: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `candidates` who are in at least one conversation with `user_id`."""
    if not candidates:
        return set()
    mine, theirs = aliased(Member), aliased(Member)
    rows = await session.scalars(
        select(theirs.user_id)
        .distinct()
        .join(mine, mine.conversation_id == theirs.conversation_id)
        .where(mine.user_id == user_id, theirs.user_id.in_(candidates))
    )
    return set(rows)


async def with_guests(
    session: AsyncSession, conversation_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of these conversations that have a guest (an external account) as a member."""
    if not conversation_ids:
        return set()
    rows = await session.scalars(
        select(Member.conversation_id)
        .distinct()
        .join(User, User.id == Member.user_id)
        .where(Member.conversation_id.in_(conversation_ids), User.role == GUEST)
    )
    return set(rows)


async def member_count(session: AsyncSession, conversation_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(Member).where(Member.conversation_id == conversation_id)
    return int(await session.scalar(stmt) or 0)


async def conversation_ids_of(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    """Run on the connection: every socket asks it when it opens and closes (through the
    ORM, building the statement each time, it was a third of a socket's start)."""
    connection = await session.connection()
    rows = await connection.execute(_conversation_ids(), {"user_id": user_id})
    return list(rows.scalars())


@functools.cache
def _conversation_ids() -> Select[tuple[uuid.UUID]]:
    """Built on first use, not at import: the foreign-key columns get their types then."""
    return select(Member.conversation_id).where(Member.user_id == bindparam("user_id"))


async def joined_seqs(session: AsyncSession, user_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Run on the connection, like `conversation_ids_of`: every socket asks it when it
    opens (the hub picks frames' forms by it)."""
    connection = await session.connection()
    rows = await connection.execute(_joined_seqs(), {"user_id": user_id})
    return {cid: int(seq) for cid, seq in rows.all()}


@functools.cache
def _joined_seqs() -> Select[tuple[uuid.UUID, int]]:
    return select(Member.conversation_id, Member.joined_seq).where(
        Member.user_id == bindparam("user_id")
    )


async def memberships_of(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
    pinned: bool | None = None,
    include_archived: bool = True,
    include_unannounced: bool = True,
) -> list[tuple[ConversationView, MemberView]]:
    """The user's conversations: pinned ones by pin time, the others by latest activity.

    `pinned` None lists both; an archived conversation is hidden until its log moves on,
    an unannounced one (`conversations.service.unannounced`) until its first message.
    Read-only rows of their columns, not ORM objects: every sync page and conversation
    list reads this, and loading ORM objects took about twice the CPU."""
    params: dict[str, object] = {"user_id": user_id, "limit": limit}
    if before is not None:
        params["before_at"], params["before_id"] = before
    stmt = _memberships(pinned, include_archived, before is not None, include_unannounced)
    return [(c, m) for c, m in (await session.execute(stmt, params)).all()]


_CONVERSATION_ROW = Bundle("conversation", *Conversation.__table__.c)
_MEMBER_ROW = Bundle("member", *Member.__table__.c)


@functools.cache
def _memberships(
    pinned: bool | None, include_archived: bool, paged: bool, include_unannounced: bool
) -> Select[Any]:
    """Built once per shape: every sync page and conversation list asks this."""
    user_id = bindparam("user_id", type_=Uuid)
    stmt = (
        select(_CONVERSATION_ROW, _MEMBER_ROW)
        .select_from(Conversation)
        .join(Member, Member.conversation_id == Conversation.id)
        .where(Member.user_id == user_id)
        .limit(bindparam("limit", type_=Integer))
    )
    if not include_unannounced:
        stmt = stmt.where(
            (Conversation.type != "direct")
            | (Conversation.last_seq > 0)
            | (Conversation.created_by == user_id)
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
    if paged:
        at, cid = bindparam("before_at", type_=UTCDateTime), bindparam("before_id", type_=Uuid)
        stmt = stmt.where(
            (Conversation.last_activity_at < at)
            | ((Conversation.last_activity_at == at) & (Conversation.id < cid))
        )
    return stmt


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


async def lock_in_order(session: AsyncSession, conversation_ids: Collection[uuid.UUID]) -> None:
    """Row-lock these conversations in id order (PostgreSQL; SQLite has one writer). A
    transaction that allocates seqs in several conversations takes their locks here first,
    so two such transactions on two nodes queue instead of deadlocking (which PostgreSQL
    breaks only after `deadlock_timeout`, a second)."""
    if session.get_bind().dialect.name != "postgresql" or not conversation_ids:
        return
    await session.execute(
        select(Conversation.id)
        .where(Conversation.id.in_(sorted(conversation_ids)))
        .order_by(Conversation.id)
        .with_for_update()
    )


@functools.cache
def _allocate_seq_ranges(n: int) -> Update:
    """`n` slots of (id, count, last entry id); see `allocate_seq_ranges`."""
    slot = range(n)
    return (
        update(Conversation)
        .where(Conversation.id.in_(bindparam("ids", expanding=True)))
        .values(
            last_seq=Conversation.last_seq
            + case(
                *(
                    (Conversation.id == bindparam(f"c{i}"), bindparam(f"n{i}", type_=Integer))
                    for i in slot
                )
            ),
            last_message_id=case(
                *(
                    (Conversation.id == bindparam(f"c{i}"), bindparam(f"m{i}", type_=Uuid))
                    for i in slot
                )
            ),
            last_activity_at=bindparam("now", type_=UTCDateTime),
        )
        .returning(Conversation.id, Conversation.last_seq)
        .execution_options(synchronize_session=False)
    )


async def allocate_seq_ranges(
    session: AsyncSession,
    entries: Mapping[uuid.UUID, tuple[int, uuid.UUID]],
    now: datetime,
) -> dict[uuid.UUID, int]:
    """`allocate_seq` for a batch of new content: conversation -> (how many entries, the
    id of the last). Returns each conversation's new last seq; its entries take the
    `count` seqs ending there. One UPDATE (row locks as in `allocate_seq`) for the batch."""
    slots = padded(list(entries.items()))
    params: dict[str, object] = {"ids": list(entries), "now": now}
    for i, (cid, (count, last_id)) in enumerate(slots):
        params |= {f"c{i}": cid, f"n{i}": count, f"m{i}": last_id}
    result = await session.execute(_allocate_seq_ranges(len(slots)), params)
    return {cid: int(seq) for cid, seq in result.all()}


@functools.cache
def _posting_rights(
    n: int,
) -> Select[tuple[uuid.UUID, uuid.UUID, bool, str, datetime | None, bool]]:
    return (
        select(
            Member.conversation_id,
            Member.user_id,
            Conversation.admins_only,
            Member.role,
            Member.muted_until,
            Conversation.archived_at.is_not(None),
        )
        .join(Conversation, Conversation.id == Member.conversation_id)
        .where(any_key((Member.conversation_id, Member.user_id), n))
    )


async def posting_rights(
    session: AsyncSession, pairs: Collection[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[bool, str, datetime | None, bool]]:
    """(conversation, user) -> (the conversation's "only admins post" flag, the member's
    role, until when a group admin muted them, whether the group is archived), for the
    pairs that are memberships; one query for a batch of sends."""
    if not pairs:
        return {}
    filled = padded(list(pairs))
    rows = await session.execute(_posting_rights(len(filled)), key_params(filled))
    return {
        (c, u): (only, role, until, archived) for c, u, only, role, until, archived in rows.all()
    }


_ADVANCE_READ = (
    update(Member.__table__)
    .where(
        # Typed here: the foreign-key columns take their type only once the tables they
        # point at are known, after this module is imported.
        Member.__table__.c.conversation_id == bindparam("c", type_=Uuid),
        Member.__table__.c.user_id == bindparam("u", type_=Uuid),
        Member.__table__.c.last_read_seq < bindparam("s"),
    )
    .values(last_read_seq=bindparam("s"))
)


async def advance_reads(
    session: AsyncSession, cursors: Mapping[tuple[uuid.UUID, uuid.UUID], int]
) -> None:
    """`advance_read` for a batch: (conversation, user) -> seq, one executemany."""
    if cursors:
        await session.execute(
            _ADVANCE_READ, [{"c": c, "u": u, "s": s} for (c, u), s in cursors.items()]
        )


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
