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
