"""Socket frames a client sends (realtime/client_frames.py, calls/schemas.py). The outcome
is the `code` of the error frame, or the `type` of the frame that answers (`ok`: no
answer is due and no error came, checked by a ping sent right after)."""

from __future__ import annotations

import uuid
from typing import Any

from parley.access.permissions import Permission
from tests.authz.callers import CALLERS, IN_GROUP, SIGNED_OUT
from tests.authz.table import BOTH, Policy, frame, owned
from tests.authz.world import Call, Req


def on_socket(ok: str, conversation: bool = False) -> Policy:
    """Anonymous sockets must authenticate first; a disabled account's or expired
    session's token is refused at the handshake; with `conversation`, only the
    conversation's members get `ok` (anyone else: as if it did not exist)."""

    def policy(caller: str, own: str | None, perm: Permission | None) -> str:
        if caller == "anonymous":
            return "auth_required"
        if caller in SIGNED_OUT:
            return "invalid_token"
        if conversation and caller not in IN_GROUP:
            return "conversation_not_found"
        return ok

    return policy


def fixed(**fields: Any):  # type: ignore[no-untyped-def]
    async def build(call: Call) -> Req:
        value = {k: (v(call) if callable(v) else v) for k, v in fields.items()}
        return Req(json=value)

    return build


def group(call: Call) -> str:
    return call.world.group


async def invite(call: Call) -> Req:
    """Own: a direct chat with someone new (so no other row's call makes them busy).
    Other: the direct chat of two other people."""
    w = call.world
    cid = w.direct
    if call.own == "own" and call.caller not in SIGNED_OUT:
        cid = await w.open_direct(await w.user(), call.api)
    return Req(json={"type": "call.invite", "conversation_id": cid, "media": "audio"})


def a_call(type_: str, **extra: Any) -> Any:
    """Own: the call the caller just made (ringing someone new). Other: a call the caller
    is no party to, which answers as if there were no such call."""

    async def build(call: Call) -> Req:
        frame = {"type": type_, "call_id": f"call-{uuid.uuid4().hex}", **extra}
        if call.own != "own":
            return Req(json=frame)
        return Req(json=frame, invite=(await invite(call)).json)

    return build


def auth(call: Call) -> str:
    return call.api.token or "not-a-token"


def _auth_policy(caller: str, own: str | None, perm: Permission | None) -> str:
    return "invalid_token" if caller in SIGNED_OUT else "hello"


def on_call(own: str) -> Policy:
    return owned(on_socket(own), on_socket("call_not_found"))


# Own calls exist only for callers with a socket.
CALLING = frozenset(CALLERS) - SIGNED_OUT

CALL: dict[str, Any] = {"perm": Permission.START_CALLS, "ownership": BOTH, "owners": CALLING}


def no_meeting(type_: str, **extra: Any) -> Any:
    """A frame about a meeting that is not running (none can start without Janus)."""

    async def build(call: Call) -> Req:
        values = {k: (v(call) if callable(v) else v) for k, v in extra.items()}
        return Req(json={"type": type_, "call_id": f"call-{uuid.uuid4().hex}", **values})

    return build


def someone(call: Call) -> str:
    return call.world.id("member")


# No media server (Janus) is configured here: a member starting the group call is told
# so (`sfu_unavailable`), anyone else learns nothing of the group. Frames about a meeting
# find none running.
MEETING: dict[str, Any] = {"perm": Permission.START_CALLS}

SPECS = [
    # The handshake itself: the first frame of every socket.
    frame("auth", _auth_policy, build=fixed(type="auth", token=auth)),
    frame(
        "message.send",
        on_socket("message.ack", conversation=True),
        answers=("message.ack",),
        build=fixed(
            type="message.send",
            conversation_id=group,
            client_msg_id=lambda c: uuid.uuid4().hex,
            text="via socket",
        ),
    ),
    frame(
        "read",
        on_socket("read.ack", conversation=True),
        answers=("read.ack",),
        build=fixed(type="read", conversation_id=group, seq=1),
    ),
    frame(
        "typing",
        on_socket("ok", conversation=True),
        build=fixed(type="typing", conversation_id=group),
    ),
    frame("ping", on_socket("pong"), answers=("pong",), build=fixed(type="ping", ref="p")),
    frame("pong", on_socket("ok"), build=fixed(type="pong")),
    frame(
        "presence.query",
        on_socket("presence.state"),
        answers=("presence.state",),
        build=fixed(type="presence.query", user_ids=lambda c: [c.world.id("peer")]),
    ),
    # Own: the caller's direct chat (rings); other: two other people's (404).
    frame(
        "call.invite",
        owned(on_socket("call.ringing"), on_socket("conversation_not_found")),
        perm=Permission.START_CALLS,
        ownership=BOTH,
        answers=("call.ringing",),
        build=invite,
    ),
    # The caller of a call cannot answer it; they cancel it or hang up (a cancel while
    # it rings); signals go only between the two devices of an answered call.
    frame("call.accept", on_call("not_callee"), **CALL, build=a_call("call.accept")),
    frame("call.reject", on_call("not_callee"), **CALL, build=a_call("call.reject")),
    frame("call.cancel", on_call("ok"), **CALL, build=a_call("call.cancel")),
    frame("call.hangup", on_call("ok"), **CALL, build=a_call("call.hangup")),
    frame(
        "call.signal",
        on_call("not_in_call"),
        **CALL,
        build=a_call("call.signal", kind="candidate", candidate={"candidate": ""}),
    ),
    frame(
        "meeting.start",
        on_socket("sfu_unavailable", conversation=True),
        **MEETING,
        build=fixed(type="meeting.start", conversation_id=group, media="audio"),
    ),
    frame("meeting.join", on_socket("call_not_found"), **MEETING, build=no_meeting("meeting.join")),
    frame(
        "meeting.leave", on_socket("call_not_found"), **MEETING, build=no_meeting("meeting.leave")
    ),
    frame("meeting.end", on_socket("call_not_found"), **MEETING, build=no_meeting("meeting.end")),
    frame(
        "meeting.hand",
        on_socket("call_not_found"),
        **MEETING,
        build=no_meeting("meeting.hand", raised=True),
    ),
    frame(
        "meeting.share",
        on_socket("call_not_found"),
        **MEETING,
        build=no_meeting("meeting.share", sharing=True),
    ),
    frame(
        "meeting.unmute",
        on_socket("call_not_found"),
        **MEETING,
        build=no_meeting("meeting.unmute"),
    ),
    frame(
        "meeting.mute",
        on_socket("call_not_found"),
        **MEETING,
        build=no_meeting("meeting.mute", user_id=someone),
    ),
    frame(
        "meeting.remove",
        on_socket("call_not_found"),
        **MEETING,
        build=no_meeting("meeting.remove", user_id=someone),
    ),
]
