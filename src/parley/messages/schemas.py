from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, StringConstraints

from parley.conversations.schemas import ConversationRead, Role
from parley.core.schema import RequestModel, ResponseModel
from parley.core.values import Int32
from parley.files.schemas import FileRead

ClientMsgId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
]
Seq = Int32


class MessageCreate(RequestModel):
    client_msg_id: ClientMsgId = Field(
        description="Chosen by the client; a retry is never stored twice."
    )
    text: str = Field(
        description='Markdown source; plain Unicode emoji welcome. May be empty ("") when '
        "the message carries attachments."
    )
    reply_to: uuid.UUID | None = Field(None, description="Id of the quoted message.")
    mentions: Annotated[list[uuid.UUID], Field(max_length=100)] = Field(
        default_factory=list, description="Mentioned user ids, besides @username in the text."
    )
    attachments: Annotated[list[uuid.UUID], Field(max_length=20)] = Field(
        default_factory=list, description="Ids of uploaded files (POST /files) to carry."
    )


class ReplyPreview(ResponseModel):
    id: uuid.UUID
    seq: int
    sender_id: uuid.UUID | None
    text: str
    recalled: bool = False
    hidden: bool = Field(
        False, description="The quoted message predates your joining: only its id and seq show."
    )


class ReactionSummary(ResponseModel):
    emoji: str
    count: int
    user_ids: list[uuid.UUID] = Field(description="Who reacted, earliest first (at most 50).")


MessageKind = Literal["text", "forward", "system", "edit", "recall", "reaction", "pin"]


class MessageRead(ResponseModel):
    """An entry of the log. Change entries (edit, recall, reaction, pin) carry the current
    state of the message they changed in `target`; clients replace their copy with it.
    `target` is null when that message predates the reader's joining."""

    id: uuid.UUID
    conversation_id: uuid.UUID
    seq: int
    sender_id: uuid.UUID | None
    kind: MessageKind
    text: str
    client_msg_id: str | None
    reply_to: ReplyPreview | None = None
    mentions: list[uuid.UUID]
    mention_all: bool
    system: dict[str, Any] | None = Field(None, description="What a system event records.")
    change: dict[str, Any] | None = Field(None, description="What a change entry did.")
    forward: dict[str, Any] | None = Field(None, description="A merged chat-history card.")
    forwarded_from: dict[str, Any] | None = None
    edited_at: datetime | None = None
    recalled: bool = False
    recalled_by: uuid.UUID | None = None
    reactions: list[ReactionSummary] = Field(default_factory=list)
    attachments: list[FileRead] = Field(default_factory=list, description="Files it carries.")
    target_id: uuid.UUID | None = None
    target: MessageRead | None = None
    created_at: datetime

    _json: dict[str, Any] | None = PrivateAttr(None)

    def as_json(self) -> dict[str, Any]:
        """The JSON form, built once: a new message goes out in its broadcast and again in
        its sender's ack. Read-only: the dict is shared."""
        if self._json is None:
            self._json = self.model_dump(mode="json")
        return self._json


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


class MemberSettings(ResponseModel):
    muted: bool
    pinned: bool
    archived: bool
    draft: str


class ConversationSummary(ResponseModel):
    """A row of the conversation list: the conversation as this user sees it."""

    conversation: ConversationRead
    role: Role
    muted_until: datetime | None = Field(
        None, description="A group admin muted you (禁言): your sends are refused until then."
    )
    settings: MemberSettings
    peer_id: uuid.UUID | None = Field(None, description="The other person, in a direct chat.")
    external: bool = Field(
        False, description="A group with guests (external accounts) in it: shown as external."
    )
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


class MessageEdit(RequestModel):
    text: str


class MessageVersion(ResponseModel):
    text: str
    at: datetime


class EditHistory(ResponseModel):
    message_id: uuid.UUID
    versions: list[MessageVersion]


class PinRead(ResponseModel):
    message: MessageRead
    pinned_by: uuid.UUID
    pinned_at: datetime


class FavoriteCreate(RequestModel):
    message_id: uuid.UUID


class FavoriteRead(ResponseModel):
    message: MessageRead
    saved_at: datetime


class FavoritePage(ResponseModel):
    items: list[FavoriteRead]
    next_cursor: str | None


class MessagePageByCursor(ResponseModel):
    items: list[MessageRead]
    next_cursor: uuid.UUID | None


class ForwardRequest(RequestModel):
    conversation_id: uuid.UUID = Field(description="Where the messages are now.")
    message_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=100)]
    target_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=20)]
    merge: bool = Field(False, description="One chat-history card instead of copies.")
    client_msg_id: Annotated[
        str, StringConstraints(min_length=1, max_length=48, pattern=r"^[A-Za-z0-9._-]+$")
    ]


class MessageInContext(ResponseModel):
    conversation_id: uuid.UUID
    message: MessageRead
    context: list[MessageRead]
    link: str = Field(description="The client route of this message.")
