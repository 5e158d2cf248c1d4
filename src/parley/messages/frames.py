"""Realtime frames of the log. Built once per event; the gateway never re-serialises."""

from __future__ import annotations

import uuid
from typing import Any

from parley.core.events import Publication, conversation_topic, publication
from parley.messages.schemas import MessageRead


def log_entry(frame_type: str, message: MessageRead, **control: Any) -> Publication:
    """An entry of the log (`message.new`, `message.edited`, `reaction.updated` ...)."""
    return publication(
        conversation_topic(message.conversation_id),
        {
            "type": frame_type,
            "conversation_id": str(message.conversation_id),
            "seq": message.seq,
            "message": message.as_json(),
        },
        **control,
    )


def read_updated(conversation_id: uuid.UUID, user_id: uuid.UUID, seq: int) -> Publication:
    return publication(
        conversation_topic(conversation_id),
        {
            "type": "read.updated",
            "conversation_id": str(conversation_id),
            "user_id": str(user_id),
            "last_read_seq": seq,
        },
    )
