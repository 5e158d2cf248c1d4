"""HTTP shape of the department tree, department groups and the directory."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from parley.core.values import Text
from parley.departments import directory, groups, service
from parley.departments.schemas import (
    DepartmentCreate,
    DepartmentGroupCreate,
    DepartmentGroupRead,
    DepartmentGroupUpdate,
    DepartmentRead,
    DepartmentUpdate,
    DirectoryCard,
    DirectoryPage,
    UserOrgRead,
    UserOrgUpdate,
)
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.users.deps import CurrentUser

router = APIRouter(tags=["departments"])

Cursor = Annotated[Text | None, Query(max_length=64)]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/departments")
async def list_departments(me: CurrentUser, session: ReadSession) -> list[DepartmentRead]:
    """The tree, depth first (siblings in their order), with member counts. Hidden
    departments are listed only for those who may edit the tree."""
    return await service.read_tree(session, me)


@router.post("/departments", status_code=status.HTTP_201_CREATED)
async def create_department(
    body: DepartmentCreate, me: CurrentUser, session: WriteSession
) -> DepartmentRead:
    """Needs `manage_departments`."""
    return await service.create(session, me, body)


@router.patch("/departments/{department_id}")
async def update_department(
    department_id: uuid.UUID, body: DepartmentUpdate, me: CurrentUser, session: WriteSession
) -> DepartmentRead:
    """Rename, move (refused under its own sub-department: 409 `department_cycle`),
    reorder, set the head, hide. Needs `manage_departments`."""
    return await service.update(session, me, department_id, body)


@router.delete("/departments/{department_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_department(
    department_id: uuid.UUID,
    me: CurrentUser,
    session: WriteSession,
    move_to: uuid.UUID | None = None,
) -> None:
    """409 `department_not_empty` while it has people or sub-departments, unless
    `move_to` names where they go. Needs `manage_departments`."""
    await service.delete(session, me, department_id, move_to)


@router.get("/departments/{department_id}/members")
async def department_members(
    department_id: uuid.UUID,
    me: CurrentUser,
    session: ReadSession,
    rt: RuntimeDep,
    after: Cursor = None,
    limit: Limit = 50,
) -> DirectoryPage:
    """The people placed directly in this department."""
    return await directory.department_members(
        session, me, department_id, after=after, limit=min(limit, rt.settings.page_max)
    )


@router.get("/departments/{department_id}/groups")
async def department_groups(
    department_id: uuid.UUID, me: CurrentUser, session: ReadSession
) -> list[DepartmentGroupRead]:
    return await groups.of_department(session, me, department_id)


@router.post("/departments/{department_id}/groups", status_code=status.HTTP_201_CREATED)
async def create_department_group(
    department_id: uuid.UUID, body: DepartmentGroupCreate, me: CurrentUser, session: WriteSession
) -> DepartmentGroupRead:
    """A group whose members follow the department. Needs `create_department_groups`."""
    return await groups.create(session, me, department_id, body)


@router.patch("/department-groups/{conversation_id}")
async def update_department_group(
    conversation_id: uuid.UUID, body: DepartmentGroupUpdate, me: CurrentUser, session: WriteSession
) -> DepartmentGroupRead:
    """Include sub-departments or not; members are moved at once."""
    return await groups.update(session, me, conversation_id, body)


@router.get("/users/{user_id}/org")
async def read_user_org(user_id: uuid.UUID, me: CurrentUser, session: ReadSession) -> UserOrgRead:
    """A person's departments, titles and manager (their own, or with `manage_departments`)."""
    return await service.read_user_org(session, me, user_id)


@router.put("/users/{user_id}/org")
async def set_user_org(
    user_id: uuid.UUID, body: UserOrgUpdate, me: CurrentUser, session: WriteSession
) -> UserOrgRead:
    """Place a person in departments (one primary) and set their manager; department
    groups follow. Needs `manage_departments`."""
    return await service.set_user_org(session, me, user_id, body)


@router.get("/directory")
async def search_directory(
    me: CurrentUser,
    session: ReadSession,
    rt: RuntimeDep,
    q: Annotated[Text, Query(max_length=100)] = "",
    after: Cursor = None,
    limit: Limit = 50,
) -> DirectoryPage:
    """Colleagues by name, pinyin (`zhangsan`), initials (`zs`), and by e-mail or phone
    where the organisation shows those. Needs `view_directory`."""
    return await directory.search(
        session, me, q.strip(), after=after, limit=min(limit, rt.settings.page_max)
    )


@router.get("/directory/users/{user_id}")
async def directory_card(
    user_id: uuid.UUID, me: CurrentUser, session: ReadSession
) -> DirectoryCard:
    """A colleague's profile card: departments, title, manager, contact fields shown."""
    return await directory.card(session, me, user_id)
