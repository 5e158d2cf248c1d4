"""The 1:1 call state machine. Pure: every transition takes the call, who acts (user and
device) and the time, and returns the new call or raises `CallRefused`; no I/O, no clock
of its own, so every transition and timeout is tested without sleeping.

    ringing --accept (a callee device, before the deadline)--> active
    ringing --reject (callee) / cancel (caller) / deadline passed--> ended
    active  --hangup (either device in the call) / a device in the call left--> ended
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

Media = Literal["audio", "video"]


class State(StrEnum):
    RINGING = "ringing"
    ACTIVE = "active"
    ENDED = "ended"


class Outcome(StrEnum):
    """How a call ended: what its record in the conversation says."""

    COMPLETED = "completed"  # answered, then hung up
    MISSED = "missed"  # nobody answered before the deadline
    DECLINED = "declined"  # the callee rejected it
    CANCELLED = "cancelled"  # the caller gave up while it rang
    BUSY = "busy"  # the callee was already in a call


class CallRefused(Exception):
    """A transition that is not allowed from the call's state or for this actor."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


@dataclass(frozen=True, slots=True)
class Call:
    id: str
    conversation_id: str
    media: Media
    caller_id: str
    caller_device: str
    callee_id: str
    started_at: datetime
    ring_deadline: datetime
    state: State = State.RINGING
    callee_device: str | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    outcome: Outcome | None = None

    @property
    def duration_seconds(self) -> int:
        """Talk time: from the answer to the end (0 for a call never answered)."""
        if self.answered_at is None or self.ended_at is None:
            return 0
        return int((self.ended_at - self.answered_at).total_seconds())

    def is_party(self, user_id: str) -> bool:
        return user_id in (self.caller_id, self.callee_id)

    def in_call(self, user_id: str, device: str) -> bool:
        """Whether this device is one of the call's two ends (the callee's only once
        it has accepted: before that every callee device merely rings)."""
        return (user_id, device) in (
            (self.caller_id, self.caller_device),
            (self.callee_id, self.callee_device),
        )


def invite(
    call_id: str,
    conversation_id: str,
    media: Media,
    caller: tuple[str, str],
    callee_id: str,
    now: datetime,
    ring_seconds: float,
) -> Call:
    if caller[0] == callee_id:
        raise CallRefused("call_self", "A call needs another person.")
    return Call(
        id=call_id,
        conversation_id=conversation_id,
        media=media,
        caller_id=caller[0],
        caller_device=caller[1],
        callee_id=callee_id,
        started_at=now,
        ring_deadline=now + timedelta(seconds=ring_seconds),
    )


def busy(call: Call, now: datetime) -> Call:
    """The callee is in another call: this one ends before it rings."""
    return _end(call, Outcome.BUSY, now)


def accept(call: Call, user_id: str, device: str, now: datetime) -> Call:
    if user_id != call.callee_id:
        raise CallRefused("not_callee", "Only the person called can accept.")
    _require(call, State.RINGING, now)
    return dataclasses.replace(call, state=State.ACTIVE, callee_device=device, answered_at=now)


def reject(call: Call, user_id: str, now: datetime) -> Call:
    if user_id != call.callee_id:
        raise CallRefused("not_callee", "Only the person called can decline.")
    _require(call, State.RINGING, now)
    return _end(call, Outcome.DECLINED, now)


def cancel(call: Call, user_id: str, device: str, now: datetime) -> Call:
    if (user_id, device) != (call.caller_id, call.caller_device):
        raise CallRefused("not_caller", "Only the calling device can cancel.")
    _require(call, State.RINGING, now)
    return _end(call, Outcome.CANCELLED, now)


def hangup(call: Call, user_id: str, device: str, now: datetime) -> Call:
    """End the call from either device in it; while it rings, the caller's hang-up is a
    cancel and the callee's a decline (clients need not know the state to hang up)."""
    if call.state is State.RINGING:
        if user_id == call.callee_id:
            return reject(call, user_id, now)
        return cancel(call, user_id, device, now)
    if not call.in_call(user_id, device):
        raise CallRefused("not_in_call", "This device is not in the call.")
    _require(call, State.ACTIVE, now)
    return _end(call, Outcome.COMPLETED, now)


def expire(call: Call, now: datetime) -> Call:
    """Nobody answered in time: missed. Any other call is returned unchanged."""
    if call.state is State.RINGING and now >= call.ring_deadline:
        return _end(call, Outcome.MISSED, now)
    return call


def device_left(call: Call, user_id: str, device: str, now: datetime) -> Call:
    """A socket closed. The call ends if it was one of its two ends; a ringing callee
    device that goes away leaves the others ringing."""
    if call.state is State.ENDED or not call.in_call(user_id, device):
        return call
    if call.state is State.RINGING:
        return _end(call, Outcome.CANCELLED, now)
    return _end(call, Outcome.COMPLETED, now)


def peer_of(call: Call, user_id: str, device: str) -> tuple[str, str]:
    """Where a signal (SDP offer or answer, ICE candidate) from this device goes: the
    other end of a live call, never anyone else. A new offer during the call is an ICE
    restart and travels the same way."""
    if call.state is not State.ACTIVE or not call.in_call(user_id, device):
        raise CallRefused("not_in_call", "Signals travel only between the two devices in a call.")
    if user_id == call.caller_id and device == call.caller_device:
        return call.callee_id, call.callee_device or ""
    return call.caller_id, call.caller_device


def _require(call: Call, state: State, now: datetime) -> None:
    if call.state is State.RINGING and now >= call.ring_deadline:
        raise CallRefused("call_not_ringing", "The call is no longer ringing.")
    if call.state is not state:
        raise CallRefused(f"call_not_{state.value}", f"The call is not {state.value}.")


def _end(call: Call, outcome: Outcome, now: datetime) -> Call:
    return dataclasses.replace(call, state=State.ENDED, ended_at=now, outcome=outcome)
