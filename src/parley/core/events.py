"""A realtime publication: what is sent, to which topic, serialised once.

Topics: `c:<conversation_id>` reaches the local members of a conversation,
`u:<user_id>` every device of one user, `presence` the contacts of a user.
`control` tells the gateway how to update its routing (members added or removed,
sessions to close) before or after it delivers the frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from parley.core.jsonutil import dumps


@dataclass(frozen=True, slots=True)
class Publication:
    topic: str
    frame: bytes
    control: dict[str, Any] = field(default_factory=dict)


ALL_SOCKETS = "all"  # every socket of every node


def conversation_topic(conversation_id: UUID) -> str:
    return f"c:{conversation_id}"


def user_topic(user_id: UUID) -> str:
    return f"u:{user_id}"


def publication(topic: str, frame: dict[str, Any], **control: Any) -> Publication:
    return Publication(topic, dumps(frame), control)
