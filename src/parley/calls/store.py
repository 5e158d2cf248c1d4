"""Where live calls are kept. The interface is what several nodes need (an atomic claim of
both people, an atomic update, a lookup by user); `MemoryCallStore` implements it for one
node. A Redis store (a hash per call, a key per busy user, WATCH/MULTI or a Lua script
for `claim` and `update`) can replace it without touching the service."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from parley.calls.machine import Call, State


class CallStore(ABC):
    @abstractmethod
    async def claim(self, call: Call) -> Call | None:
        """Store a new call if neither person is in one; else the call that holds the
        callee (or the caller) and store nothing."""

    @abstractmethod
    async def get(self, call_id: str) -> Call | None: ...

    @abstractmethod
    async def of_user(self, user_id: str) -> Call | None:
        """The live call this user is in (ringing or active), if any."""

    @abstractmethod
    async def update(self, call_id: str, change: Callable[[Call], Call]) -> tuple[Call, Call]:
        """Apply a pure transition atomically; return the call before and after. An ended
        call is forgotten (its people are free again). KeyError when there is none."""


class MemoryCallStore(CallStore):
    """One node's calls. Nothing here awaits, so every method is atomic on the loop."""

    def __init__(self) -> None:
        self._calls: dict[str, Call] = {}
        self._by_user: dict[str, str] = {}

    async def claim(self, call: Call) -> Call | None:
        for user_id in (call.callee_id, call.caller_id):
            held = self._by_user.get(user_id)
            if held is not None:
                return self._calls[held]
        self._calls[call.id] = call
        self._by_user[call.caller_id] = self._by_user[call.callee_id] = call.id
        return None

    async def get(self, call_id: str) -> Call | None:
        return self._calls.get(call_id)

    async def of_user(self, user_id: str) -> Call | None:
        call_id = self._by_user.get(user_id)
        return None if call_id is None else self._calls[call_id]

    async def update(self, call_id: str, change: Callable[[Call], Call]) -> tuple[Call, Call]:
        before = self._calls[call_id]
        after = change(before)
        if after.state is State.ENDED:
            del self._calls[call_id]
            for user_id in (after.caller_id, after.callee_id):
                if self._by_user.get(user_id) == call_id:
                    del self._by_user[user_id]
        else:
            self._calls[call_id] = after
        return before, after
