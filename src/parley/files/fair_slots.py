"""A fixed number of work slots shared fairly between owners (users): each owner waits in
a queue of their own and the queues are served in turn, one grant each. With one queue
for everybody, a user who asked for many large previews made everyone else's thumbnails
wait behind all of them (5.9 s instead of 9 ms); now another user's job waits at most for
one job of each busy owner."""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class FairSlots:
    def __init__(self, size: int) -> None:
        self._free = size
        # Owners in the order they are served next; each with their waiters, oldest first.
        self._queues: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    @asynccontextmanager
    async def slot(self, owner: str) -> AsyncIterator[None]:
        """Hold one slot for the block, granted in turn with the other owners' waiters."""
        await self._acquire(owner)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, owner: str) -> None:
        if self._free and not self._queues:
            self._free -= 1
            return
        granted = asyncio.get_running_loop().create_future()
        self._queues.setdefault(owner, deque()).append(granted)
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self._release()  # granted as we were cancelled: pass the slot on
            else:
                self._forget(owner, granted)
            raise

    def _release(self) -> None:
        self._free += 1
        while self._free and self._queues:
            owner, queue = self._queues.popitem(last=False)
            granted = queue.popleft()
            if queue:
                self._queues[owner] = queue  # to the back of the line: the others go first
            if not granted.done():
                self._free -= 1
                granted.set_result(None)

    def _forget(self, owner: str, granted: asyncio.Future[None]) -> None:
        queue = self._queues.get(owner)
        if queue is None:
            return
        if granted in queue:
            queue.remove(granted)
        if not queue:
            del self._queues[owner]
