"""Every SQL statement of roles and permissions."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.models import Role, UserRole


async def custom_permissions(session: AsyncSession, user_id: uuid.UUID) -> frozenset[str]:
    """The permission names of every custom role the user holds."""
    connection = await session.connection()
    rows = await connection.execute(
        select(Role.permissions)
        .join(UserRole, UserRole.role_id == Role.id)
        .where(UserRole.user_id == user_id)
    )
    return frozenset(name for (names,) in rows for name in names or ())


async def role_ids_by_name(session: AsyncSession, names: set[str]) -> dict[str, uuid.UUID]:
    rows = await session.execute(select(Role.name, Role.id).where(Role.name.in_(names)))
    return {name: role_id for name, role_id in rows.all()}


async def add_user_roles(session: AsyncSession, pairs: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    session.add_all(UserRole(user_id=u, role_id=r) for u, r in pairs)
    await session.flush()
