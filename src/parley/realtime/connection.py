"""One client socket: a bounded outbound queue drained by its own writer task.

Fan-out only ever calls `send`, which never waits: when the queue is full the client
is too slow (or dead), and it is dropped rather than allowed to stall anyone else.

Fast path: when the socket is served by uvicorn's `websockets-sansio` protocol (found at
accept, see wire.py), nothing is queued and no writer is behind, `send` writes the
frame's pre-built bytes straight to the transport: no task switch, no per-socket framing.
As soon as the transport pushes back (its buffer passed the high-water mark) or frames
are already waiting, frames go to the bounded queue as before, so order is kept and a
slow consumer still fills its queue and is dropped (4008)."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.websockets import WebSocket

from parley.access.permissions import Permission
from parley.core.jsonutil import dumps
from parley.realtime.wire import OutFrame, can_write

CLOSE_NORMAL = 1000
CLOSE_AUTH = 4001  # token revoked, expired or invalid
CLOSE_SLOW = 4008  # slow consumer
CLOSE_TIMEOUT = 4009  # heartbeat missed


@dataclass(eq=False)
class Connection:
    websocket: WebSocket
    user_id: str
    session_id: str
    expires_at: datetime
    queue_size: int
    # Kept to re-check the session against the database while the socket lives.
    token: str = field(default="", repr=False)
    # uvicorn's protocol object when frames may be written to its transport directly.
    raw: Any = field(default=None, repr=False)
    # The user's effective permissions, checked by the frames that need one (a send with
    # @all, a call). Set at authentication, replaced when the user's roles change (the
    # hub applies a `permissions` control) and at each session re-check.
    permissions: frozenset[Permission] = frozenset()
    queue: asyncio.Queue[OutFrame] = field(init=False)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int = CLOSE_NORMAL
    close_reason: str = ""
    typing_at: dict[str, float] = field(default_factory=dict)
    # This socket among its user's devices: a call is between two sockets (calls/).
    device_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    last_seen: float = field(default_factory=time.monotonic)
    # Membership changes (join, leave) seen while the socket's snapshot of conversations
    # was being read; None once the snapshot is applied (see Hub.subscribe).
    pending_ops: list[tuple[dict[str, int], list[str]]] | None = field(default_factory=list)
    # Direct writes start once `hello` is queued (it must be the first frame) and stop
    # while the writer task holds a frame it has taken from the queue.
    direct: bool = False
    writing: bool = False

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(self.queue_size)

    def send(self, frame: OutFrame | str) -> None:
        if self.done.is_set():
            return
        if isinstance(frame, str):
            frame = OutFrame(frame.encode())
        if self._writes_directly():
            self.raw.transport.write(frame.wire)
            return
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.close(CLOSE_SLOW, "slow consumer")

    def send_all(self, frames: list[OutFrame]) -> None:
        """Several frames in order, in one write (one system call) when possible."""
        if len(frames) > 1 and not self.done.is_set() and self._writes_directly():
            self.raw.transport.write(b"".join(f.wire for f in frames))
            return
        for frame in frames:
            self.send(frame)

    def _writes_directly(self) -> bool:
        raw = self.raw
        return (
            raw is not None
            and self.direct
            and not self.writing
            and self.queue.empty()
            and can_write(raw)
        )

    def send_json(self, frame: dict[str, object]) -> None:
        self.send(OutFrame(dumps(frame)))

    def greet(self, hello: dict[str, object]) -> None:
        """Queue `hello` ahead of any frame queued while the socket was subscribing (the
        writer has not started yet), so clients always see it first."""
        queued = []
        while not self.queue.empty():
            queued.append(self.queue.get_nowait())
        self.send_json(hello)
        for frame in queued:
            self.send(frame)
        self.direct = True

    def close(self, code: int, reason: str) -> None:
        if not self.done.is_set():
            self.close_code, self.close_reason = code, reason
            self.done.set()

    async def write(self, frame: OutFrame) -> None:
        """Write one frame, waiting while the transport pushes back."""
        raw = self.raw
        if raw is None:
            await self.websocket.send_text(frame.text)
            return
        await raw.writable.wait()
        if can_write(raw):
            raw.transport.write(frame.wire)

    async def write_loop(self) -> None:
        while True:
            frame = await self.queue.get()
            self.writing = True
            try:
                await self.write(frame)
            finally:
                self.writing = False
