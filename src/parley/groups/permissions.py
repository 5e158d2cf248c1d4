"""A group's permission settings, and muting one member for a time (禁言).

Group owners and admins change them; every change is an entry of the log and a
`conversation.updated` frame, so members' clients follow at once. The checks themselves
live where the actions are: `messages.service.check_can_post` (mute), `_mentions`
(@all), `messages.pins` (pin), and `groups.service` (invite, edit the info)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.conversations.models import Conversation, Member
from parley.conversations.schemas import GroupPermissions
from parley.core.clock import utcnow
from parley.core.errors import Forbidden, Invalid
from parley.db.session import publish_on_commit
from parley.groups import frames
from parley.groups.schemas import PermissionsUpdate
from parley.messages import service as log


async def access_group(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID
) -> tuple[Conversation, Member]:
    """The group and the caller's membership: 404 for outsiders, 422 for a direct chat."""
    conversation, member = await conversations.access_conversation(session, me, conversation_id)
    if conversation.type != "group":
        raise Invalid("Direct chats have no members to manage.", code="not_a_group")
    return conversation, member


async def member_of(
    session: AsyncSession, conversation: Conversation, user_id: uuid.UUID
) -> Member:
    found = await conversations.members_by_ids(session, conversation.id, [user_id])
    if user_id not in found:
        raise Invalid("That user is not a member.", code="not_a_member")
    return found[user_id]


async def read(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID
) -> GroupPermissions:
    conversation, _ = await access_group(session, me, conversation_id)
    return GroupPermissions.model_validate(conversation)


async def update(
    session: AsyncSession, me: uuid.UUID, conversation_id: uuid.UUID, body: PermissionsUpdate
) -> GroupPermissions:
    conversation, member = await access_group(session, me, conversation_id)
    conversations.require_role(member, "admin", "change the group's permissions")
    changes = body.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field != "max_members":
            raise Invalid(f"{field} cannot be null.", code="invalid_field")
    changed = {f: v for f, v in changes.items() if getattr(conversation, f) != v}
    if changed:
        for field, value in changed.items():
            setattr(conversation, field, value)
        await session.flush()
        await log.append_system(session, conversation, me, "permissions_changed", **changed)
        publish_on_commit(session, frames.updated(conversation))
    return GroupPermissions.model_validate(conversation)


async def mute(
    session: AsyncSession,
    me: uuid.UUID,
    conversation_id: uuid.UUID,
    user_id: uuid.UUID,
    until: datetime | None,
) -> Member:
    """Mute a member below your role until `until` (None: unmute). The mute needs no
    timer to end: sends compare it with the clock."""
    conversation, member = await access_group(session, me, conversation_id)
    conversations.require_role(member, "admin", "mute members")
    if until is not None and until <= utcnow():
        raise Invalid("A mute must end in the future.", code="mute_in_past")
    target = await member_of(session, conversation, user_id)
    if conversations.ROLE_RANK[target.role] >= conversations.ROLE_RANK[member.role]:
        raise Forbidden("You may only mute members below your role.", code="role_too_low")
    target.muted_until = until
    await session.flush()
    if until is None:
        await log.append_system(session, conversation, me, "member_unmuted", user_id=user_id)
    else:
        await log.append_system(
            session, conversation, me, "member_muted", user_id=user_id, until=until.isoformat()
        )
    return target
