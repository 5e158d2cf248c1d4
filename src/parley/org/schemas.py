from __future__ import annotations

from typing import Annotated

from pydantic import EmailStr, Field

from parley.core.schema import RequestModel, ResponseModel
from parley.users.schemas import DisplayName, LoginResponse, Password, Username


class SetupRequest(RequestModel):
    organization_name: Annotated[str, Field(min_length=1, max_length=100)]
    username: Username
    password: Password
    display_name: DisplayName
    email: EmailStr | None = None


class SetupState(ResponseModel):
    needs_setup: bool
    organization_name: str | None


class SetupResponse(ResponseModel):
    organization_name: str
    login: LoginResponse
