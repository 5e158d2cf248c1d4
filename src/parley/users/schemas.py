from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

from parley.access.permissions import Permission, SystemRole
from parley.core.schema import RequestModel, ResponseModel
from parley.core.values import UTCTime

Username = Annotated[
    str, StringConstraints(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Password = Annotated[str, Field(min_length=1, max_length=256)]
Phone = Annotated[str, StringConstraints(max_length=32, pattern=r"^[0-9+()\- ]*$")]


def _known_time_zone(name: str) -> str:
    if name and name not in available_timezones():
        raise ValueError("not an IANA time zone name (e.g. Asia/Shanghai)")
    return name


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_known_time_zone)]


class UserRead(ResponseModel):
    id: uuid.UUID
    username: str
    display_name: str
    title: str
    status_text: str
    role: SystemRole | None = Field(
        description="The account role; null unless the caller is an administrator or this user."
    )
    is_active: bool
    avatar_url: str | None = Field(
        None, description="The profile picture (`?size=64|128|256`, WebP), or null."
    )
    external: bool = Field(
        False, description="A guest from outside the organisation (the “External” badge)."
    )


class AccountRead(UserRead):
    """A user as they themselves (and administrators) see the account."""

    email: str | None
    time_zone: str = Field("", description="IANA time zone of the profile card's local time.")
    expires_at: datetime | None = Field(
        None, description="After this moment the account can no longer sign in; null: never."
    )
    must_change_password: bool = Field(
        description="An administrator set the password: until it is changed, only "
        "GET /users/me, POST /auth/password and POST /auth/logout are served."
    )


class MeRead(AccountRead):
    """The signed-in account with what it may do: the client shows only what is allowed."""

    permissions: list[Permission] = Field(
        description="The effective permissions: the system role's and every custom role's."
    )


class UserCreate(RequestModel):
    username: Username
    password: Password
    display_name: DisplayName
    email: EmailStr | None = None
    title: Annotated[str, Field(max_length=100)] = ""
    role: SystemRole = "member"
    phone: Phone = ""
    employee_no: Annotated[str, Field(max_length=32)] = ""
    must_change_password: bool = Field(
        True, description="The user must choose their own password at their first login."
    )
    expires_at: UTCTime | None = Field(
        None, description="The account stops working at this moment (e.g. a guest's)."
    )


class ExpiryUpdate(RequestModel):
    expires_at: UTCTime | None = Field(
        description="When the account stops working; a past moment ends it now; null: never."
    )


class PasswordReset(RequestModel):
    new_password: Password
    must_change_password: bool = Field(
        True, description="The user must choose their own password at their next login."
    )


class Registration(RequestModel):
    username: Username
    password: Password
    display_name: DisplayName
    email: EmailStr | None = None


class ProfileUpdate(RequestModel):
    display_name: DisplayName | None = None
    title: Annotated[str, Field(max_length=100)] | None = None
    status_text: Annotated[str, Field(max_length=200)] | None = None
    phone: Phone | None = None
    time_zone: TimeZone | None = Field(
        None, description='IANA name, e.g. Asia/Shanghai; "" clears it.'
    )


class UserPage(ResponseModel):
    items: list[UserRead]
    next_cursor: str | None


class LoginRequest(RequestModel):
    login: Annotated[str, Field(min_length=1, max_length=254, description="Username or email")]
    password: Password


class LoginResponse(ResponseModel):
    token: str
    expires_at: datetime
    session_id: uuid.UUID
    user: AccountRead


class SessionRead(ResponseModel):
    id: uuid.UUID
    user_agent: str
    ip: str
    created_at: datetime
    expires_at: datetime
    current: bool = False


class PasswordChange(RequestModel):
    current_password: Password
    new_password: Password


class SecurityAlertRead(ResponseModel):
    id: uuid.UUID
    kind: Literal["login_ceiling", "file_infected"]
    login: str
    user_id: uuid.UUID | None
    detail: str
    created_at: datetime


class SecurityAlertPage(ResponseModel):
    items: list[SecurityAlertRead]
    next_cursor: uuid.UUID | None


class PasswordPolicyRead(ResponseModel):
    """What a new password must be, for forms to say so before it is sent."""

    min_length: int
    max_length: int
    min_score: int = Field(description="Lowest zxcvbn strength estimate (0-4) accepted.")
    history: int = Field(description="A new password may not be one of the last N (0: off).")
    expiry_days: int = Field(description="Days a password lasts before it must change (0: never).")
