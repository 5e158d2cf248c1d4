from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from parley.core.schema import ResponseModel

Role = Literal["owner", "admin", "member"]
# The lowest group role allowed to do something: everyone, or the group's admins.
AllowedRole = Literal["admin", "member"]


class GroupPermissions(ResponseModel):
    """A group's permission settings, changed by its owner and admins."""

    invite_role: AllowedRole = Field(description="Who may add people.")
    mention_all_role: AllowedRole = Field(
        description="Who may @all (the organisation's `all_mention_role` still applies)."
    )
    pin_role: AllowedRole = Field(description="Who may pin messages.")
    edit_info_role: AllowedRole = Field(description="Who may change name, topic, announcement.")
    join_approval: bool = Field(description="Invitations by plain members need an admin's yes.")
    max_members: int | None = Field(description="Most members the group takes; null: no limit.")
    history_visible: bool = Field(description="New members read the log from its start.")


class ConversationRead(GroupPermissions):
    id: uuid.UUID
    type: Literal["direct", "group"]
    name: str
    topic: str
    announcement: str
    admins_only: bool
    last_seq: int
    last_activity_at: datetime
    created_by: uuid.UUID
    created_at: datetime


class MemberRead(ResponseModel):
    user_id: uuid.UUID
    role: Role
    last_read_seq: int
    joined_at: datetime
    muted_until: datetime | None = Field(description="Muted by a group admin until then.")
