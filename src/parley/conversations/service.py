"""Access loaders and the log counter, used by every higher domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from parley.conversations import repository as repo
from parley.conversations.models import Conversation, ConversationView, Member, MemberView
from parley.core.clock import utcnow
from parley.core.errors import Forbidden, NotFound

ROLE_RANK = {"member": 0, "admin": 1, "owner": 2}


async def access_conversation(
    session: AsyncSession, user_id: uuid.UUID, conversation_id: uuid.UUID
) -> tuple[Conversation, Member]:
    """The conversation and the caller's membership, or 404 for anyone who is not a member
    (a non-member must not learn that the conversation exists)."""
    found = await repo.membership(session, conversation_id, user_id)
    if found is None:
        raise no_such_conversation()
    return found


async def get(session: AsyncSession, conversation_id: uuid.UUID) -> Conversation | None:
    """A conversation by id, unchecked: for callers that have checked access another way."""
    return await repo.get(session, conversation_id)


async def access_peers(
    session: AsyncSession, user_id: uuid.UUID, candidates: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `candidates` whose presence `user_id` may know: themself and the people
    they share a conversation with. Anyone else is left out, exactly as an unknown id."""
    others = {c for c in candidates if c != user_id}
    peers = await repo.peers_among(session, user_id, others)
    return peers | ({user_id} if user_id in candidates else set())


async def external_among(
    session: AsyncSession, conversations: Sequence[ConversationView]
) -> set[uuid.UUID]:
    """Those of these groups with a guest in them: marked external wherever they show."""
    return await repo.with_guests(session, [c.id for c in conversations if c.type == "group"])


async def get_group(session: AsyncSession, conversation_id: uuid.UUID) -> Conversation:
    """A group by id, for the organisation's administrators (no membership needed)."""
    found = await repo.get(session, conversation_id)
    if found is None or found.type != "group":
        raise no_such_conversation()
    return found


def no_such_conversation() -> NotFound:
    return NotFound("No such conversation.", code="conversation_not_found")


def require_role(member: Member, role: str, action: str) -> None:
    if ROLE_RANK[member.role] < ROLE_RANK[role]:
        raise Forbidden(f"Only a group {role} may {action}.", code=f"{role}_required")


async def next_seq(
    session: AsyncSession,
    conversation: Conversation,
    *,
    activity: bool,
    entry_id: uuid.UUID | None = None,
    mention_all: bool = False,
) -> int:
    """Allocate the next seq. With `entry_id` (a content or system entry) the same UPDATE
    makes it the conversation's last message, and `mention_all` records an @all."""
    now = utcnow() if activity else None
    seq = await repo.allocate_seq(
        session, conversation.id, now, last_message_id=entry_id, mention_all=mention_all
    )
    set_committed_value(conversation, "last_seq", seq)
    if now is not None:
        set_committed_value(conversation, "last_activity_at", now)
    if entry_id is not None:
        set_committed_value(conversation, "last_message_id", entry_id)
    if mention_all:
        set_committed_value(conversation, "all_mention_seq", seq)
    return seq


async def record_mentions(
    session: AsyncSession, conversation: Conversation, mentioned: Sequence[uuid.UUID], seq: int
) -> None:
    """Flag the mentioned members (no statement when nobody is mentioned)."""
    await repo.mark_mentioned(session, conversation.id, mentioned, seq)


async def advance_read(session: AsyncSession, member: Member, seq: int) -> bool:
    moved = await repo.advance_read(session, member.conversation_id, member.user_id, seq)
    if moved:
        set_committed_value(member, "last_read_seq", seq)
    return moved


async def members(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    *,
    after: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[Member]:
    return await repo.members(session, conversation_id, after=after, limit=limit)


async def members_by_ids(
    session: AsyncSession, conversation_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Member]:
    return {m.user_id: m for m in await repo.members_by_ids(session, conversation_id, user_ids)}


async def admin_ids(session: AsyncSession, conversation_id: uuid.UUID) -> list[uuid.UUID]:
    """The group's owner and admins."""
    return await repo.user_ids_with_roles(session, conversation_id, ("owner", "admin"))


async def member_count(session: AsyncSession, conversation_id: uuid.UUID) -> int:
    return await repo.member_count(session, conversation_id)


async def conversation_ids_of(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    return await repo.conversation_ids_of(session, user_id)


async def memberships_of(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    before: tuple[datetime, uuid.UUID] | None = None,
    limit: int,
    pinned: bool | None = None,
    include_archived: bool = True,
    include_unannounced: bool = True,
) -> list[tuple[ConversationView, MemberView]]:
    return await repo.memberships_of(
        session,
        user_id,
        before=before,
        limit=limit,
        pinned=pinned,
        include_archived=include_archived,
        include_unannounced=include_unannounced,
    )


def unannounced(conversation: ConversationView, user_id: uuid.UUID) -> bool:
    """A direct chat the other person opened and has not written in yet: this member's
    lists leave it out until its first message, so opening a chat with someone does not
    put an empty one in their list (the opener still sees it)."""
    return (
        conversation.type == "direct"
        and conversation.last_seq == 0
        and conversation.created_by != user_id
    )


async def joined_seqs(session: AsyncSession, user_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Conversation id -> first readable seq, for every conversation the user is in."""
    return await repo.joined_seqs(session, user_id)


async def direct_between(session: AsyncSession, key: str) -> Conversation | None:
    return await repo.by_direct_key(session, key)


async def remove_members(
    session: AsyncSession, conversation_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> None:
    await repo.remove_members(session, conversation_id, user_ids)
