"""Realtime frames about calls. Each goes to one user's devices (`u:` topic, so it reaches
them on any node), narrowed to one device (`device`) or all but one (`except_device`)."""

from __future__ import annotations

import uuid
from typing import Any

from parley.calls.machine import Call, Outcome
from parley.core.events import Publication, publication, user_topic


def to_user(user_id: str, frame: dict[str, Any], **control: str) -> Publication:
    return publication(user_topic(uuid.UUID(user_id)), frame, **control)


def _about(call: Call) -> dict[str, Any]:
    return {
        "call_id": call.id,
        "conversation_id": call.conversation_id,
        "media": call.media,
        "caller_id": call.caller_id,
        "callee_id": call.callee_id,
    }


def ringing(call: Call, ref: str | None) -> Publication:
    """To the calling device: the call exists and rings the callee (the invite's answer)."""
    frame = {"type": "call.ringing", "ref": ref, **_about(call)}
    frame["ring_deadline"] = call.ring_deadline.isoformat()
    return to_user(call.caller_id, frame, device=call.caller_device)


def invite(call: Call) -> Publication:
    """To every device of the callee: ring."""
    frame = {"type": "call.invite", **_about(call)}
    frame["ring_deadline"] = call.ring_deadline.isoformat()
    return to_user(call.callee_id, frame)


def accepted(call: Call) -> list[Publication]:
    """The caller's device and the device that answered learn who is at the other end;
    the callee's other devices stop ringing."""
    frame = {"type": "call.accepted", **_about(call), "callee_device": call.callee_device}
    device = call.callee_device or ""
    return [
        to_user(call.caller_id, frame, device=call.caller_device),
        to_user(call.callee_id, frame, device=device),
        to_user(call.callee_id, ended_frame(call, "answered_elsewhere"), except_device=device),
    ]


def ended_frame(call: Call, reason: str) -> dict[str, Any]:
    return {"type": "call.ended", **_about(call), "reason": reason}


def ended(call: Call, ref: str | None = None) -> list[Publication]:
    """Both ends hear it; while it rang, every callee device (to stop ringing). A busy
    callee never rang, so only the caller hears of it, as the answer to its invite (`ref`)."""
    frame = {**ended_frame(call, str(call.outcome)), "ref": ref}
    out = [to_user(call.caller_id, frame, device=call.caller_device)]
    if call.outcome is not Outcome.BUSY:
        callee = {"device": call.callee_device} if call.callee_device else {}
        out.append(to_user(call.callee_id, frame, **callee))
    return out


def signal(call: Call, sender_id: str, to: tuple[str, str], body: dict[str, Any]) -> Publication:
    frame = {"type": "call.signal", "call_id": call.id, "from_user_id": sender_id, **body}
    return to_user(to[0], frame, device=to[1])
