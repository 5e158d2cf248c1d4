"""Every transition and timeout of the call state machine, on a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from parley.calls import machine
from parley.calls.machine import Call, CallRefused, Outcome, State

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
RING = 30.0
CALLER, CALLEE = ("alice", "a-laptop"), "bob"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ringing() -> Call:
    return machine.invite("c1", "conv", "video", CALLER, CALLEE, T0, RING)


def active(device: str = "b-phone", when: float = 5) -> Call:
    return machine.accept(ringing(), CALLEE, device, at(when))


def refused(code: str, fn: object, *args: object) -> None:
    with pytest.raises(CallRefused) as info:
        fn(*args)  # type: ignore[operator]
    assert info.value.code == code


def test_invite_rings_until_the_deadline() -> None:
    call = ringing()
    assert call.state is State.RINGING
    assert call.ring_deadline == at(RING)
    assert call.callee_device is None
    refused("call_self", machine.invite, "c2", "conv", "audio", CALLER, "alice", T0, RING)


def test_accept_by_a_callee_device_makes_it_the_callee_end() -> None:
    call = active("b-phone", 5)
    assert call.state is State.ACTIVE
    assert call.callee_device == "b-phone"
    assert call.answered_at == at(5)
    assert call.in_call("bob", "b-phone") and not call.in_call("bob", "b-laptop")


def test_first_accept_wins_a_second_device_is_refused() -> None:
    call = active("b-phone")
    refused("call_not_ringing", machine.accept, call, CALLEE, "b-laptop", at(6))


def test_only_the_callee_can_accept_or_reject() -> None:
    refused("not_callee", machine.accept, ringing(), "alice", "a-laptop", at(1))
    refused("not_callee", machine.accept, ringing(), "eve", "e", at(1))
    refused("not_callee", machine.reject, ringing(), "eve", at(1))


def test_accept_after_the_deadline_is_refused_even_before_the_timer_ran() -> None:
    refused("call_not_ringing", machine.accept, ringing(), CALLEE, "b-phone", at(RING))


def test_reject_declines() -> None:
    call = machine.reject(ringing(), CALLEE, at(3))
    assert (call.state, call.outcome, call.ended_at) == (State.ENDED, Outcome.DECLINED, at(3))
    assert call.duration_seconds == 0
    refused("call_not_ringing", machine.reject, active(), CALLEE, at(6))


def test_cancel_only_from_the_calling_device_while_ringing() -> None:
    call = machine.cancel(ringing(), *CALLER, at(2))
    assert (call.state, call.outcome) == (State.ENDED, Outcome.CANCELLED)
    refused("not_caller", machine.cancel, ringing(), "alice", "a-phone", at(2))
    refused("not_caller", machine.cancel, ringing(), CALLEE, "b-phone", at(2))
    refused("call_not_ringing", machine.cancel, active(), *CALLER, at(6))


def test_no_answer_before_the_deadline_is_missed() -> None:
    call = ringing()
    assert machine.expire(call, at(RING - 0.001)) is call
    missed = machine.expire(call, at(RING))
    assert (missed.state, missed.outcome, missed.ended_at) == (
        State.ENDED,
        Outcome.MISSED,
        at(RING),
    )
    # A call answered in time is not touched by its ring timer.
    assert machine.expire(active(), at(RING + 1)).state is State.ACTIVE


def test_busy_ends_before_ringing() -> None:
    call = machine.busy(ringing(), at(0))
    assert (call.state, call.outcome) == (State.ENDED, Outcome.BUSY)


def test_hangup_by_either_end_completes_with_the_talk_time() -> None:
    for who in (CALLER, (CALLEE, "b-phone")):
        call = machine.hangup(active("b-phone", 5), *who, at(65))
        assert (call.state, call.outcome) == (State.ENDED, Outcome.COMPLETED)
        assert call.duration_seconds == 60
    refused("not_in_call", machine.hangup, active("b-phone"), CALLEE, "b-laptop", at(9))
    refused("not_in_call", machine.hangup, active(), "alice", "a-phone", at(9))


def test_hangup_while_ringing_is_cancel_or_decline() -> None:
    assert machine.hangup(ringing(), *CALLER, at(1)).outcome is Outcome.CANCELLED
    assert machine.hangup(ringing(), CALLEE, "b-phone", at(1)).outcome is Outcome.DECLINED


def test_a_device_leaving() -> None:
    # The calling device going away while it rings cancels; a ringing callee device does not.
    assert machine.device_left(ringing(), *CALLER, at(1)).outcome is Outcome.CANCELLED
    assert machine.device_left(ringing(), CALLEE, "b-phone", at(1)).state is State.RINGING
    # Either end leaving a live call ends it; another device of theirs does nothing.
    assert machine.device_left(active("b-phone"), CALLEE, "b-phone", at(9)).outcome is (
        Outcome.COMPLETED
    )
    assert machine.device_left(active("b-phone"), CALLEE, "b-laptop", at(9)).state is State.ACTIVE
    assert machine.device_left(active(), *CALLER, at(9)).outcome is Outcome.COMPLETED


def test_signals_go_only_between_the_two_ends_of_a_live_call() -> None:
    call = active("b-phone")
    assert machine.peer_of(call, *CALLER) == ("bob", "b-phone")
    assert machine.peer_of(call, CALLEE, "b-phone") == CALLER
    refused("not_in_call", machine.peer_of, call, CALLEE, "b-laptop")
    refused("not_in_call", machine.peer_of, call, "eve", "e")
    refused("not_in_call", machine.peer_of, ringing(), *CALLER)  # nobody answered yet


def test_an_ended_call_accepts_nothing() -> None:
    ended = machine.hangup(active(), *CALLER, at(9))
    refused("call_not_ringing", machine.accept, ended, CALLEE, "b-phone", at(10))
    refused("call_not_ringing", machine.reject, ended, CALLEE, at(10))
    refused("not_in_call", machine.peer_of, ended, *CALLER)
    assert machine.expire(ended, at(RING + 1)) is ended
    assert machine.device_left(ended, *CALLER, at(10)) is ended
