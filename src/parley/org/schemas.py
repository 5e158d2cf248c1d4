from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, Field

from parley.core.schema import RequestModel, ResponseModel
from parley.users.schemas import DisplayName, LoginResponse, Password, Username, UserRead


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


ProfileField = Literal["email", "phone", "employee_no"]


class ProfileFields(ResponseModel):
    fields: list[ProfileField] = Field(
        description="Contact fields every colleague sees on a profile card; admins and the "
        "person themselves always see all."
    )


class ProfileFieldsUpdate(RequestModel):
    fields: Annotated[list[ProfileField], Field(max_length=3)]


class ProfileCard(ResponseModel):
    """A person as a colleague sees them: contact fields are null when hidden from you."""

    user: UserRead
    email: str | None = None
    phone: str | None = None
    employee_no: str | None = None


class OrgSettings(ResponseModel):
    """Runtime settings; each `*_default` is the environment's value, used when reset."""

    self_registration: bool = Field(description="Anyone may create their own account.")
    max_upload_mb: int = Field(description="Largest file one upload may carry, in MiB.")
    self_registration_default: bool
    max_upload_mb_default: int


class OrgSettingsUpdate(RequestModel):
    """Omitted fields stay; null returns the setting to the environment's default."""

    self_registration: bool | None = None
    max_upload_mb: Annotated[int, Field(ge=1, le=1_048_576)] | None = None
