"""Tables of the files domain.

A `Blob` is stored content, addressed by its SHA-256, so the same bytes are kept once.
A `File` is one upload of a blob: its own name, uploader and detected type. A
`MessageFile` shares a file in a conversation; it copies the message's seq and sender
so that access checks and the files view never need the messages table (files sits
below messages in the layers)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from parley.core.clock import utcnow
from parley.core.ids import new_id
from parley.db.base import Base, UTCDateTime


class Blob(Base):
    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(127))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class File(Base):
    """An upload. Readable by its uploader until attached to a message, afterwards by
    whoever may read a message that carries it."""

    __tablename__ = "files"
    __table_args__ = (Index(None, "uploader_id", "created_at"), Index(None, "sha256"))

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    uploader_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(127))
    kind: Mapped[str] = mapped_column(String(8))  # image | file | voice | video
    size: Mapped[int] = mapped_column(BigInteger)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MessageFile(Base):
    __tablename__ = "message_files"
    __table_args__ = (Index(None, "conversation_id", "seq"), Index(None, "file_id"))

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("files.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)
    conversation_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(Integer)
    sender_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
