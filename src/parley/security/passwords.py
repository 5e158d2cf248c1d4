"""argon2id password hashing on a small pool of its own, with a bounded queue.

argon2 is deliberately slow and memory-hungry. Run without a bound, a flood of logins
(no account needed) took every core from the rest of the node: 64 parallel logins
pushed `GET /users/me` from 10 ms to seconds (bench/README.md, "Login flood"). Hashing
now runs on `PARLEY_HASH_WORKERS` threads. Logins take a place first: at most
`PARLEY_HASH_QUEUE` of them may wait for a thread, at most `PARLEY_HASH_PER_SOURCE` of all
places may be one client address's, and beyond that a login gets 503 `overloaded` with
Retry-After at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from parley.config import Settings
from parley.core.errors import Overloaded
from parley.security.password_policy import PasswordPolicy

RETRY_AFTER_SECONDS = 1

T = TypeVar("T")


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
        )
        workers = settings.hash_workers or max(1, (os.cpu_count() or 2) // 2)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="argon2")
        self._capacity = workers + settings.hash_queue
        self._per_source = settings.hash_per_source
        self._taken = 0
        self._by_source: Counter[str] = Counter()
        # A hash to verify against when the account does not exist, so that timing
        # does not reveal which usernames are real.
        self._decoy = self._hasher.hash("parley-decoy-password")
        self.policy = PasswordPolicy(settings)

    @contextlib.contextmanager
    def place(self, source: str) -> Iterator[None]:
        """Hold a place on the pool (running or queued) for a login from `source` (a
        client address), or raise 503 `overloaded` now: when all places are taken, or
        when `source` holds its share already, so that one flood cannot queue everyone
        else behind it. Login takes it before anything else, so a flood is refused
        before it costs a database write. Hashing for signed-in users (accounts an
        administrator creates, password changes) needs no place: it only waits for the
        same threads."""
        if self._taken >= self._capacity or self._by_source[source] >= self._per_source:
            raise Overloaded(
                "Too many sign-ins at once; try again shortly.", retry_after=RETRY_AFTER_SECONDS
            )
        self._taken += 1
        self._by_source[source] += 1
        try:
            yield
        finally:
            self._taken -= 1
            self._by_source[source] -= 1
            if not self._by_source[source]:
                del self._by_source[source]

    async def hash(self, password: str, user_inputs: Sequence[str] = ()) -> str:
        """The hash of a new password, which must pass the policy first (422
        `weak_password`); `user_inputs` are the account's own words (password_policy.py)."""

        def _checked_hash() -> str:
            self.policy.check(password, user_inputs)
            return self._hasher.hash(password)

        return await self._run(_checked_hash)

    async def matches_any(self, hashes: Sequence[str], password: str) -> bool:
        """Whether `password` is the one behind any of `hashes` (password history)."""

        def _any() -> bool:
            return any(_verifies(self._hasher, h, password) for h in hashes)

        return bool(hashes) and await self._run(_any)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        ok = await self._run(_verifies, self._hasher, password_hash or self._decoy, password)
        return ok and password_hash is not None

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _verifies(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
