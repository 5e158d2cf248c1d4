"""1:1 call signalling, the socket's command handler for `call.*` frames and the ring
timer: it owns the transactions (the checks and the record are in `service`), drives the
state machine through the store and tells the devices concerned.

Actors are (user id, device id) pairs: a device is one socket, so a call is between two
sockets, never between all of two users' devices."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any

import structlog

from parley.access.permissions import Permission
from parley.calls import frames, machine, service
from parley.calls.machine import Call, CallRefused
from parley.calls.schemas import (
    CallAcceptFrame,
    CallCancelFrame,
    CallFrame,
    CallHangupFrame,
    CallInviteFrame,
    CallRejectFrame,
    CallSignalFrame,
)
from parley.calls.store import CallStore
from parley.core.clock import utcnow
from parley.core.errors import Conflict, NotFound
from parley.core.events import Publication
from parley.core.ids import new_id
from parley.db.session import read_scope, write_scope
from parley.runtime import Runtime

logger = structlog.get_logger()
Post = Callable[[Sequence[Publication]], None]
Device = tuple[str, str]  # (user id, device id)


class CallSignalling:
    def __init__(
        self,
        rt: Runtime,
        post: Post,
        store: CallStore,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.rt, self.post, self.store, self.clock = rt, post, store, clock
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(
        self, user_id: str, device: str, frame: CallFrame, permissions: frozenset[Permission]
    ) -> None:
        """One client frame from this device, whose user holds `permissions` (the socket's
        current set). Refusals raise a `Problem` (an error frame)."""
        me = (user_id, device)
        try:
            if isinstance(frame, CallInviteFrame):
                await self.invite(me, frame, permissions)
            elif isinstance(frame, CallSignalFrame):
                await self.signal(me, frame)
            elif isinstance(frame, CallAcceptFrame):
                await self._change(me, frame.call_id, lambda c, now: machine.accept(c, *me, now))
            elif isinstance(frame, CallRejectFrame):
                await self._change(me, frame.call_id, lambda c, now: machine.reject(c, me[0], now))
            elif isinstance(frame, CallCancelFrame):
                await self._change(me, frame.call_id, lambda c, now: machine.cancel(c, *me, now))
            elif isinstance(frame, CallHangupFrame):
                await self._change(me, frame.call_id, lambda c, now: machine.hangup(c, *me, now))
        except CallRefused as refused:
            raise Conflict(refused.detail, code=refused.code) from refused

    async def invite(
        self, me: Device, frame: CallInviteFrame, permissions: frozenset[Permission]
    ) -> None:
        async with read_scope(self.rt.db) as session:
            callee_id = await service.access_callee(
                session, uuid.UUID(me[0]), frame.conversation_id, permissions
            )
        call = machine.invite(
            str(new_id()),
            str(frame.conversation_id),
            frame.media,
            me,
            callee_id,
            self.clock(),
            self.rt.settings.call_ring_seconds,
        )
        held = await self.store.claim(call)
        if held is not None:
            if held.is_party(me[0]):
                raise Conflict("You are already in a call.", code="already_in_call")
            await self._finish(machine.busy(call, self.clock()), frame.ref)
            return
        self.post([frames.ringing(call, frame.ref), frames.invite(call)])
        self._later(self.rt.settings.call_ring_seconds, lambda: self.expire(call.id))

    async def signal(self, me: Device, frame: CallSignalFrame) -> None:
        call = await self._call_of(me[0], frame.call_id)
        to = machine.peer_of(call, *me)
        body = frame.model_dump(include={"kind", "sdp", "candidate"}, exclude_none=True)
        self.post([frames.signal(call, me[0], to, body)])

    async def expire(self, call_id: str) -> None:
        """The ring timer: a call still ringing after its deadline is missed."""
        try:
            await self._transition(call_id, lambda c, now: machine.expire(c, now))
        except KeyError:
            return  # ended before the timer fired

    async def device_left(self, user_id: str, device: str) -> None:
        """A socket closed: end the call it was an end of."""
        call = await self.store.of_user(user_id)
        if call is not None and call.in_call(user_id, device):
            try:
                await self._transition(
                    call.id, lambda c, now: machine.device_left(c, user_id, device, now)
                )
            except KeyError:
                return

    async def _call_of(self, user_id: str, call_id: str) -> Call:
        """The call, if this user is one of its two people (anyone else learns nothing)."""
        call = await self.store.get(call_id)
        if call is None or not call.is_party(user_id):
            raise NotFound("No such call.", code="call_not_found")
        return call

    async def _change(
        self, me: Device, call_id: str, change: Callable[[Call, datetime], Call]
    ) -> None:
        await self._call_of(me[0], call_id)
        try:
            await self._transition(call_id, change)
        except KeyError as exc:
            raise NotFound("No such call.", code="call_not_found") from exc

    async def _transition(self, call_id: str, change: Callable[[Call, datetime], Call]) -> None:
        now = self.clock()
        before, after = await self.store.update(call_id, lambda c: change(c, now))
        if after == before:
            return
        if after.state is machine.State.ACTIVE:
            self.post(frames.accepted(after))
        elif after.state is machine.State.ENDED:
            await self._finish(after)

    async def _finish(self, call: Call, ref: str | None = None) -> None:
        self.post(frames.ended(call, ref))
        try:
            await self._record(call)
        except Exception:
            logger.exception("calls.record_failed", call_id=call.id)

    async def _record(self, call: Call) -> None:
        async with write_scope(self.rt.db, self.rt.publish) as session:
            await service.record(session, call)

    def _later(self, seconds: float, job: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run a job after a delay, on this node (the ring timer)."""

        def start() -> None:
            task = asyncio.create_task(job())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        asyncio.get_running_loop().call_later(seconds, start)
