"""Operations on conversations: create, rename, members, roles. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.conversations import service as conversations
from parley.conversations.models import Conversation, Member
from parley.conversations.schemas import MemberRead
from parley.core.clock import utcnow
from parley.core.errors import Conflict, Forbidden, Invalid
from parley.db.session import publish_on_commit
from parley.groups import frames, join_requests
from parley.groups.admission import FROM_START, admit, new_members
from parley.groups.permissions import access_group, member_of
from parley.groups.schemas import (
    ConversationDetail,
    ConversationUpdate,
    GroupCreate,
    MemberPage,
    MembersAdded,
)
from parley.messages import inbox
from parley.messages import service as log
from parley.users import service as users
from parley.users.principal import Principal


async def open_direct(
    session: AsyncSession, actor: Principal, peer_id: uuid.UUID
) -> tuple[Conversation, bool]:
    """The one direct chat between two people, created on first use. Only with someone
    the caller may see: a guest, only with people they already share a conversation with."""
    me = actor.user_id
    if peer_id == me:
        raise Invalid("A direct chat needs another person.", code="direct_with_self")
    await users.access_user(session, actor, peer_id)
    await users.require_active_users(session, [peer_id])
    key = ":".join(sorted((str(me), str(peer_id))))
    existing = await conversations.direct_between(session, key)
    if existing is not None:
        return existing, False
    try:
        async with session.begin_nested():
            conversation = Conversation(type="direct", direct_key=key, created_by=me)
            session.add(conversation)
            await session.flush()
            session.add_all(new_members(conversation, [me, peer_id], me, joined_seq=FROM_START))
            await session.flush()
    except IntegrityError:
        existing = await conversations.direct_between(session, key)
        if existing is None:
            raise
        return existing, False
    # The other person sees the chat once something is written in it (see inbox.unannounced).
    publish_on_commit(
        session,
        frames.added(conversation, me, FROM_START),
        frames.routed(conversation, peer_id, FROM_START),
    )
    return conversation, True


async def create_group(session: AsyncSession, actor: Principal, body: GroupCreate) -> Conversation:
    actor.require(Permission.CREATE_GROUPS)
    me = actor.user_id
    member_ids = list(dict.fromkeys([me, *body.member_ids]))
    await users.require_active_users(session, member_ids)
    conversation = Conversation(type="group", name=body.name, topic=body.topic, created_by=me)
    session.add(conversation)
    await session.flush()
    session.add_all(new_members(conversation, member_ids, owner=me, joined_seq=FROM_START))
    await session.flush()
    publish_on_commit(session, *(frames.added(conversation, u, FROM_START) for u in member_ids))
    await log.append_system(
        session, conversation, me, "group_created", name=body.name, user_ids=member_ids
    )
    return conversation


async def update(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID, body: ConversationUpdate
) -> Conversation:
    conversation, member = await access_group(session, me, conversation_id)
    changes = body.model_dump(exclude_unset=True)
    # Muting the whole group stays with admins; the info follows the group's setting.
    needed = "admin" if "admins_only" in changes else conversation.edit_info_role
    conversations.require_role(member, needed, "change the group")
    _require_not_archived(conversation)
    events = {
        "name": "group_renamed",
        "topic": "topic_changed",
        "announcement": "announcement_changed",
        "admins_only": "admins_only_changed",
    }
    changed = False
    for field, value in changes.items():
        if value is None:
            raise Invalid(f"{field} cannot be null.", code="invalid_field")
        if getattr(conversation, field) == value:
            continue
        setattr(conversation, field, value)
        await session.flush()
        await log.append_system(session, conversation, me, events[field], **{field: value})
        changed = True
    if changed:
        publish_on_commit(session, frames.updated(conversation))
    return conversation


async def add_members(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> MembersAdded:
    """Add people; those already in are skipped. A plain member's invitation to a group
    with join approval becomes a pending request instead."""
    conversation, member = await access_group(session, me, conversation_id)
    conversations.require_role(member, conversation.invite_role, "add members")
    _require_not_archived(conversation)
    new = await _newcomers(session, conversation, user_ids)
    if not new:
        return MembersAdded(added=[], pending=[])
    if conversation.join_approval and member.role == "member":
        pending = await join_requests.open_requests(session, conversation, me, new)
        return MembersAdded(added=[], pending=pending)
    await admit(session, conversation, me, new)
    return MembersAdded(added=new, pending=[])


async def _newcomers(
    session: AsyncSession, conversation: Conversation, user_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The active users among `user_ids` who are not members yet (422 for an unknown or
    disabled one)."""
    present = await conversations.members_by_ids(session, conversation.id, user_ids)
    new = [u for u in dict.fromkeys(user_ids) if u not in present]
    if new:
        await users.require_active_users(session, new)
    return new


async def remove_members(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Remove people (not yourself: leave instead). Returns who was removed."""
    conversation, member = await access_group(session, me, conversation_id)
    conversations.require_role(member, "admin", "remove members")
    if me in user_ids:
        raise Invalid("Use leave to remove yourself.", code="cannot_remove_self")
    targets = await conversations.members_by_ids(session, conversation.id, user_ids)
    for target in targets.values():
        if conversations.ROLE_RANK[target.role] >= conversations.ROLE_RANK[member.role]:
            raise Forbidden("You may only remove members below your role.", code="role_too_low")
    gone = list(targets)
    if gone:
        await _drop(session, conversation, me, gone, "members_removed", reason="removed")
    return gone


async def follow_rule(
    session: AsyncSession,
    actor: uuid.UUID,
    conversation_id: uuid.UUID,
    *,
    add: Sequence[uuid.UUID],
    remove: Sequence[uuid.UUID],
) -> None:
    """Membership decided by a rule outside the group (a department group following the
    tree, departments/groups.py): no role check, `actor` is who changed the rule's input
    and is named in the log. Events, joined_seq and unsubscribes are those of a manual
    change; the owner is never removed."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None or conversation.type != "group":
        return
    if new := await _newcomers(session, conversation, add):
        await admit(session, conversation, actor, new)
    targets = await conversations.members_by_ids(session, conversation.id, remove)
    gone = [u for u, m in targets.items() if m.role != "owner"]
    if gone:
        await _drop(session, conversation, actor, gone, "members_removed", reason="removed")


async def leave(session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID) -> None:
    conversation, member = await access_group(session, me, conversation_id)
    if member.role == "owner" and await conversations.member_count(session, conversation.id) > 1:
        raise Conflict("Transfer ownership before leaving.", code="owner_must_transfer")
    await _drop(session, conversation, me, [me], "member_left", reason="left")


async def _drop(
    session: AsyncSession,
    conversation: Conversation,
    actor: uuid.UUID,
    user_ids: list[uuid.UUID],
    event: str,
    *,
    reason: str,
) -> None:
    # Unsubscribe first: the people leaving receive nothing of the log from here on.
    publish_on_commit(session, *(frames.removed(conversation, u, reason) for u in user_ids))
    await conversations.remove_members(session, conversation.id, user_ids)
    await log.append_system(session, conversation, actor, event, user_ids=user_ids)


async def set_role(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID, role: str
) -> Member:
    conversation, member = await access_group(session, me, conversation_id)
    conversations.require_role(member, "owner", "change roles")
    target = await member_of(session, conversation, user_id)
    if target.role == "owner":
        raise Conflict("Transfer ownership instead.", code="owner_role")
    if target.role != role:
        target.role = role
        await session.flush()
        await log.append_system(
            session, conversation, me, "role_changed", user_id=user_id, role=role
        )
    return target


async def transfer_owner(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    conversation, member = await access_group(session, me, conversation_id)
    conversations.require_role(member, "owner", "transfer ownership")
    target = await member_of(session, conversation, user_id)
    if target.user_id == me:
        return
    target.role, member.role = "owner", "admin"
    await session.flush()
    await log.append_system(session, conversation, me, "owner_transferred", user_id=user_id)


def _require_not_archived(conversation: Conversation) -> None:
    """An archived group is read-only: no posts (messages/service.py), no changes."""
    if conversation.archived_at is not None:
        raise log.group_archived()


async def reassign_owner(
    session: AsyncSession, actor_id: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID
) -> Conversation:
    """An organisation administrator (checked by the caller: admin console) makes a member
    the group's owner; the previous owner becomes an admin of it."""
    conversation = await conversations.get_group(session, conversation_id)
    target = await _member(session, conversation, user_id)
    if target.role != "owner":
        current = await conversations.members(session, conversation.id)
        for member in current:
            if member.role == "owner":
                member.role = "admin"
        target.role = "owner"
        await session.flush()
        await log.append_system(
            session, conversation, actor_id, "owner_transferred", user_id=user_id
        )
    return conversation


async def set_archived(
    session: AsyncSession, conversation_id: uuid.UUID, archived: bool
) -> Conversation:
    """Archive (read-only for everyone: messages/service.py check_can_post) or restore a
    group; the caller (admin console) checks the organisation permission."""
    conversation = await conversations.get_group(session, conversation_id)
    if archived and conversation.archived_at is None:
        conversation.archived_at = utcnow()
    elif not archived:
        conversation.archived_at = None
    await session.flush()
    return conversation


async def _member(session: AsyncSession, conversation: Conversation, user_id: uuid.UUID) -> Member:
    found = await conversations.members_by_ids(session, conversation.id, [user_id])
    if user_id not in found:
        raise Invalid("That user is not a member.", code="not_a_member")
    return found[user_id]


async def detail(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID
) -> ConversationDetail:
    summary = await inbox.summary(session, me, conversation_id)
    count = await conversations.member_count(session, conversation_id)
    return ConversationDetail(**summary.model_dump(), member_count=count)


async def member_page(
    session: AsyncSession,
    me: uuid.UUID,
    conversation_id: uuid.UUID,
    *,
    after: uuid.UUID | None,
    limit: int,
) -> MemberPage:
    await conversations.access_conversation(session, me, conversation_id)
    rows = await conversations.members(session, conversation_id, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return MemberPage(
        items=[MemberRead.model_validate(m) for m in rows],
        next_cursor=rows[-1].user_id if more else None,
    )
