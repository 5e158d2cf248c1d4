"""One client socket: a bounded outbound queue drained by its own writer task.

Fan-out only ever calls `send`, which never waits: when the queue is full the client
is too slow (or dead), and it is dropped rather than allowed to stall anyone else."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime

from starlette.websockets import WebSocket

from parley.core.jsonutil import dumps

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
    queue: asyncio.Queue[str] = field(init=False)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int = CLOSE_NORMAL
    close_reason: str = ""
    typing_at: dict[str, float] = field(default_factory=dict)
    last_seen: float = field(default_factory=time.monotonic)
    # Membership changes (join, leave) seen while the socket's snapshot of conversations
    # was being read; None once the snapshot is applied (see Hub.subscribe).
    pending_ops: list[tuple[list[str], list[str]]] | None = field(default_factory=list)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(self.queue_size)

    def send(self, text: str) -> None:
        if self.done.is_set():
            return
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self.close(CLOSE_SLOW, "slow consumer")

    def send_json(self, frame: dict[str, object]) -> None:
        self.send(dumps(frame).decode())

    def greet(self, hello: dict[str, object]) -> None:
        """Queue `hello` ahead of any frame queued while the socket was subscribing (the
        writer has not started yet), so clients always see it first."""
        queued = []
        while not self.queue.empty():
            queued.append(self.queue.get_nowait())
        self.send_json(hello)
        for text in queued:
            self.send(text)

    def close(self, code: int, reason: str) -> None:
        if not self.done.is_set():
            self.close_code, self.close_reason = code, reason
            self.done.set()

    async def write_loop(self) -> None:
        while True:
            text = await self.queue.get()
            await self.websocket.send_text(text)
