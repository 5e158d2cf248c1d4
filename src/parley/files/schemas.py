"""The public contract of files."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from parley.core.schema import ResponseModel

FileKind = Literal["image", "file", "voice", "video"]
PreviewKind = Literal["image", "pages", "document", "media", "none"]


class FileRead(ResponseModel):
    """An uploaded file as messages and the files view show it."""

    id: uuid.UUID
    name: str = Field(description="Display name (sanitised; never a path).")
    kind: FileKind = Field(description="How a message shows it: image, file, voice or video.")
    mime: str = Field(description="Type detected from the content, not from the name.")
    size: int
    width: int | None = Field(None, description="Images and videos, as displayed.")
    height: int | None = None
    duration_ms: int | None = Field(None, description="Voice, audio and video.")
    waveform: list[int] | None = Field(
        None, description="Voice: peak levels 0-100 of equal slices, for drawing."
    )
    preview: PreviewKind = Field(
        description="What GET /files/{id}/preview gives: a screen-sized image, rendered "
        "pages, an HTML document, nothing (play `url` in a media player), or none."
    )
    preview_note: dict[str, str] | None = Field(
        None, description="Why there is no preview, by language (`en`, `zh-CN`)."
    )
    url: str
    thumbnail_url: str | None = None
    uploader_id: uuid.UUID
    created_at: datetime


class SharedFile(ResponseModel):
    """A file as shared in a conversation: which message carried it, who, when."""

    file: FileRead
    message_id: uuid.UUID
    seq: int
    sender_id: uuid.UUID | None
    sender_name: str
    shared_at: datetime


class SharedFilePage(ResponseModel):
    items: list[SharedFile]
    next_cursor: str | None = Field(None, description="Pass as `before` for older files.")
