"""Accounts as the console manages them (create, reset, disable live in users/)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.admin import repository as repo
from parley.admin.schemas import AdminUserPage, AdminUserRead, AdminUserUpdate, UserStatus
from parley.users import service as users
from parley.users.principal import Principal

_STATUS = {"all": None, "active": True, "disabled": False}


async def page(
    session: AsyncSession,
    actor: Principal,
    *,
    query: str,
    role: str | None,
    status: UserStatus,
    after: str | None,
    limit: int,
) -> AdminUserPage:
    """Every account (disabled ones too), filtered; by username, `after` the last shown."""
    actor.require(Permission.MANAGE_USERS)
    found = await repo.users_page(
        session, query=query, role=role, active=_STATUS[status], after=after, limit=limit + 1
    )
    shown = found[:limit]
    return AdminUserPage(
        items=[AdminUserRead.model_validate(u) for u in shown],
        next_cursor=shown[-1].username if len(found) > limit else None,
    )


async def read(session: AsyncSession, actor: Principal, user_id: uuid.UUID) -> AdminUserRead:
    actor.require(Permission.MANAGE_USERS)
    return AdminUserRead.model_validate(await users.get_user(session, user_id))


async def update(
    session: AsyncSession, actor: Principal, user_id: uuid.UUID, body: AdminUserUpdate
) -> AdminUserRead:
    actor.require(Permission.MANAGE_USERS)
    user = await users.get_user(session, user_id)
    changes = body.model_dump(exclude_unset=True)
    return AdminUserRead.model_validate(await users.update_account(session, user, changes))
