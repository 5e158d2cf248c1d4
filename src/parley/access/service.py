"""Roles and permissions: what a principal may do."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access import repository as repo
from parley.access.permissions import Permission, permissions_of


async def effective_permissions(
    session: AsyncSession, user_id: uuid.UUID, system_role: str
) -> frozenset[Permission]:
    """The union of the user's system role and custom roles, read afresh: every request
    and socket (re)authentication computes it, so a role change applies at once."""
    return permissions_of(system_role, await repo.custom_permissions(session, user_id))


async def custom_roles_named(session: AsyncSession, names: set[str]) -> dict[str, uuid.UUID]:
    """Custom roles by name (those that exist)."""
    return await repo.role_ids_by_name(session, names) if names else {}


async def grant_custom_roles(
    session: AsyncSession, pairs: list[tuple[uuid.UUID, uuid.UUID]]
) -> None:
    """Give users custom roles, as (user id, role id); the caller checked the permission."""
    if pairs:
        await repo.add_user_roles(session, pairs)
