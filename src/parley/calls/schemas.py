"""Frames a client sends about calls (routed by the gateway like every other frame)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field

from parley.calls.machine import Media
from parley.core.schema import RequestModel

CallId = Annotated[str, Field(min_length=1, max_length=64)]
Ref = Annotated[str, Field(max_length=64)]


class CallInviteFrame(RequestModel):
    type: Literal["call.invite"]
    conversation_id: uuid.UUID
    media: Media = "video"
    ref: Ref | None = None


class _CallAction(RequestModel):
    call_id: CallId
    ref: Ref | None = None


class CallAcceptFrame(_CallAction):
    type: Literal["call.accept"]


class CallRejectFrame(_CallAction):
    type: Literal["call.reject"]


class CallCancelFrame(_CallAction):
    type: Literal["call.cancel"]


class CallHangupFrame(_CallAction):
    type: Literal["call.hangup"]


class IceCandidate(RequestModel):
    """As the browser's RTCIceCandidate.toJSON() gives it (hence the camelCase names)."""

    candidate: Annotated[str, Field(max_length=1024)]
    sdpMid: Annotated[str, Field(max_length=64)] | None = None
    sdpMLineIndex: Annotated[int, Field(ge=0, le=64)] | None = None
    usernameFragment: Annotated[str, Field(max_length=256)] | None = None


class CallSignalFrame(_CallAction):
    """An SDP offer or answer, or an ICE candidate, for the other device in the call. An
    offer during a live call renegotiates (an ICE restart after a network change)."""

    type: Literal["call.signal"]
    kind: Literal["offer", "answer", "candidate"]
    sdp: Annotated[str, Field(max_length=60_000)] | None = None
    candidate: IceCandidate | None = None


class MeetingStartFrame(RequestModel):
    """Start the group call of a group (and join it from this device)."""

    type: Literal["meeting.start"]
    conversation_id: uuid.UUID
    media: Media = "video"
    ref: Ref | None = None


class MeetingJoinFrame(_CallAction):
    type: Literal["meeting.join"]


class MeetingLeaveFrame(_CallAction):
    type: Literal["meeting.leave"]


class MeetingEndFrame(_CallAction):
    """The host ends the meeting for everyone."""

    type: Literal["meeting.end"]


class MeetingHandFrame(_CallAction):
    type: Literal["meeting.hand"]
    raised: bool


class MeetingShareFrame(_CallAction):
    """This device starts (or stops) sharing its screen on its feed."""

    type: Literal["meeting.share"]
    sharing: bool


class MeetingUnmuteFrame(_CallAction):
    """This device speaks again after the host asked it to mute."""

    type: Literal["meeting.unmute"]


class MeetingMuteFrame(_CallAction):
    """The host asks someone to mute."""

    type: Literal["meeting.mute"]
    user_id: uuid.UUID


class MeetingRemoveFrame(_CallAction):
    """The host removes someone from the meeting (not from the group)."""

    type: Literal["meeting.remove"]
    user_id: uuid.UUID


MEETING_FRAMES = (
    MeetingStartFrame,
    MeetingJoinFrame,
    MeetingLeaveFrame,
    MeetingEndFrame,
    MeetingHandFrame,
    MeetingShareFrame,
    MeetingUnmuteFrame,
    MeetingMuteFrame,
    MeetingRemoveFrame,
)
MeetingFrame = (
    MeetingStartFrame
    | MeetingJoinFrame
    | MeetingLeaveFrame
    | MeetingEndFrame
    | MeetingHandFrame
    | MeetingShareFrame
    | MeetingUnmuteFrame
    | MeetingMuteFrame
    | MeetingRemoveFrame
)

CALL_FRAMES = (
    CallInviteFrame,
    CallAcceptFrame,
    CallRejectFrame,
    CallCancelFrame,
    CallHangupFrame,
    CallSignalFrame,
)
CallFrame = (
    CallInviteFrame
    | CallAcceptFrame
    | CallRejectFrame
    | CallCancelFrame
    | CallHangupFrame
    | CallSignalFrame
)
