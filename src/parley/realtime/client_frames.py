"""Frames a client may send. Each `type` maps to one model and one handler."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field

from parley.calls.schemas import CallFrame, MeetingFrame
from parley.core.schema import RequestModel
from parley.messages.schemas import MessageCreate, Seq

MAX_REF_CHARS = 64
Ref = Annotated[str, Field(max_length=MAX_REF_CHARS)]


class AuthFrame(RequestModel):
    type: Literal["auth"]
    token: Annotated[str, Field(max_length=200)]


class SendFrame(MessageCreate):
    type: Literal["message.send"]
    conversation_id: uuid.UUID
    ref: Ref | None = None


class ReadFrame(RequestModel):
    type: Literal["read"]
    conversation_id: uuid.UUID
    seq: Seq
    ref: Ref | None = None


class TypingFrame(RequestModel):
    type: Literal["typing"]
    conversation_id: uuid.UUID


class PingFrame(RequestModel):
    type: Literal["ping"]
    ref: Ref | None = None


class PongFrame(RequestModel):
    type: Literal["pong"]
    t: float | None = None


class PresenceQueryFrame(RequestModel):
    type: Literal["presence.query"]
    user_ids: Annotated[list[uuid.UUID], Field(max_length=1000)]
    ref: Ref | None = None


ClientFrame = Annotated[
    SendFrame
    | ReadFrame
    | TypingFrame
    | PingFrame
    | PongFrame
    | PresenceQueryFrame
    | AuthFrame
    | CallFrame
    | MeetingFrame,
    Field(discriminator="type"),
]
