"""The admin console's public contract."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import EmailStr, Field

from parley.access.permissions import SystemRole
from parley.core.schema import RequestModel, ResponseModel
from parley.users.schemas import DisplayName, Phone


class AdminUserRead(ResponseModel):
    """An account as the console shows it: every field, including contact details."""

    id: uuid.UUID
    username: str
    display_name: str
    title: str
    email: str | None
    phone: str
    employee_no: str
    role: SystemRole
    is_active: bool
    must_change_password: bool
    created_at: datetime
    avatar_url: str | None = None


class AdminUserPage(ResponseModel):
    items: list[AdminUserRead]
    next_cursor: str | None = Field(description="Pass as `after` for the next page.")


class AdminUserUpdate(RequestModel):
    """Omitted fields stay; `email` null removes the address."""

    display_name: DisplayName | None = None
    title: Annotated[str, Field(max_length=100)] | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    employee_no: Annotated[str, Field(max_length=32)] | None = None


UserStatus = Literal["all", "active", "disabled"]


class ImportIssue(ResponseModel):
    field: str = Field(description="The column, or `row` for the whole row.")
    code: str = Field(
        description="missing_value, invalid_value, duplicate_in_file, username_taken, "
        "email_taken, unknown_role, role_not_allowed, unknown_department"
    )
    message: str


class ImportRow(ResponseModel):
    line: int = Field(description="Line number in the file (the header is line 1).")
    username: str
    display_name: str
    email: str | None
    department: str
    role: str
    errors: list[ImportIssue]


class ImportReport(ResponseModel):
    """What an import would do (dry run) or refused to do: every row with its errors."""

    dry_run: bool
    encoding: Literal["utf-8", "utf-8-sig", "gbk"]
    total: int
    error_count: int = Field(description="Rows with at least one error; 0: ready to apply.")
    rows: list[ImportRow]


class CreatedAccount(ResponseModel):
    username: str
    display_name: str
    password: str = Field(description="One-time password; the user must change it. Shown once.")


class ImportResult(ResponseModel):
    created: list[CreatedAccount]


class GroupAdminRead(ResponseModel):
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    member_count: int
    created_at: datetime
    last_activity_at: datetime
    archived: bool


class GroupAdminPage(ResponseModel):
    items: list[GroupAdminRead]
    next_cursor: str | None


class OwnerChange(RequestModel):
    user_id: uuid.UUID


class ArchiveChange(RequestModel):
    archived: bool


class DayCount(ResponseModel):
    day: date
    messages: int


class UserCounts(ResponseModel):
    active: int = Field(description="Enabled accounts, guests excluded.")
    disabled: int
    guests: int = Field(description="Enabled guest accounts.")


class NodeHealth(ResponseModel):
    database: bool
    broker: bool


class Dashboard(ResponseModel):
    users: UserCounts
    online_now: int
    messages_today: int = Field(description="Messages sent since 00:00 UTC.")
    messages_per_day: list[DayCount] = Field(description="The last 30 days (UTC), oldest first.")
    storage_bytes: int = Field(description="Bytes of stored files (each distinct file once).")
    file_count: int
    health: NodeHealth
