"""HTTP shape of the admin console: /admin/... (permissions are checked in the services)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile, status

from parley.access.permissions import SystemRole
from parley.admin import csv_import, dashboard, groups, users
from parley.admin.schemas import (
    AdminUserPage,
    AdminUserRead,
    AdminUserUpdate,
    ArchiveChange,
    Dashboard,
    GroupAdminPage,
    GroupAdminRead,
    ImportReport,
    ImportResult,
    OwnerChange,
    UserStatus,
)
from parley.core.app_state import app_state
from parley.core.values import Text
from parley.org import settings as org_settings
from parley.org.schemas import OrgSettings, OrgSettingsUpdate
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.users.deps import CurrentUser

router = APIRouter(prefix="/admin", tags=["admin"])
Presence = Annotated[Any, Depends(app_state("presence"))]
Broker = Annotated[Any, Depends(app_state("broker"))]


@router.get("/users")
async def list_users(
    me: CurrentUser,
    session: ReadSession,
    rt: RuntimeDep,
    q: Annotated[Text, Query(max_length=100)] = "",
    role: SystemRole | None = None,
    status: UserStatus = "all",
    after: Annotated[Text | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AdminUserPage:
    """Every account, disabled ones too, by username; `q` matches name, pinyin, username,
    e-mail, phone and employee number. Needs manage_users."""
    return await users.page(
        session,
        me,
        query=q.strip(),
        role=role,
        status=status,
        after=after,
        limit=min(limit, rt.settings.page_max),
    )


@router.post("/users/import")
async def import_users(
    me: CurrentUser,
    rt: RuntimeDep,
    file: Annotated[UploadFile, File(description="CSV: UTF-8, UTF-8 with BOM, or GBK")],
    dry_run: bool = True,
) -> ImportReport | ImportResult:
    """Create accounts from a CSV file (columns username, display_name, email, phone,
    title, employee_no, department, role). `dry_run=true` (the default) reports every
    row's errors and writes nothing; `dry_run=false` creates all accounts or none (422
    `csv_has_errors` with the report) and returns their one-time passwords, once.
    Needs manage_users."""
    raw = await file.read(csv_import.MAX_BYTES + 1)
    if dry_run:
        return await csv_import.dry_run(rt, me, raw)
    return await csv_import.apply(rt, me, raw)


@router.get("/users/{user_id}")
async def read_user(user_id: uuid.UUID, me: CurrentUser, session: ReadSession) -> AdminUserRead:
    return await users.read(session, me, user_id)


@router.patch("/users/{user_id}")
async def update_user(
    user_id: uuid.UUID, body: AdminUserUpdate, me: CurrentUser, session: WriteSession
) -> AdminUserRead:
    """Change a user's name, title, e-mail, phone or employee number. Needs manage_users."""
    return await users.update(session, me, user_id, body)


@router.get("/groups")
async def list_groups(
    me: CurrentUser,
    session: ReadSession,
    rt: RuntimeDep,
    q: Annotated[Text, Query(max_length=100)] = "",
    archived: bool | None = None,
    before: Annotated[Text | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> GroupAdminPage:
    """Every group, newest first, with owner and member count. Needs manage_groups."""
    return await groups.page(
        session,
        me,
        query=q.strip(),
        archived=archived,
        before=before,
        limit=min(limit, rt.settings.page_max),
    )


@router.post("/groups/{group_id}/owner")
async def change_group_owner(
    group_id: uuid.UUID, body: OwnerChange, me: CurrentUser, session: WriteSession
) -> GroupAdminRead:
    """Make a member of the group its owner. Needs manage_groups."""
    return await groups.change_owner(session, me, group_id, body.user_id)


@router.post("/groups/{group_id}/archive")
async def archive_group(
    group_id: uuid.UUID, body: ArchiveChange, me: CurrentUser, session: WriteSession
) -> GroupAdminRead:
    """Archive (read-only for everyone: 403 `group_archived` on sends) or restore a group.
    Needs manage_groups."""
    return await groups.set_archived(session, me, group_id, body.archived)


@router.get("/settings")
async def read_settings(me: CurrentUser, session: ReadSession, rt: RuntimeDep) -> OrgSettings:
    """Runtime organisation settings. Needs manage_settings."""
    return await org_settings.read(session, me, rt.settings)


@router.patch("/settings", status_code=status.HTTP_200_OK)
async def update_settings(
    body: OrgSettingsUpdate, me: CurrentUser, session: WriteSession, rt: RuntimeDep
) -> OrgSettings:
    """Change them; null returns one to the environment's default. Needs manage_settings."""
    return await org_settings.update(session, me, rt.settings, body)


@router.get("/dashboard")
async def read_dashboard(
    me: CurrentUser, session: ReadSession, presence: Presence, broker: Broker
) -> Dashboard:
    """Users, online now, messages per day (30 days), storage and node health. Needs
    manage_settings."""
    return await dashboard.build(session, me, presence, broker)
