from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from parley.core.clock import utcnow
from parley.core.ids import new_id
from parley.db.base import Base, UTCDateTime


class Message(Base):
    """One entry of a conversation's log.

    Content kinds: `text`, `forward` (a merged chat-history card), `system`. Change kinds
    point at the message they change with `target_id`: `edit` (its `text` keeps the
    version it replaced, for the edit history), `recall`, `reaction`, `pin`."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq"),
        UniqueConstraint("conversation_id", "sender_id", "client_msg_id"),
        Index(None, "target_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    sender_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # text | system
    text: Mapped[str] = mapped_column(Text, default="")
    client_msg_id: Mapped[str | None] = mapped_column(String(64))
    reply_to_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    mentions: Mapped[list[str]] = mapped_column(JSON, default=list)
    mention_all: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    target_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recalled_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(slots=True)
class NewText:
    """A plain text message as the batched send path builds it: every column of
    `messages`, without an ORM object's instrumentation (a tenth of a busy node's time
    went to constructing them; bench/README.md). Stored by `repository.insert_many`."""

    id: uuid.UUID
    conversation_id: uuid.UUID
    sender_id: uuid.UUID
    text: str
    client_msg_id: str
    created_at: datetime
    seq: int = 0
    kind: str = "text"
    reply_to_id: uuid.UUID | None = None
    mentions: list[str] = field(default_factory=list)
    mention_all: bool = False
    payload: dict[str, Any] | None = None
    target_id: uuid.UUID | None = None
    edited_at: datetime | None = None
    recalled_at: datetime | None = None
    recalled_by: uuid.UUID | None = None


Entry = Message | NewText  # what the renderer and the search index read


class Reaction(Base):
    __tablename__ = "reactions"

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    emoji: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Pin(Base):
    __tablename__ = "pins"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    pinned_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    pinned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Favorite(Base):
    """A message a user saved. It stays readable only while the user may read the source."""

    __tablename__ = "favorites"
    __table_args__ = (Index(None, "user_id", "created_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MessageMention(Base):
    """Who a message mentions by name (`@all` is a flag on the message, not rows)."""

    __tablename__ = "message_mentions"
    __table_args__ = (Index(None, "user_id", "message_id"),)

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(Uuid)
