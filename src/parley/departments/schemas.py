from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, StringConstraints

from parley.core.schema import RequestModel, ResponseModel
from parley.users.schemas import UserRead

DepartmentName = Annotated[
    str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)
]
Title = Annotated[str, Field(max_length=100)]


class DepartmentRead(ResponseModel):
    id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    position: int
    head_id: uuid.UUID | None
    hidden: bool
    member_count: int = Field(
        description="People in this department and its sub-departments, each counted once."
    )


class DepartmentCreate(RequestModel):
    name: DepartmentName
    parent_id: uuid.UUID | None = None
    position: Annotated[int, Field(ge=0, le=100_000)] | None = Field(
        None, description="Index among the siblings; at the end when omitted."
    )
    head_id: uuid.UUID | None = None
    hidden: bool = False


class DepartmentUpdate(RequestModel):
    """Omitted fields stay. `parent_id` null moves the department to the top level;
    moving it under itself or its own sub-department is refused."""

    name: DepartmentName | None = None
    parent_id: uuid.UUID | None = None
    position: Annotated[int, Field(ge=0, le=100_000)] | None = None
    head_id: uuid.UUID | None = None
    hidden: bool | None = None


class Membership(RequestModel):
    department_id: uuid.UUID
    title: Title = ""
    primary: bool = False


class MembershipRead(ResponseModel):
    department_id: uuid.UUID
    title: str
    primary: bool
    path: list[str] = Field(description="Department names from the top of the tree down.")


class UserOrgUpdate(RequestModel):
    """A person's departments (one primary: the first when none is marked) and manager."""

    departments: Annotated[list[Membership], Field(max_length=50)]
    manager_id: uuid.UUID | None = None


class UserOrgRead(ResponseModel):
    user_id: uuid.UUID
    departments: list[MembershipRead]
    manager: UserRead | None


class DepartmentGroupCreate(RequestModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = Field(
        None, description="The group's name; the department's when omitted."
    )
    include_subtree: bool = Field(True, description="Sub-departments' people are members too.")


class DepartmentGroupUpdate(RequestModel):
    include_subtree: bool


class DepartmentGroupRead(ResponseModel):
    conversation_id: uuid.UUID
    department_id: uuid.UUID
    include_subtree: bool


class DirectoryEntry(ResponseModel):
    user: UserRead
    title: str = Field(description="The title in the primary department (or the account's).")
    department_path: list[str] = Field(description="The primary department, from the top down.")


class DirectoryPage(ResponseModel):
    items: list[DirectoryEntry]
    next_cursor: str | None


class DirectoryCard(ResponseModel):
    """A colleague's card: contact fields are null where the organisation hides them."""

    user: UserRead
    title: str
    departments: list[MembershipRead]
    manager: UserRead | None
    email: str | None = None
    phone: str | None = None
    employee_no: str | None = None
    time_zone: str = Field("", description='IANA zone of the person\'s local time; "" unknown.')
