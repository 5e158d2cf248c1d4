from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from parley.core.schema import ResponseModel

Role = Literal["owner", "admin", "member"]


class ConversationRead(ResponseModel):
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
