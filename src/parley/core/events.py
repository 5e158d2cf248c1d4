"""A realtime publication: what is sent, to which topic, serialised once.

Topics: `c:<conversation_id>` reaches the local members of a conversation,
`u:<user_id>` every device of one user, `presence` the contacts of a user.
`control` tells the gateway how to update its routing (members added or removed,
sessions to close) before or after it delivers the frame.

A frame that embeds another message (a quote, the target of a reaction or pin) also
carries `hidden`: the forms for readers who joined after that message, each with the
embedded message's seq (messages/visibility.py builds them). The hub picks the form by
each recipient's `joined_seq`; most frames have none, and cost nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from parley.core.jsonutil import dumps

Hidden = tuple[tuple[int, bytes], ...]


@dataclass(frozen=True, slots=True)
class Publication:
    topic: str
    frame: bytes
    control: dict[str, Any] = field(default_factory=dict)
    # (seq, frame): ascending seqs; readers who joined after `seq` get that frame.
    hidden: Hidden = ()


def pick(full: bytes, hidden: Hidden, joined_seq: int) -> bytes:
    """The form of a payload for a reader who may read the log from `joined_seq` on."""
    out = full
    for seq, form in hidden:
        if joined_seq <= seq:
            break
        out = form
    return out


ALL_SOCKETS = "all"  # every socket of every node


def conversation_topic(conversation_id: UUID) -> str:
    return f"c:{conversation_id}"


def user_topic(user_id: UUID) -> str:
    return f"u:{user_id}"


def publication(topic: str, frame: dict[str, Any], **control: Any) -> Publication:
    return Publication(topic, dumps(frame), control)
