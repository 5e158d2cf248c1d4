"""The group call (meeting) of a conversation, as a pure value: who is in it, from which
device, with which Janus feed and token, who holds a hand up, who hosts. Every change is
a function of the meeting, who acts and the time, returning the new meeting or raising
`CallRefused`; no I/O (the Janus room is driven by `meetings.py`).

    start --> open --join / leave / raise hand / host mutes or removes--> open
    open --the host ends it for all / the last participant leaves--> ended

The host is who started it; when the host leaves, the participant who has been there
longest takes over, so a meeting is never left without someone to run it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from parley.calls.janus import Room
from parley.calls.machine import CallRefused, Media


@dataclass(frozen=True, slots=True)
class Participant:
    user_id: str
    device: str
    feed_id: int  # the id the device publishes under in the Janus room
    token: str  # admits this device's join to the room, once
    joined_at: datetime
    hand_raised: bool = False
    muted_by_host: bool = False
    sharing: bool = False  # its feed carries a screen: the others show it large


@dataclass(frozen=True, slots=True)
class Meeting:
    id: str
    conversation_id: str
    media: Media
    host_id: str
    room: Room
    started_at: datetime
    participants: tuple[Participant, ...] = ()
    attended: tuple[str, ...] = ()  # everyone who joined, in order (for the record)
    removed: frozenset[str] = frozenset()  # removed by the host: may not join again
    ended_at: datetime | None = None
    end_reason: str | None = None

    @property
    def open(self) -> bool:
        return self.ended_at is None

    @property
    def duration_seconds(self) -> int:
        end = self.ended_at or self.started_at
        return int((end - self.started_at).total_seconds())

    def of_device(self, user_id: str, device: str) -> Participant | None:
        return next(
            (p for p in self.participants if (p.user_id, p.device) == (user_id, device)), None
        )

    def of_user(self, user_id: str) -> list[Participant]:
        return [p for p in self.participants if p.user_id == user_id]


def start(
    meeting_id: str, conversation_id: str, media: Media, host_id: str, room: Room, now: datetime
) -> Meeting:
    return Meeting(meeting_id, conversation_id, media, host_id, room, now)


def join(meeting: Meeting, newcomer: Participant) -> tuple[Meeting, Participant | None]:
    """Add a device; a device that joins again replaces its earlier self (returned, so
    its token and feed can be retired)."""
    _require_open(meeting)
    if newcomer.user_id in meeting.removed:
        raise CallRefused("removed_from_meeting", "The host removed you from this meeting.")
    before = meeting.of_device(newcomer.user_id, newcomer.device)
    others = tuple(p for p in meeting.participants if p is not before)
    attended = meeting.attended
    if newcomer.user_id not in attended:
        attended = (*attended, newcomer.user_id)
    return dataclasses.replace(meeting, participants=(*others, newcomer), attended=attended), before


def leave(
    meeting: Meeting, gone: list[Participant], now: datetime, reason: str = "empty"
) -> Meeting:
    """These participants are out (they left, their socket closed, they were removed);
    the host passes on if it was the host's last device, and the meeting ends with the last
    participant."""
    rest = tuple(p for p in meeting.participants if p not in gone)
    host = meeting.host_id
    if rest and not any(p.user_id == host for p in rest):
        host = min(rest, key=lambda p: p.joined_at).user_id
    meeting = dataclasses.replace(meeting, participants=rest, host_id=host)
    if not rest:
        return end_now(meeting, now, reason)
    return meeting


def remove(
    meeting: Meeting, actor: str, user_id: str, now: datetime
) -> tuple[Meeting, list[Participant]]:
    """The host removes someone (every device of theirs); they may not join again."""
    require_host(meeting, actor)
    if user_id == actor:
        raise CallRefused("cannot_remove_self_from_meeting", "Leave the meeting instead.")
    gone = meeting.of_user(user_id)
    meeting = dataclasses.replace(meeting, removed=meeting.removed | {user_id})
    return leave(meeting, gone, now), gone


def mute(meeting: Meeting, actor: str, user_id: str) -> Meeting:
    """The host asks someone to mute: their devices are told to, and the list shows it
    until they speak again (they may unmute themselves)."""
    require_host(meeting, actor)
    if not meeting.of_user(user_id):
        raise CallRefused("not_in_meeting", "That person is not in the meeting.")
    return _set(meeting, lambda p: p.user_id == user_id, muted_by_host=True)


def unmuted(meeting: Meeting, user_id: str, device: str) -> Meeting:
    return _set(meeting, lambda p: (p.user_id, p.device) == (user_id, device), muted_by_host=False)


def raise_hand(meeting: Meeting, user_id: str, device: str, raised: bool) -> Meeting:
    return _set_own(meeting, user_id, device, hand_raised=raised)


def share(meeting: Meeting, user_id: str, device: str, sharing: bool) -> Meeting:
    """A device shares its screen (or stops): only one screen at a time is shown large,
    so a new share replaces the one before."""
    if sharing:
        meeting = _set(meeting, lambda p: p.sharing, sharing=False)
    return _set_own(meeting, user_id, device, sharing=sharing)


def _set_own(meeting: Meeting, user_id: str, device: str, **changes: bool) -> Meeting:
    if meeting.of_device(user_id, device) is None:
        raise CallRefused("not_in_meeting", "Join the meeting first.")
    return _set(meeting, lambda p: (p.user_id, p.device) == (user_id, device), **changes)


def end(meeting: Meeting, actor: str, now: datetime) -> Meeting:
    """The host ends the meeting for everyone."""
    require_host(meeting, actor)
    return end_now(meeting, now, "ended_by_host")


def end_now(meeting: Meeting, now: datetime, reason: str) -> Meeting:
    return dataclasses.replace(meeting, participants=(), ended_at=now, end_reason=reason)


def require_host(meeting: Meeting, actor: str) -> None:
    _require_open(meeting)
    if actor != meeting.host_id:
        raise CallRefused("not_host", "Only the host can do that.")


def _require_open(meeting: Meeting) -> None:
    if not meeting.open:
        raise CallRefused("meeting_ended", "The meeting has ended.")


def _set(meeting: Meeting, which: Callable[[Participant], bool], **changes: bool) -> Meeting:
    return dataclasses.replace(
        meeting,
        participants=tuple(
            dataclasses.replace(p, **changes) if which(p) else p for p in meeting.participants
        ),
    )
