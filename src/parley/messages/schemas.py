from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from parley.conversations.schemas import ConversationRead, Role
from parley.core.schema import RequestModel, ResponseModel

ClientMsgId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
]
Seq = Annotated[int, Field(ge=0, le=2**31 - 1)]


class MessageCreate(RequestModel):
    client_msg_id: ClientMsgId = Field(
        description="Chosen by the client; a retry is never stored twice."
    )
    text: str = Field(description="Markdown source; plain Unicode emoji welcome.")
    reply_to: uuid.UUID | None = Field(None, description="Id of the quoted message.")
    mentions: Annotated[list[uuid.UUID], Field(max_length=100)] = Field(
        default_factory=list, description="Mentioned user ids, besides @username in the text."
    )


class ReplyPreview(ResponseModel):
    id: uuid.UUID
    seq: int
    sender_id: uuid.UUID | None
    text: str


class MessageRead(ResponseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    seq: int
    sender_id: uuid.UUID | None
    kind: Literal["text", "system"]
    text: str
    client_msg_id: str | None
    reply_to: ReplyPreview | None = None
    mentions: list[uuid.UUID]
    mention_all: bool
    system: dict[str, Any] | None = None
    created_at: datetime


class MessagePage(ResponseModel):
    items: list[MessageRead]
    has_more: bool


class ReadRequest(RequestModel):
    seq: Seq


class ReadState(ResponseModel):
    conversation_id: uuid.UUID
    last_read_seq: int
    unread_count: int


class Receipts(ResponseModel):
    message_id: uuid.UUID
    seq: int
    read_count: int
    unread_count: int
    read_user_ids: list[uuid.UUID]
    unread_user_ids: list[uuid.UUID]


class ConversationSummary(ResponseModel):
    """A row of the conversation list: the conversation as this user sees it."""

    conversation: ConversationRead
    role: Role
    peer_id: uuid.UUID | None = Field(None, description="The other person, in a direct chat.")
    last_read_seq: int
    unread_count: int
    mentioned: bool
    last_message: MessageRead | None


class ConversationPage(ResponseModel):
    items: list[ConversationSummary]
    next_cursor: str | None


class SyncRequest(RequestModel):
    cursors: Annotated[dict[uuid.UUID, Seq], Field(max_length=5000)] = Field(
        default_factory=dict, description="Last seq the client has, per conversation."
    )
    limit: Annotated[int, Field(ge=1, le=1000)] = 500


class SyncResponse(ResponseModel):
    events: list[MessageRead] = Field(description="Missed log entries, by conversation then seq.")
    conversations: list[ConversationSummary] = Field(
        description="Conversations that changed or that the client did not list."
    )
    removed: list[uuid.UUID] = Field(description="Listed conversations you are no longer in.")
    next_cursors: dict[uuid.UUID, int]
    has_more: bool
