"""The public contract of message search."""

from __future__ import annotations

import uuid

from pydantic import Field

from parley.core.schema import ResponseModel
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


class SearchPage(ResponseModel):
    items: list[SearchHit] = Field(description="Newest first.")
    next_cursor: str | None = Field(
        description="Pass as `before` for the next (older) page; null on the last page."
    )
