"""Realtime frames about conversations themselves (not entries of their log)."""

from __future__ import annotations

import uuid

from parley.conversations.models import Conversation
from parley.conversations.schemas import ConversationRead
from parley.core.events import Publication, conversation_topic, publication, user_topic
from parley.groups.models import JoinRequest
from parley.groups.schemas import JoinRequestRead


def _conversation(c: Conversation) -> dict[str, object]:
    return ConversationRead.model_validate(c).model_dump(mode="json")


def added(c: Conversation, user_id: uuid.UUID, joined_seq: int) -> Publication:
    """To one user's devices: you are now in this conversation, readable from
    `joined_seq` on (subscribe them first; the hub picks their frames' forms by it)."""
    return publication(
        user_topic(user_id),
        {"type": "conversation.added", "conversation": _conversation(c)},
        join={str(c.id): joined_seq},
    )


def routed(c: Conversation, user_id: uuid.UUID, joined_seq: int) -> Publication:
    """Route the conversation's events to one user's sockets without a frame: the other
    person of a new direct chat hears of it from its first message, not before."""
    return Publication(user_topic(user_id), b"", {"join": {str(c.id): joined_seq}})


def updated(c: Conversation) -> Publication:
    return publication(
        conversation_topic(c.id),
        {
            "type": "conversation.updated",
            "conversation_id": str(c.id),
            "seq": c.last_seq,
            "conversation": _conversation(c),
        },
    )


def removed(c: Conversation, user_id: uuid.UUID, reason: str) -> Publication:
    return publication(
        user_topic(user_id),
        {"type": "conversation.removed", "conversation_id": str(c.id), "reason": reason},
        leave=[str(c.id)],
    )


def join_requests(
    conversation_id: uuid.UUID, admin_id: uuid.UUID, items: list[JoinRequest]
) -> Publication:
    """To one group admin's devices: the group's pending join requests, as they are now."""
    return publication(
        user_topic(admin_id),
        {
            "type": "group.join_requests",
            "conversation_id": str(conversation_id),
            "requests": [JoinRequestRead.model_validate(r).model_dump(mode="json") for r in items],
        },
    )
