"""The meeting's rules as a pure value: joining, leaving, the host passing on, removal,
hands, mutes and the end, without Janus or sockets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from parley.calls import meeting as rules
from parley.calls.janus import Room
from parley.calls.machine import CallRefused
from parley.calls.meeting import Meeting, Participant

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def person(user: str, device: str = "d", when: float = 0, feed: int = 1) -> Participant:
    return Participant(user, device, feed, f"token-{user}-{device}", at(when))


def meeting() -> Meeting:
    """Alice's meeting, with Bob and then Carol in it."""
    m = rules.start("m1", "conv", "video", "alice", Room(0, 42, "secret"), T0)
    for i, user in enumerate(("alice", "bob", "carol")):
        m, _ = rules.join(m, person(user, when=i, feed=i + 1))
    return m


def refused(code: str, fn: object, *args: object) -> None:
    with pytest.raises(CallRefused) as info:
        fn(*args)  # type: ignore[operator]
    assert info.value.code == code


def test_join_again_from_a_device_replaces_it() -> None:
    m = meeting()
    again = person("bob", when=5, feed=9)
    m2, replaced = rules.join(m, again)
    assert replaced is not None and replaced.feed_id == 2
    assert [p.feed_id for p in m2.of_user("bob")] == [9]
    assert m2.attended == ("alice", "bob", "carol")
    # Another device of the same person is a second participant.
    m3, replaced = rules.join(m2, person("bob", "phone", 6, 10))
    assert replaced is None and len(m3.of_user("bob")) == 2


def test_the_host_passes_to_who_was_there_longest_and_the_last_leaving_ends_it() -> None:
    m = meeting()
    m = rules.leave(m, m.of_user("alice"), at(10))
    assert (m.host_id, m.open) == ("bob", True)
    m = rules.leave(m, m.of_user("bob") + m.of_user("carol"), at(70))
    assert (m.open, m.end_reason, m.duration_seconds) == (False, "empty", 70)
    refused("meeting_ended", rules.join, m, person("dave"))


def test_only_the_host_mutes_removes_or_ends() -> None:
    m = meeting()
    refused("not_host", rules.mute, m, "bob", "carol")
    refused("not_host", rules.remove, m, "bob", "carol", at(1))
    refused("not_host", rules.end, m, "bob", at(1))
    refused("cannot_remove_self_from_meeting", rules.remove, m, "alice", "alice", at(1))
    refused("not_in_meeting", rules.mute, m, "alice", "dave")

    muted = rules.mute(m, "alice", "bob")
    assert [p.muted_by_host for p in muted.of_user("bob")] == [True]
    assert [p.muted_by_host for p in rules.unmuted(muted, "bob", "d").of_user("bob")] == [False]

    after, gone = rules.remove(m, "alice", "carol", at(2))
    assert [p.user_id for p in gone] == ["carol"] and not after.of_user("carol")
    refused("removed_from_meeting", rules.join, after, person("carol", "phone"))

    ended = rules.end(m, "alice", at(30))
    assert (ended.open, ended.end_reason, ended.participants) == (False, "ended_by_host", ())


def test_hands_go_up_and_down_for_participants_only() -> None:
    m = rules.raise_hand(meeting(), "carol", "d", True)
    assert [p.hand_raised for p in m.participants] == [False, False, True]
    assert not rules.raise_hand(m, "carol", "d", False).participants[2].hand_raised
    refused("not_in_meeting", rules.raise_hand, m, "dave", "d", True)


def test_one_screen_is_shared_at_a_time() -> None:
    m = rules.share(meeting(), "bob", "d", True)
    m = rules.share(m, "carol", "d", True)
    assert [p.user_id for p in m.participants if p.sharing] == ["carol"]
    assert not any(p.sharing for p in rules.share(m, "carol", "d", False).participants)
    refused("not_in_meeting", rules.share, m, "dave", "d", True)
