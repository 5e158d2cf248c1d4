from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from parley.conversations.schemas import AllowedRole, MemberRead
from parley.core.schema import RequestModel, ResponseModel
from parley.messages.schemas import ConversationSummary

UserIds = Annotated[list[uuid.UUID], Field(min_length=1, max_length=1000)]
GroupName = Annotated[str, Field(min_length=1, max_length=100)]


class DirectCreate(RequestModel):
    type: Literal["direct"]
    user_id: uuid.UUID


class GroupCreate(RequestModel):
    type: Literal["group"]
    name: GroupName
    member_ids: Annotated[list[uuid.UUID], Field(max_length=1000)] = Field(default_factory=list)
    topic: Annotated[str, Field(max_length=250)] = ""


ConversationCreate = Annotated[DirectCreate | GroupCreate, Field(discriminator="type")]


class ConversationUpdate(RequestModel):
    name: GroupName | None = None
    topic: Annotated[str, Field(max_length=250)] | None = None
    announcement: Annotated[str, Field(max_length=4000)] | None = None
    admins_only: bool | None = Field(None, description="Mute the group: only admins post.")


class MembersChange(RequestModel):
    user_ids: UserIds


class MembersAdded(ResponseModel):
    added: list[uuid.UUID] = Field(description="Now members.")
    pending: list[uuid.UUID] = Field(
        description="Invited by a plain member of a group with join approval: they join "
        "when a group admin approves."
    )


class PermissionsUpdate(RequestModel):
    """Only the fields given change; `max_members` null removes the limit."""

    invite_role: AllowedRole | None = None
    mention_all_role: AllowedRole | None = None
    pin_role: AllowedRole | None = None
    edit_info_role: AllowedRole | None = None
    join_approval: bool | None = None
    max_members: Annotated[int, Field(ge=2, le=100_000)] | None = None
    history_visible: bool | None = None


class MuteChange(RequestModel):
    until: AwareDatetime | None = Field(
        description="Muted until then (in the future); null ends the mute now."
    )


class JoinRequestRead(ResponseModel):
    user_id: uuid.UUID
    invited_by: uuid.UUID | None
    created_at: datetime


class RoleChange(RequestModel):
    role: Literal["admin", "member"]


class OwnerTransfer(RequestModel):
    user_id: uuid.UUID


class ConversationDetail(ConversationSummary):
    member_count: int


class MemberPage(ResponseModel):
    items: list[MemberRead]
    next_cursor: uuid.UUID | None


class SettingsUpdate(RequestModel):
    muted: bool | None = Field(None, description="No notifications from this conversation.")
    pinned: bool | None = Field(None, description="Keep it at the top of the list.")
    archived: bool | None = Field(None, description="Hide it until something new arrives.")
    draft: Annotated[str, Field(max_length=10_000)] | None = Field(
        None, description="Unsent text, kept for your other devices."
    )
