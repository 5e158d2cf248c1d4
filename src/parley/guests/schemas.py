from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import EmailStr, Field

from parley.core.schema import RequestModel, ResponseModel
from parley.core.values import UTCTime
from parley.org.schemas import Branding
from parley.users.schemas import DisplayName, Password, Username

InvitationState = Literal["active", "expired", "revoked", "used_up"]


class InvitationCreate(RequestModel):
    expires_at: UTCTime = Field(description="The link stops working then (within a year).")
    max_uses: Annotated[int, Field(ge=1, le=10_000)] | None = Field(
        None, description="How many accounts the link may create; null: any number."
    )
    group_ids: Annotated[list[uuid.UUID], Field(max_length=50)] = Field(
        default_factory=list,
        description="Groups the guest joins; you must be an admin of each.",
    )
    account_expires_at: UTCTime | None = Field(
        None, description="When the guest accounts made through the link stop working."
    )
    note: Annotated[str, Field(max_length=200)] = ""


class InvitationRead(ResponseModel):
    id: uuid.UUID
    note: str
    created_by: uuid.UUID | None
    created_at: datetime
    expires_at: datetime
    max_uses: int | None
    uses: int
    revoked_at: datetime | None
    group_ids: list[uuid.UUID]
    account_expires_at: datetime | None
    state: InvitationState


class InvitationCreated(InvitationRead):
    token: str = Field(description="Shown only now: the link is `/invite/{token}`.")
    url: str = Field(description="The path of the acceptance page in the web client.")


class InvitationPage(ResponseModel):
    items: list[InvitationRead]
    next_cursor: uuid.UUID | None


class InvitedGroup(ResponseModel):
    id: uuid.UUID
    name: str


class InvitationPreview(ResponseModel):
    """What the invitee sees before choosing an account: who invites them, to what."""

    organization: Branding
    groups: list[InvitedGroup]
    expires_at: datetime


class InvitationAccept(RequestModel):
    username: Username
    password: Password
    display_name: DisplayName
    email: EmailStr | None = None
