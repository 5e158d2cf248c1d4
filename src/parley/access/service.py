"""Roles and permissions: what a principal may do, and custom roles.

The caller (users/roles.py, which knows the accounts) passes its principal as `Actor`:
this domain is the lowest and imports none above it."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parley.access import repository as repo
from parley.access.models import Role
from parley.access.permissions import (
    LABELS,
    SYSTEM_ROLE_NAMES,
    SYSTEM_ROLES,
    Permission,
    permissions_of,
)
from parley.access.schemas import (
    Catalogue,
    PermissionInfo,
    RoleCreate,
    RoleRead,
    RoleUpdate,
    SystemRoleInfo,
)
from parley.core.errors import Conflict, Forbidden, Invalid, NotFound

MIB = 1024 * 1024


class Actor(Protocol):
    """Who acts: `users.principal.Principal` is one."""

    @property
    def user_id(self) -> uuid.UUID: ...

    @property
    def permissions(self) -> frozenset[Permission]: ...

    def require(self, permission: Permission) -> None: ...


async def effective_permissions(
    session: AsyncSession, user_id: uuid.UUID, system_role: str
) -> frozenset[Permission]:
    """The union of the user's system role and custom roles, read afresh: every request
    and socket (re)authentication computes it, so a role change applies at once."""
    return permissions_of(system_role, await repo.custom_permissions(session, user_id))


def catalogue() -> Catalogue:
    return Catalogue(
        permissions=[PermissionInfo(name=p, **_labels(p)) for p in Permission],
        system_roles=[
            SystemRoleInfo(name=name, permissions=sorted(SYSTEM_ROLES[name]))  # type: ignore[arg-type]
            for name in SYSTEM_ROLE_NAMES
        ],
    )


def _labels(p: Permission) -> dict[str, str]:
    zh, en, zh_desc, en_desc = LABELS[p]
    return {"label_zh": zh, "label_en": en, "description_zh": zh_desc, "description_en": en_desc}


def check_grantable(actor: Actor, granted: Iterable[str]) -> None:
    """403 `permission_not_held` when `granted` holds a permission the actor lacks: nobody
    hands out (in a role or by assigning one) more than they have themselves."""
    missing = sorted(set(granted) - {p.value for p in actor.permissions})
    if missing:
        raise Forbidden(
            f"You cannot grant permissions you do not hold: {', '.join(missing)}.",
            code="permission_not_held",
            permissions=missing,
        )


async def list_roles(session: AsyncSession, actor: Actor) -> list[RoleRead]:
    """For those who compose roles or assign them."""
    if Permission.MANAGE_ROLES not in actor.permissions:
        actor.require(Permission.MANAGE_USERS)
    return [_read(role, n) for role, n in await repo.list_roles(session)]


async def create_role(session: AsyncSession, actor: Actor, body: RoleCreate) -> RoleRead:
    actor.require(Permission.MANAGE_ROLES)
    check_grantable(actor, body.permissions)
    await _check_name(session, body.name, None)
    role = Role(
        name=body.name,
        description=body.description,
        permissions=sorted(set(body.permissions)),
        max_upload_mb=body.max_upload_mb,
        created_by=actor.user_id,
    )
    session.add(role)
    await _flush_named(session)
    return _read(role, 0)


async def update_role(
    session: AsyncSession, actor: Actor, role_id: uuid.UUID, body: RoleUpdate
) -> tuple[RoleRead, list[uuid.UUID]]:
    """The role and its holders (whose permissions may have changed)."""
    role = await _require_role(session, actor, role_id)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("name") is not None:
        await _check_name(session, changes["name"], role.id)
        role.name = changes["name"]
    if changes.get("description") is not None:
        role.description = changes["description"]
    if changes.get("permissions") is not None:
        check_grantable(actor, changes["permissions"])
        role.permissions = sorted(set(changes["permissions"]))
    if "max_upload_mb" in changes:
        role.max_upload_mb = changes["max_upload_mb"]
    await _flush_named(session)
    holders = await repo.holders(session, role.id)
    return _read(role, len(holders)), holders


async def delete_role(session: AsyncSession, actor: Actor, role_id: uuid.UUID) -> list[uuid.UUID]:
    """Its former holders."""
    role = await _require_role(session, actor, role_id)
    holders = await repo.holders(session, role.id)
    await repo.delete_role(session, role)
    return holders


async def _require_role(session: AsyncSession, actor: Actor, role_id: uuid.UUID) -> Role:
    """A role the actor may change: they need manage_roles (checked before the lookup) and
    every permission it grants now (or they could strip a role above them)."""
    actor.require(Permission.MANAGE_ROLES)
    role = await repo.get(session, role_id)
    if role is None:
        raise NotFound("No such role.", code="role_not_found")
    check_grantable(actor, role.permissions)
    return role


async def _check_name(session: AsyncSession, name: str, other_than: uuid.UUID | None) -> None:
    if await repo.name_taken(session, name, other_than):
        raise Conflict("A role with that name exists.", code="role_exists")


async def _flush_named(session: AsyncSession) -> None:
    """Flush a new or renamed role: a concurrent one may have taken the name meanwhile."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("A role with that name exists.", code="role_exists") from exc


def _read(role: Role, holders: int) -> RoleRead:
    return RoleRead.model_validate(role).model_copy(update={"holders": holders})


async def roles_for_assignment(
    session: AsyncSession, actor: Actor, current: Collection[uuid.UUID], wanted: list[uuid.UUID]
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The roles to add and to remove to go from `current` to `wanted`: 422 `role_not_found`
    for an unknown id, 403 for a role (given or taken) with permissions the actor lacks."""
    actor.require(Permission.MANAGE_ROLES)
    add = [r for r in dict.fromkeys(wanted) if r not in current]
    remove = [r for r in current if r not in set(wanted)]
    found = {role.id: role for role in await repo.get_many(session, [*add, *remove])}
    for role_id in add:
        if role_id not in found:
            raise Invalid(f"Role {role_id} does not exist.", code="role_not_found")
    for role in found.values():
        check_grantable(actor, role.permissions)
    return add, remove


async def role_ids_of(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    return await repo.role_ids_of(session, user_id)


async def set_role_ids(
    session: AsyncSession, user_id: uuid.UUID, add: list[uuid.UUID], remove: list[uuid.UUID]
) -> None:
    await repo.set_role_ids(session, user_id, add, remove)
    await session.flush()


async def max_upload_bytes(session: AsyncSession, user_id: uuid.UUID, org_limit: int) -> int:
    """The largest upload the user may send. A custom role with `max_upload_mb` sets it, up
    or down; several such roles: the largest wins (roles grant, their union is the most
    generous). No role with a limit: the organisation's (`max_upload_bytes`)."""
    limits = await repo.upload_limits(session, user_id)
    return max(limits) * MIB if limits else org_limit


async def custom_roles_named(session: AsyncSession, names: set[str]) -> dict[str, uuid.UUID]:
    """Custom roles by name (those that exist)."""
    return await repo.role_ids_by_name(session, names) if names else {}


async def grant_custom_roles(
    session: AsyncSession, pairs: list[tuple[uuid.UUID, uuid.UUID]]
) -> None:
    """Give users custom roles, as (user id, role id); the caller checked the permission."""
    if pairs:
        await repo.add_user_roles(session, pairs)
