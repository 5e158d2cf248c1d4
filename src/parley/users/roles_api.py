"""HTTP shape of roles and permissions: the catalogue, custom roles, a user's roles.

The routes live in the users domain although roles are access's: every route needs the
signed-in principal (users/deps.py), and access is the lowest layer (pyproject)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from parley.access import service as access
from parley.access.schemas import (
    Catalogue,
    RoleCreate,
    RoleRead,
    RoleUpdate,
    UserRoles,
    UserRolesUpdate,
)
from parley.runtime import ReadSession, WriteSession
from parley.users import roles
from parley.users.deps import CurrentUser

router = APIRouter(tags=["roles"])


@router.get("/permissions")
async def permission_catalogue(me: CurrentUser) -> Catalogue:
    """Every permission with its zh-CN and en label and description, and the permissions
    of each system role (owner, admin, auditor, member, guest)."""
    return access.catalogue()


@router.get("/roles")
async def list_roles(me: CurrentUser, session: ReadSession) -> list[RoleRead]:
    """The custom roles (needs manage_roles or manage_users)."""
    return await access.list_roles(session, me)


@router.post("/roles", status_code=status.HTTP_201_CREATED)
async def create_role(body: RoleCreate, me: CurrentUser, session: WriteSession) -> RoleRead:
    """Compose a role from permissions you hold yourself (manage_roles)."""
    return await access.create_role(session, me, body)


@router.patch("/roles/{role_id}")
async def update_role(
    role_id: uuid.UUID, body: RoleUpdate, me: CurrentUser, session: WriteSession
) -> RoleRead:
    """Rename a role or change what it grants; its holders' open sockets apply it at once."""
    return await roles.update_role(session, me, role_id, body)


@router.delete("/roles/{role_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_role(role_id: uuid.UUID, me: CurrentUser, session: WriteSession) -> None:
    await roles.delete_role(session, me, role_id)


@router.get("/users/{user_id}/roles")
async def read_user_roles(user_id: uuid.UUID, me: CurrentUser, session: ReadSession) -> UserRoles:
    return await roles.read_user_roles(session, me, user_id)


@router.put("/users/{user_id}/roles")
async def set_user_roles(
    user_id: uuid.UUID, body: UserRolesUpdate, me: CurrentUser, session: WriteSession
) -> UserRoles:
    """Set the system role (manage_users; owner and admin only by an owner; never the last
    owner's) and/or the custom roles (manage_roles). Nothing beyond your own permissions
    can be given or taken. Applies to the user's next request and open sockets at once."""
    return await roles.set_user_roles(session, me, user_id, body)
