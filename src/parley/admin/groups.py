"""Every group of the organisation, for holders of manage_groups."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.admin import repository as repo
from parley.admin.schemas import GroupAdminPage, GroupAdminRead
from parley.conversations.models import Conversation
from parley.core.pagination import decode_cursor, encode_cursor
from parley.groups import service as groups
from parley.users.principal import Principal


async def page(
    session: AsyncSession,
    actor: Principal,
    *,
    query: str,
    archived: bool | None,
    before: str | None,
    limit: int,
) -> GroupAdminPage:
    """Newest first; `before` is the previous page's cursor."""
    actor.require(Permission.MANAGE_GROUPS)
    found = await repo.groups_page(
        session,
        query=query,
        archived=archived,
        before=decode_cursor(before) if before else None,
        limit=limit + 1,
    )
    shown = found[:limit]
    last = shown[-1] if len(found) > limit else None
    return GroupAdminPage(
        items=await _views(session, shown),
        next_cursor=encode_cursor(last.created_at, last.id) if last else None,
    )


async def _views(session: AsyncSession, found: list[Conversation]) -> list[GroupAdminRead]:
    ids = [c.id for c in found]
    counts, owners = await repo.member_counts(session, ids), await repo.owners(session, ids)
    return [
        GroupAdminRead(
            id=c.id,
            name=c.name,
            owner_id=owners[c.id][0] if c.id in owners else None,
            owner_name=owners[c.id][1] if c.id in owners else None,
            member_count=counts.get(c.id, 0),
            created_at=c.created_at,
            last_activity_at=c.last_activity_at,
            archived=c.archived_at is not None,
        )
        for c in found
    ]


async def change_owner(
    session: AsyncSession, actor: Principal, group_id: uuid.UUID, user_id: uuid.UUID
) -> GroupAdminRead:
    """Make a member the owner (422 `not_a_member` for anyone else)."""
    actor.require(Permission.MANAGE_GROUPS)
    group = await groups.reassign_owner(session, actor.user_id, group_id, user_id)
    return (await _views(session, [group]))[0]


async def set_archived(
    session: AsyncSession, actor: Principal, group_id: uuid.UUID, archived: bool
) -> GroupAdminRead:
    """An archived group stays readable; nobody posts in it until it is restored."""
    actor.require(Permission.MANAGE_GROUPS)
    group = await groups.set_archived(session, group_id, archived)
    return (await _views(session, [group]))[0]
