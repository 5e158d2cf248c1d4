"""Group calls (meetings) through Janus: the socket's handler for `meeting.*` frames. It
checks membership (in `service`), keeps each conversation's meeting on this node, keeps
the Janus room in step (tokens allowed and retired, participants kicked, the room
destroyed at the end), tells the devices concerned and writes the record.

Membership is followed live: a member removed from the group (or leaving it) is kicked
from the running room as soon as the removal is published (`observe`), and a device whose
socket closes leaves the meeting. Like 1:1 calls, meetings live in this node's memory
(docs/calls.md, "Several nodes")."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any

import httpx
import structlog

from parley.calls import meeting as rules
from parley.calls import meeting_frames as frames
from parley.calls import service
from parley.calls.janus import Janus, JanusError, SfuUnavailable
from parley.calls.machine import CallRefused
from parley.calls.meeting import Meeting, Participant
from parley.calls.schemas import (
    MeetingEndFrame,
    MeetingFrame,
    MeetingHandFrame,
    MeetingJoinFrame,
    MeetingLeaveFrame,
    MeetingMuteFrame,
    MeetingRemoveFrame,
    MeetingShareFrame,
    MeetingStartFrame,
    MeetingUnmuteFrame,
)
from parley.core.clock import utcnow
from parley.core.errors import Conflict, NotFound
from parley.core.events import Publication
from parley.core.ids import new_id
from parley.db.session import read_scope, write_scope
from parley.runtime import Runtime

logger = structlog.get_logger()
Post = Callable[[Sequence[Publication]], None]
Device = tuple[str, str]  # (user id, device id)
TOKEN_POLL_SECONDS = 0.5


class MeetingSignalling:
    def __init__(
        self, rt: Runtime, post: Post, janus: Janus, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.rt, self.post, self.janus, self.clock = rt, post, janus, clock
        self._meetings: dict[str, Meeting] = {}
        self._by_conversation: dict[str, str] = {}
        # One change at a time per meeting: each awaits Janus between reading and storing.
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def available(self) -> bool:
        return self.janus.configured

    def of_conversation(self, conversation_id: str) -> Meeting | None:
        meeting_id = self._by_conversation.get(conversation_id)
        return None if meeting_id is None else self._meetings.get(meeting_id)

    async def handle(self, user_id: str, device: str, frame: MeetingFrame) -> None:
        """One client frame from this device. Refusals raise a `Problem` (an error frame)."""
        me = (user_id, device)
        try:
            if isinstance(frame, MeetingStartFrame):
                await self.start(me, frame)
            elif isinstance(frame, MeetingJoinFrame):
                await self.join(me, frame.call_id, frame.ref)
            elif isinstance(frame, MeetingLeaveFrame):
                await self._leave(me, frame.call_id)
            elif isinstance(frame, MeetingEndFrame):
                await self._end(me, frame.call_id)
            elif isinstance(frame, MeetingHandFrame):
                await self._change(
                    me, frame.call_id, lambda m: rules.raise_hand(m, *me, frame.raised)
                )
            elif isinstance(frame, MeetingShareFrame):
                await self._change(me, frame.call_id, lambda m: rules.share(m, *me, frame.sharing))
            elif isinstance(frame, MeetingUnmuteFrame):
                await self._change(me, frame.call_id, lambda m: rules.unmuted(m, *me))
            elif isinstance(frame, MeetingMuteFrame):
                await self._mute(me, frame.call_id, str(frame.user_id))
            elif isinstance(frame, MeetingRemoveFrame):
                await self._remove(me, frame.call_id, str(frame.user_id))
        except CallRefused as refused:
            raise Conflict(refused.detail, code=refused.code) from refused
        except (httpx.HTTPError, JanusError) as exc:
            logger.warning("meetings.janus_failed", error=str(exc))
            raise SfuUnavailable("The media server (Janus) did not answer.") from exc

    async def start(self, me: Device, frame: MeetingStartFrame) -> None:
        """Start the group's meeting and join it; if one already runs there, join that."""
        async with read_scope(self.rt.db) as session:
            await service.require_start_call(session, uuid.UUID(me[0]), frame.conversation_id)
        cid = str(frame.conversation_id)
        running = self.of_conversation(cid)
        if running is not None:
            await self.join(me, running.id, frame.ref)
            return
        host = self._newcomer(me)
        room = await self.janus.create_room(f"parley {cid}", [host.token])
        if self.of_conversation(cid) is not None:  # another member started it meanwhile
            await self.janus.destroy(room)
            await self.join(me, self._by_conversation[cid], frame.ref)
            return
        meeting = rules.start(str(new_id()), cid, frame.media, me[0], room, self.clock())
        meeting, _ = rules.join(meeting, host)
        self._meetings[meeting.id] = meeting
        self._by_conversation[cid] = meeting.id
        url = self.janus.public_url(room)
        self.post([frames.joined(meeting, host, url, frame.ref), frames.started(meeting, me[0])])
        self._retire_token_later(meeting.id, host)

    async def join(self, me: Device, call_id: str, ref: str | None) -> None:
        meeting = await self._visible(me[0], call_id)
        async with self._lock(meeting.id):
            meeting = self._current(call_id)
            newcomer = self._newcomer(me)
            after, replaced = rules.join(meeting, newcomer)
            await self.janus.allow(meeting.room, [newcomer.token])
            self._meetings[call_id] = after
            if replaced is not None:
                await self._retire(after, [replaced])
            url = self.janus.public_url(after.room)
            self.post([frames.joined(after, newcomer, url, ref), frames.updated(after)])
        self._retire_token_later(call_id, newcomer)

    async def device_left(self, user_id: str, device: str) -> None:
        """A socket closed: that device is out of any meeting it was in."""
        for meeting in list(self._meetings.values()):
            if meeting.of_device(user_id, device) is not None:
                await self._drop(meeting.id, _device(user_id, device), None)

    def observe(self, p: Publication) -> None:
        """Every publication this node receives: one that takes a user out of a
        conversation (removed, left) kicks them from its running meeting."""
        leave = p.control.get("leave")
        kind, _, user_id = p.topic.partition(":")
        if kind != "u" or not leave:
            return
        for cid in leave:
            meeting = self.of_conversation(str(cid))
            if meeting is not None and meeting.of_user(user_id):
                self._spawn(
                    self._drop(
                        meeting.id, lambda m: m.of_user(user_id), "removed_from_conversation"
                    )
                )

    async def close(self) -> None:
        """Shutting down: end this node's meetings (their rooms go with them)."""
        for meeting_id in list(self._meetings):
            try:
                meeting = rules.end_now(self._meetings[meeting_id], self.clock(), "shutdown")
                await self._finish(meeting)
            except Exception:
                logger.exception("meetings.close_failed", call_id=meeting_id)
        for task in list(self._tasks):
            task.cancel()
        await self.janus.close()

    # -- changes ----------------------------------------------------------------------

    async def _leave(self, me: Device, call_id: str) -> None:
        meeting = await self._visible(me[0], call_id)
        if meeting.of_device(*me) is None:
            raise CallRefused("not_in_meeting", "This device is not in the meeting.")
        await self._drop(call_id, _device(*me), None)

    async def _end(self, me: Device, call_id: str) -> None:
        await self._visible(me[0], call_id)
        async with self._lock(call_id):
            meeting = self._current(call_id)
            await self._finish(rules.end(meeting, me[0], self.clock()))

    async def _mute(self, me: Device, call_id: str, user_id: str) -> None:
        await self._change(me, call_id, lambda m: rules.mute(m, me[0], user_id))
        self.post([frames.mute_requested(self._current(call_id), user_id)])

    async def _remove(self, me: Device, call_id: str, user_id: str) -> None:
        meeting = await self._visible(me[0], call_id)
        async with self._lock(call_id):
            meeting = self._current(call_id)
            after, gone = rules.remove(meeting, me[0], user_id, self.clock())
            await self._apply(meeting, after, gone, "removed_by_host")

    async def _change(self, me: Device, call_id: str, change: Callable[[Meeting], Meeting]) -> None:
        await self._visible(me[0], call_id)
        async with self._lock(call_id):
            after = change(self._current(call_id))
            self._meetings[call_id] = after
            self.post([frames.updated(after)])

    async def _drop(
        self, call_id: str, which: Callable[[Meeting], list[Participant]], reason: str | None
    ) -> None:
        """Take some participants out (chosen once the meeting's lock is held)."""
        if call_id not in self._meetings:
            return
        async with self._lock(call_id):
            meeting = self._meetings.get(call_id)
            if meeting is None:
                return
            gone = which(meeting)
            if gone:
                after = rules.leave(meeting, gone, self.clock())
                await self._apply(meeting, after, gone, reason)

    async def _apply(
        self, before: Meeting, after: Meeting, gone: list[Participant], reason: str | None
    ) -> None:
        """Store a change that took `gone` out: their tokens retired and feeds kicked,
        told why (`reason`, unless they left themselves), the others told who is left."""
        self._meetings[after.id] = after
        if reason:
            self.post([frames.left(after, p, reason) for p in gone])
        if not after.open:
            await self._finish(after)
            return
        await self._retire(after, gone)
        self.post([frames.updated(after)])

    async def _retire(self, meeting: Meeting, gone: list[Participant]) -> None:
        """Their tokens admit no one any more, their feeds are out of the room, and so is
        any feed in the room that no participant holds (a client that joined under
        another id than it was given)."""
        await self.janus.disallow(meeting.room, [p.token for p in gone])
        held = {p.feed_id for p in meeting.participants}
        for feed in {p.feed_id for p in gone} | (set(await self.janus.feeds(meeting.room)) - held):
            await self.janus.kick(meeting.room, feed)

    async def _finish(self, meeting: Meeting) -> None:
        self._meetings.pop(meeting.id, None)
        if self._by_conversation.get(meeting.conversation_id) == meeting.id:
            del self._by_conversation[meeting.conversation_id]
        self._locks.pop(meeting.id, None)
        self.post([frames.ended(meeting)])
        try:
            await self.janus.destroy(meeting.room)
        except (httpx.HTTPError, JanusError):
            logger.exception("meetings.destroy_failed", call_id=meeting.id)
        try:
            async with write_scope(self.rt.db, self.rt.publish) as session:
                await service.record_meeting(session, meeting)
        except Exception:
            logger.exception("meetings.record_failed", call_id=meeting.id)

    # -- helpers ----------------------------------------------------------------------

    async def _visible(self, user_id: str, call_id: str) -> Meeting:
        """The meeting, for a member of its conversation; anyone else learns nothing."""
        meeting = self._meetings.get(call_id)
        if meeting is None:
            raise NotFound("No such call.", code="call_not_found")
        async with read_scope(self.rt.db) as session:
            try:
                await service.access_meeting(
                    session, uuid.UUID(user_id), uuid.UUID(meeting.conversation_id)
                )
            except NotFound:
                raise NotFound("No such call.", code="call_not_found") from None
        return meeting

    def _current(self, call_id: str) -> Meeting:
        meeting = self._meetings.get(call_id)
        if meeting is None:
            raise CallRefused("meeting_ended", "The meeting has ended.")
        return meeting

    def _lock(self, call_id: str) -> asyncio.Lock:
        return self._locks.setdefault(call_id, asyncio.Lock())

    def _newcomer(self, me: Device) -> Participant:
        return Participant(
            user_id=me[0],
            device=me[1],
            feed_id=secrets.randbelow(2**52) + 1,
            token=secrets.token_urlsafe(24),
            joined_at=self.clock(),
        )

    def _retire_token_later(self, call_id: str, participant: Participant) -> None:
        """A token admits one join: Parley withdraws it as soon as the participant's feed
        is in the room (watched every TOKEN_POLL_SECONDS), or after
        PARLEY_JANUS_TOKEN_SECONDS if it never comes. A device in the room stays; joining
        again takes a new token."""

        async def retire() -> None:
            deadline = asyncio.get_running_loop().time() + self.rt.settings.janus_token_seconds
            while asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(TOKEN_POLL_SECONDS)
                meeting = self._meetings.get(call_id)
                held = meeting.of_device(*_key(participant)) if meeting else None
                if held is None or held.token != participant.token:
                    return  # ended, or left (or joined again): its token went with it
                try:
                    if participant.feed_id in await self.janus.feeds(meeting.room):
                        break
                except (httpx.HTTPError, JanusError):
                    continue
            meeting = self._meetings.get(call_id)
            if meeting is not None:
                try:
                    await self.janus.disallow(meeting.room, [participant.token])
                except (httpx.HTTPError, JanusError):
                    logger.warning("meetings.retire_token_failed", call_id=call_id)

        self._spawn(retire())

    def _spawn(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _device(user_id: str, device: str) -> Callable[[Meeting], list[Participant]]:
    def which(meeting: Meeting) -> list[Participant]:
        found = meeting.of_device(user_id, device)
        return [] if found is None else [found]

    return which


def _key(p: Participant) -> Device:
    return p.user_id, p.device
