"""Every SQL statement of the departments domain."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import String, delete, exists, or_, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession

from parley.core.text import like_pattern
from parley.departments.models import Department, DepartmentGroup, DepartmentMember
from parley.users.models import User


async def all_departments(session: AsyncSession) -> list[Department]:
    return list(await session.scalars(select(Department)))


async def department_rows(session: AsyncSession) -> list[Any]:
    """The tree as plain rows (read-only paths: the directory): no ORM objects to build."""
    stmt = select(
        Department.id,
        Department.parent_id,
        Department.name,
        Department.position,
        Department.head_id,
        Department.hidden,
    )
    return list((await session.execute(stmt)).all())


async def get(session: AsyncSession, department_id: uuid.UUID) -> Department | None:
    return await session.get(Department, department_id)


async def placements(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(department, user) of every active person in a department."""
    rows = await session.execute(
        select(DepartmentMember.department_id, DepartmentMember.user_id)
        .join(User, User.id == DepartmentMember.user_id)
        .where(User.is_active)
    )
    return [(d, u) for d, u in rows]


async def placement_keys(session: AsyncSession) -> list[tuple[uuid.UUID, Any]]:
    """(department, user) of every active placement, the user as the driver returns it: 10,000
    people would be 10,000 UUID objects to build (most of the tree's cost), and counting
    needs only equality."""
    department = type_coerce(DepartmentMember.department_id, String)
    stmt = (
        select(department, type_coerce(DepartmentMember.user_id, String))
        .join(User, User.id == DepartmentMember.user_id)
        .where(User.is_active)
    )
    connection = await session.connection()
    ids: dict[Any, uuid.UUID] = {}
    out = []
    for d, u in await connection.execute(stmt):
        key = ids.get(d)
        if key is None:
            key = ids[d] = d if isinstance(d, uuid.UUID) else uuid.UUID(d)
        out.append((key, u))
    return out


async def members(
    session: AsyncSession, department_id: uuid.UUID, *, after: str | None, limit: int
) -> list[tuple[User, DepartmentMember]]:
    stmt = (
        select(User, DepartmentMember)
        .join(DepartmentMember, DepartmentMember.user_id == User.id)
        .where(DepartmentMember.department_id == department_id, User.is_active)
        .order_by(User.username)
        .limit(limit)
    )
    if after:
        stmt = stmt.where(User.username > after)
    return [(u, m) for u, m in await session.execute(stmt)]


async def has_members(session: AsyncSession, department_id: uuid.UUID) -> bool:
    stmt = select(DepartmentMember.user_id).where(DepartmentMember.department_id == department_id)
    return await session.scalar(stmt.limit(1)) is not None


async def memberships_of(
    session: AsyncSession, user_ids: Collection[uuid.UUID]
) -> list[DepartmentMember]:
    if not user_ids:
        return []
    stmt = select(DepartmentMember).where(DepartmentMember.user_id.in_(set(user_ids)))
    return list(await session.scalars(stmt))


async def replace_memberships(
    session: AsyncSession, user_id: uuid.UUID, rows: Sequence[DepartmentMember]
) -> None:
    await session.execute(delete(DepartmentMember).where(DepartmentMember.user_id == user_id))
    session.add_all(rows)
    await session.flush()


async def move_members(session: AsyncSession, source: uuid.UUID, target: uuid.UUID) -> None:
    """Everyone of `source` into `target`; those already in both keep their `target` row
    (and become primary there if `source` was their primary)."""
    in_both = select(DepartmentMember.user_id).where(DepartmentMember.department_id == target)
    await session.execute(
        update(DepartmentMember)
        .where(
            DepartmentMember.department_id == target,
            DepartmentMember.user_id.in_(
                select(DepartmentMember.user_id).where(
                    DepartmentMember.department_id == source, DepartmentMember.is_primary
                )
            ),
        )
        .values(is_primary=True)
    )
    await session.execute(
        delete(DepartmentMember).where(
            DepartmentMember.department_id == source, DepartmentMember.user_id.in_(in_both)
        )
    )
    await session.execute(
        update(DepartmentMember)
        .where(DepartmentMember.department_id == source)
        .values(department_id=target)
    )


async def reparent_children(
    session: AsyncSession, parent: uuid.UUID, new_parent: uuid.UUID | None
) -> None:
    await session.execute(
        update(Department).where(Department.parent_id == parent).values(parent_id=new_parent)
    )


async def department_groups(
    session: AsyncSession, department_id: uuid.UUID | None = None
) -> list[DepartmentGroup]:
    stmt = select(DepartmentGroup)
    if department_id is not None:
        stmt = stmt.where(DepartmentGroup.department_id == department_id)
    return list(await session.scalars(stmt))


async def department_group(
    session: AsyncSession, conversation_id: uuid.UUID
) -> DepartmentGroup | None:
    return await session.get(DepartmentGroup, conversation_id)


async def search(
    session: AsyncSession,
    query: str,
    pinyin_key: str,
    *,
    contact_fields: Collection[str],
    hidden_departments: Collection[uuid.UUID],
    after: str | None,
    limit: int,
) -> list[User]:
    """Active people whose name, username, name's pinyin or initials contain the query,
    or whose e-mail / phone does where those are `contact_fields`; without those whose
    every department is hidden."""
    stmt = select(User).where(User.is_active).order_by(User.username).limit(limit)
    if query:
        pattern = like_pattern(query.lower())
        fields = [User.display_name, User.username]
        fields += [getattr(User, f) for f in ("email", "phone") if f in contact_fields]
        # SQLite's LIKE ignores ASCII case already; lower() on every row costs a third.
        sqlite = session.get_bind().dialect.name == "sqlite"
        matches = [
            f.like(pattern, escape="\\") if sqlite else f.ilike(pattern, escape="\\")
            for f in fields
        ]
        if pinyin_key:
            key_pattern = like_pattern(pinyin_key)
            matches += [
                User.name_pinyin.like(key_pattern, escape="\\"),
                User.name_initials.like(key_pattern, escape="\\"),
            ]
        stmt = stmt.where(or_(*matches))
    if hidden_departments:
        # Correlated on the user_id index, after the name match: only matches pay.
        placed = DepartmentMember.user_id == User.id
        visible = DepartmentMember.department_id.not_in(set(hidden_departments))
        stmt = stmt.where(
            or_(
                ~exists().where(placed),
                exists().where(placed, visible),
            )
        )
    if after:
        stmt = stmt.where(User.username > after)
    return list(await session.scalars(stmt))
