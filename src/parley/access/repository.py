"""Every SQL statement of roles and permissions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select
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


async def upload_limits(session: AsyncSession, user_id: uuid.UUID) -> list[int]:
    """The upload limits (MiB) the user's custom roles set; roles without one are left out."""
    rows = await session.execute(
        select(Role.max_upload_mb)
        .join(UserRole, UserRole.role_id == Role.id)
        .where(UserRole.user_id == user_id, Role.max_upload_mb.is_not(None))
    )
    return [limit for (limit,) in rows]


async def list_roles(session: AsyncSession) -> list[tuple[Role, int]]:
    """Every custom role with how many users hold it, by name."""
    holders = (
        select(UserRole.role_id, func.count().label("n")).group_by(UserRole.role_id).subquery()
    )
    rows = await session.execute(
        select(Role, func.coalesce(holders.c.n, 0))
        .outerjoin(holders, holders.c.role_id == Role.id)
        .order_by(Role.name)
    )
    return [(role, n) for role, n in rows]


async def get(session: AsyncSession, role_id: uuid.UUID) -> Role | None:
    return await session.get(Role, role_id)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Role]:
    if not ids:
        return []
    return list((await session.scalars(select(Role).where(Role.id.in_(ids)))).all())


async def name_taken(session: AsyncSession, name: str, other_than: uuid.UUID | None) -> bool:
    query = select(Role.id).where(Role.name == name)  # as the unique index compares
    if other_than is not None:
        query = query.where(Role.id != other_than)
    return (await session.scalar(query.limit(1))) is not None


async def holders(session: AsyncSession, role_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(select(UserRole.user_id).where(UserRole.role_id == role_id))
    return list(rows)


async def role_ids_of(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(select(UserRole.role_id).where(UserRole.user_id == user_id))
    return list(rows)


async def set_role_ids(
    session: AsyncSession, user_id: uuid.UUID, add: Sequence[uuid.UUID], remove: Sequence[uuid.UUID]
) -> None:
    if remove:
        await session.execute(
            delete(UserRole).where(UserRole.user_id == user_id, UserRole.role_id.in_(remove))
        )
    if add:
        await session.execute(insert(UserRole), [{"user_id": user_id, "role_id": r} for r in add])


async def delete_role(session: AsyncSession, role: Role) -> None:
    """The role and every holding of it (not left to the foreign key: SQLite may not
    enforce it)."""
    await session.execute(delete(UserRole).where(UserRole.role_id == role.id))
    await session.delete(role)


async def role_ids_by_name(session: AsyncSession, names: set[str]) -> dict[str, uuid.UUID]:
    rows = await session.execute(select(Role.name, Role.id).where(Role.name.in_(names)))
    return {name: role_id for name, role_id in rows.all()}


async def add_user_roles(session: AsyncSession, pairs: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    session.add_all(UserRole(user_id=u, role_id=r) for u, r in pairs)
    await session.flush()
