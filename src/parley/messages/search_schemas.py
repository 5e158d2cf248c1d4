"""The public contract of message search."""

from __future__ import annotations

import uuid

from pydantic import Field

from parley.core.schema import ResponseModel
from parley.files.schemas import SharedFile
from parley.messages.schemas import MessageRead


class MessageLink(ResponseModel):
    """Where to open a message in context: fetch its conversation around `seq`."""

    conversation_id: uuid.UUID
    message_id: uuid.UUID
    seq: int


class SearchHit(ResponseModel):
    message: MessageRead
    conversation_id: uuid.UUID
    seq: int
    snippet: str = Field(description="Plain text around the first match (no markup).")
    highlights: list[tuple[int, int]] = Field(
        description="Matched words as [start, end) offsets into `snippet`, counted in "
        "Unicode code points, ascending and non-overlapping."
    )
    link: MessageLink


class FileHit(SharedFile):
    """A file whose name matched, as shared in a conversation the caller may read."""

    conversation_id: uuid.UUID
    highlights: list[tuple[int, int]] = Field(
        description="Matched words as [start, end) offsets into `file.name` (code points)."
    )
    link: MessageLink = Field(description="The message that shared it, to open in context.")


class SearchPage(ResponseModel):
    items: list[SearchHit] = Field(
        description="Messages: whole-word matches newest first, then messages matching "
        "only as a Chinese substring (`下班前` for `班前`), newest first."
    )
    files: list[FileHit] = Field(
        default_factory=list,
        description="First page only (no `before`): files whose name contains every word "
        "of the query, newest first, at most `limit`.",
    )
    next_cursor: str | None = Field(
        description="Pass as `before` for the next (older) page; null on the last page."
    )
