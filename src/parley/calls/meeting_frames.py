"""Realtime frames about meetings. What the whole group may know (that a meeting runs,
who is in it, hands, host) goes to the conversation (`c:` topic): members see the "join"
banner and nobody else hears of it. What admits a device to the Janus room (its token)
goes to that device alone."""

from __future__ import annotations

import uuid
from typing import Any

from parley.calls.frames import to_user
from parley.calls.meeting import Meeting, Participant
from parley.core.events import Publication, conversation_topic, publication


def about(meeting: Meeting) -> dict[str, Any]:
    """The meeting as members see it (the answer of GET /calls/meetings too)."""
    return {
        "call_id": meeting.id,
        "conversation_id": meeting.conversation_id,
        "media": meeting.media,
        "host_id": meeting.host_id,
        "started_at": meeting.started_at.isoformat(),
        "participants": [_participant(p) for p in meeting.participants],
    }


def _participant(p: Participant) -> dict[str, Any]:
    return {
        "user_id": p.user_id,
        "device": p.device,
        "feed_id": p.feed_id,
        "joined_at": p.joined_at.isoformat(),
        "hand_raised": p.hand_raised,
        "muted_by_host": p.muted_by_host,
        "sharing": p.sharing,
    }


def _to_group(meeting: Meeting, frame: dict[str, Any]) -> Publication:
    return publication(conversation_topic(uuid.UUID(meeting.conversation_id)), frame)


def started(meeting: Meeting, starter_id: str) -> Publication:
    """Every member: a meeting runs here (ring, or show the "join" banner)."""
    return _to_group(meeting, {"type": "meeting.started", "by": starter_id, **about(meeting)})


def updated(meeting: Meeting) -> Publication:
    return _to_group(meeting, {"type": "meeting.updated", **about(meeting)})


def ended(meeting: Meeting) -> Publication:
    frame = {"type": "meeting.ended", **about(meeting), "reason": meeting.end_reason}
    frame["duration_seconds"] = meeting.duration_seconds
    return _to_group(meeting, frame)


def joined(meeting: Meeting, me: Participant, janus_url: str, ref: str | None) -> Publication:
    """To the joining device only: where the room is and the token that admits it."""
    frame = {
        "type": "meeting.joined",
        "ref": ref,
        **about(meeting),
        "janus": {
            "url": janus_url,
            "room": meeting.room.number,
            "token": me.token,
            "feed_id": me.feed_id,
            "display": me.user_id,
        },
    }
    return to_user(me.user_id, frame, device=me.device)


def left(meeting: Meeting, who: Participant, reason: str) -> Publication:
    """To a device put out of the meeting (removed by the host, out of the group)."""
    frame = {"type": "meeting.left", "call_id": meeting.id, "reason": reason}
    frame["conversation_id"] = meeting.conversation_id
    return to_user(who.user_id, frame, device=who.device)


def mute_requested(meeting: Meeting, user_id: str) -> Publication:
    frame = {"type": "meeting.mute", "call_id": meeting.id, "by": meeting.host_id}
    return to_user(user_id, frame)
