"""HTTP shape of roles and permissions: the catalogue, custom roles, a user's roles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from parley.access.permissions import Permission, SystemRole
from parley.core.schema import RequestModel, ResponseModel
from parley.core.values import Text

RoleName = Annotated[Text, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
RoleDescription = Annotated[Text, StringConstraints(max_length=300)]
# MiB; 1 TiB is far beyond any storage, so larger is a typing slip.
UploadMb = Annotated[int, Field(ge=1, le=1_048_576)]
Permissions = Annotated[list[Permission], Field(max_length=len(Permission))]


class PermissionInfo(ResponseModel):
    name: Permission
    label_zh: str
    label_en: str
    description_zh: str
    description_en: str


class SystemRoleInfo(ResponseModel):
    name: SystemRole
    permissions: list[Permission]


class Catalogue(ResponseModel):
    """Every permission with its zh-CN and en label, and what each system role holds."""

    permissions: list[PermissionInfo]
    system_roles: list[SystemRoleInfo]


class RoleCreate(RequestModel):
    name: RoleName
    description: RoleDescription = ""
    permissions: Permissions = Field(default_factory=list)
    max_upload_mb: UploadMb | None = Field(
        None,
        description="The largest file its holders may upload, in MiB; null: the organisation's.",
    )


class RoleUpdate(RequestModel):
    name: RoleName | None = None
    description: RoleDescription | None = None
    permissions: Permissions | None = None
    max_upload_mb: UploadMb | None = None


class RoleRead(ResponseModel):
    id: uuid.UUID
    name: str
    description: str
    permissions: list[Permission]
    max_upload_mb: int | None
    created_at: datetime
    holders: int = Field(0, description="How many users hold the role.")


class UserRoles(ResponseModel):
    user_id: uuid.UUID
    system_role: SystemRole
    role_ids: list[uuid.UUID]


class UserRolesUpdate(RequestModel):
    """Either or both: the system role (needs manage_users), the custom roles, replacing
    the current ones (needs manage_roles)."""

    system_role: SystemRole | None = None
    role_ids: Annotated[list[uuid.UUID], Field(max_length=100)] | None = None
