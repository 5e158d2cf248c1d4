"""Realtime frames of the log. Built once per event; the gateway never re-serialises."""

from __future__ import annotations

import uuid
from typing import Any

from parley.core.events import Publication, conversation_topic, publication
from parley.core.jsonutil import dumps
from parley.messages.schemas import MessageRead
from parley.messages.visibility import hidden_forms


def log_entry(frame_type: str, message: MessageRead, **control: Any) -> Publication:
    """An entry of the log (`message.new`, `message.edited`, `reaction.updated` ...),
    rendered for every reader, with the forms for members who joined after a message it
    embeds (none for most entries: a quote or a changed message older than someone's
    joining is the exception)."""

    def frame(m: MessageRead) -> bytes:
        return dumps(
            {
                "type": frame_type,
                "conversation_id": str(m.conversation_id),
                "seq": m.seq,
                "message": m.as_json(),
            }
        )

    return Publication(
        conversation_topic(message.conversation_id),
        frame(message),
        control,
        tuple((seq, frame(form)) for seq, form in hidden_forms(message)),
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
