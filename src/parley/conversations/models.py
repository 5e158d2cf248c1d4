from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Row, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from parley.core.clock import utcnow
from parley.core.ids import new_id
from parley.db.base import Base, UTCDateTime


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    type: Mapped[str] = mapped_column(String(8))  # direct | group
    name: Mapped[str] = mapped_column(String(100), default="")
    topic: Mapped[str] = mapped_column(String(250), default="")
    announcement: Mapped[str] = mapped_column(Text, default="")
    # "<smaller user id>:<larger user id>" for direct chats: at most one per pair.
    direct_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    admins_only: Mapped[bool] = mapped_column(Boolean, default=False)  # "mute all"
    # Group permission settings (groups/permissions.py): the lowest group role allowed to
    # invite, to @all (stricter of this and the organisation's), to pin, to edit the info.
    invite_role: Mapped[str] = mapped_column(String(8), default="admin")
    mention_all_role: Mapped[str] = mapped_column(String(8), default="member")
    pin_role: Mapped[str] = mapped_column(String(8), default="admin")
    edit_info_role: Mapped[str] = mapped_column(String(8), default="admin")
    # Invitations by plain members wait for a group admin's approval (groups/models.py).
    join_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    max_members: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    # New members read the log from its start instead of from their joining.
    history_visible: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_message_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    all_mention_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # Set when an administrator archived the group: readable, but nobody posts in it.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Member(Base):
    """A current member. Removal deletes the row, and with it every access."""

    __tablename__ = "members"
    __table_args__ = (Index(None, "user_id"),)

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(8), default="member")  # owner | admin | member
    # The first seq this member may read: history before they joined stays hidden.
    joined_seq: Mapped[int] = mapped_column(Integer, default=1)
    last_read_seq: Mapped[int] = mapped_column(Integer, default=0)
    mention_seq: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Personal settings of this member for this conversation.
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Archived ("hidden") until the conversation is active again after this moment; only
    # content counts as activity, so a reaction does not bring it back.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    draft: Mapped[str] = mapped_column(Text, default="")
    # Muted by a group admin (禁言): their sends are refused until then.
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


# A conversation or membership as an ORM object, or as a read-only row of its columns
# (hot read paths: `repository.memberships_of`); readers use the column names either way.
ConversationView = Conversation | Row[Any]
MemberView = Member | Row[Any]
