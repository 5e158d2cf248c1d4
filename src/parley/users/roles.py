"""Who holds which role: a user's system role and custom roles, and the rules around them.

Roles themselves are composed in access/service.py; this module knows the accounts, so
it guards the owners (only owners make or unmake owners and administrators; the last
active owner stays one) and tells every device of a user whose permissions changed, so
their open sockets apply the change at once (realtime/hub.py reads `permissions`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access import service as access
from parley.access.permissions import ADMINISTRATORS, SYSTEM_ROLES, Permission
from parley.access.schemas import RoleRead, RoleUpdate, UserRoles, UserRolesUpdate
from parley.core.errors import Conflict, Forbidden, NotFound
from parley.core.events import publication, user_topic
from parley.db.session import publish_on_commit
from parley.users import repository as repo
from parley.users.models import User
from parley.users.principal import Principal


def require_owner_for(actor: Principal, *roles: str) -> None:
    """403 `owner_required` when any of `roles` is an administrator's and the actor is not
    an owner: only owners make, unmake or act on owners and administrators."""
    if actor.role != "owner" and any(r in ADMINISTRATORS for r in roles):
        raise Forbidden(
            "Only an owner may do this to an owner or administrator.", code="owner_required"
        )


def check_system_role_grant(actor: Principal, role: str) -> None:
    """Giving `role` (to a new or existing account): the owner rule, then no permission
    beyond the actor's own."""
    require_owner_for(actor, role)
    access.check_grantable(actor, SYSTEM_ROLES[role])


async def check_not_last_owner(session: AsyncSession, user: User) -> None:
    """409 `last_owner` if `user` is the only active owner (demoting or disabling them
    would leave the organisation without one)."""
    if user.role == "owner" and user.is_active:
        owners = await repo.active_owner_ids(session)
        if owners == [user.id]:
            raise Conflict(
                "The organisation's last owner cannot be demoted or disabled; make another "
                "owner first.",
                code="last_owner",
            )


async def read_user_roles(session: AsyncSession, actor: Principal, user_id: uuid.UUID) -> UserRoles:
    if not actor.has(Permission.MANAGE_ROLES):
        actor.require(Permission.MANAGE_USERS)
    user = await _user(session, user_id)
    return await _roles_of(session, user)


async def set_user_roles(
    session: AsyncSession, actor: Principal, user_id: uuid.UUID, body: UserRolesUpdate
) -> UserRoles:
    """The system role needs manage_users, the custom roles manage_roles; both checked
    before the lookup, so an outsider learns nothing about ids."""
    if body.system_role is not None or body.role_ids is None:
        actor.require(Permission.MANAGE_USERS)
    if body.role_ids is not None:
        actor.require(Permission.MANAGE_ROLES)
    user = await _user(session, user_id)
    if body.system_role is not None and body.system_role != user.role:
        await check_not_last_owner(session, user)
        require_owner_for(actor, user.role)
        check_system_role_grant(actor, body.system_role)
        user.role = body.system_role
    if body.role_ids is not None:
        current = await access.role_ids_of(session, user.id)
        add, remove = await access.roles_for_assignment(session, actor, current, body.role_ids)
        await access.set_role_ids(session, user.id, add, remove)
    await session.flush()
    await announce_permissions(session, [user.id])
    return await _roles_of(session, user)


async def update_role(
    session: AsyncSession, actor: Principal, role_id: uuid.UUID, body: RoleUpdate
) -> RoleRead:
    role, holders = await access.update_role(session, actor, role_id, body)
    await announce_permissions(session, holders)
    return role


async def delete_role(session: AsyncSession, actor: Principal, role_id: uuid.UUID) -> None:
    await announce_permissions(session, await access.delete_role(session, actor, role_id))


async def announce_permissions(session: AsyncSession, user_ids: Iterable[uuid.UUID]) -> None:
    """After commit, every device of these users learns its new permission set: the frame
    lets the client show or hide actions, the `permissions` control makes each socket
    check its next frames against the new set (realtime/hub.py)."""
    for user in await repo.get_many(session, list(user_ids)):
        names = sorted(await access.effective_permissions(session, user.id, user.role))
        publish_on_commit(
            session,
            publication(
                user_topic(user.id),
                {"type": "permissions.changed", "permissions": names},
                permissions=names,
            ),
        )


async def _user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await repo.get(session, user_id)
    if user is None:
        raise user_not_found()
    return user


def user_not_found() -> NotFound:
    return NotFound("No such user.", code="user_not_found")


async def _roles_of(session: AsyncSession, user: User) -> UserRoles:
    return UserRoles(
        user_id=user.id,
        system_role=user.role,  # type: ignore[arg-type]
        role_ids=await access.role_ids_of(session, user.id),
    )
