"""The node's send queue: one writer task stores what every socket sent, a batch per
transaction, and answers each sender only after that COMMIT (the ack still promises
durability). Alone, a send is stored at once; under load, the sends that arrive while a
batch is being written form the next one, so the cost of a transaction and of each
statement is shared by tens or hundreds of messages (send_batch.py)."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

import structlog
from fastapi import Depends

from parley.config import Settings
from parley.core.app_state import app_state
from parley.db.engine import Database
from parley.db.session import Publisher, write_scope
from parley.messages import send_batch
from parley.messages.send_batch import Outcome, SendRequest, Sent

log = structlog.get_logger()
# A batch runs on the event loop without pausing on SQLite (inline writer): this bounds
# that pause to a few tens of milliseconds, and keeps the batch lookups (one OR term per
# send) far below SQLite's expression depth limit of 1,000.
MAX_BATCH = 256
# A batch slower than this is logged with its timings (an operator's slow-write log).
SLOW_BATCH_SECONDS = 0.1

Waiting = tuple[SendRequest, "asyncio.Future[Sent]"]


class SendQueue:
    def __init__(self, db: Database, publish: Publisher, settings: Settings) -> None:
        self._db, self._publish, self._settings = db, publish, settings
        self._waiting: list[Waiting] = []
        self._writer: asyncio.Task[None] | None = None

    async def send(self, request: SendRequest) -> Sent:
        """The stored message once committed, or the problem that refused the send."""
        future: asyncio.Future[Sent] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        if self._writer is None:
            self._writer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
                # A sender that went away (socket closed) no longer waits for its ack.
                await self._store([w for w in batch if not w[1].done()])
        finally:
            self._writer = None

    async def _store(self, batch: list[Waiting]) -> None:
        if not batch:
            return
        started = time.monotonic()
        try:
            async with write_scope(self._db, self._publish) as session:
                outcomes = await send_batch.store(session, self._settings, [r for r, _ in batch])
                stored = time.monotonic()
        except Exception:
            log.warning("messages.send_batch_failed", size=len(batch), exc_info=True)
            for request, future in batch:
                _settle(future, await self._store_alone(request))
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            _settle(future, outcome)
        if (took := time.monotonic() - started) > SLOW_BATCH_SECONDS:
            # Where a slow batch spent its time: statements, or COMMIT plus publishing.
            log.warning(
                "messages.slow_batch",
                size=len(batch),
                seconds=round(took, 3),
                statements=round(stored - started, 3),
            )

    async def _store_alone(self, request: SendRequest) -> Outcome | Exception:
        """After a failed batch, each send in its own transaction through the full path,
        so that only the send at fault fails (or a retry that raced one on another node
        finds its copy)."""
        try:
            async with write_scope(self._db, self._publish) as session:
                return await send_batch.send_one(session, self._settings, request)
        except Exception as exc:
            return exc


def _settle(future: asyncio.Future[Sent], outcome: Outcome | Exception) -> None:
    if future.done():
        return
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


SendQueueDep = Annotated[SendQueue, Depends(app_state("send_queue"))]
