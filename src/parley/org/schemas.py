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


class Branding(ResponseModel):
    organization_name: str
    primary_color: str = Field(description="#RRGGBB")
    logo_url: str | None = Field(None, description="A data: URL of the logo, or null.")


class BrandingUpdate(RequestModel):
    organization_name: Annotated[str, Field(max_length=100)] | None = None
    primary_color: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] | None = None
    logo_url: Annotated[str, Field(max_length=400_000)] | None = None
