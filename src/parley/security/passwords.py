"""argon2id password hashing, run off the event loop (it is deliberately slow)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from parley.config import Settings
from parley.core.errors import Invalid

MIN_LENGTH = 8
MAX_LENGTH = 256


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
        )
        # A hash to verify against when the account does not exist, so that timing
        # does not reveal which usernames are real.
        self._decoy = self._hasher.hash("parley-decoy-password")

    async def hash(self, password: str) -> str:
        check_strength(password)
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        def _verify() -> bool:
            try:
                return self._hasher.verify(password_hash or self._decoy, password)
            except (VerificationError, InvalidHashError):
                return False

        ok = await asyncio.to_thread(_verify)
        return ok and password_hash is not None


def check_strength(password: str) -> None:
    """422 `weak_password`; `reason` (and its limit) lets clients say why in their language."""
    if len(password) < MIN_LENGTH:
        raise Invalid(
            f"Password must have at least {MIN_LENGTH} characters.",
            code="weak_password",
            reason="too_short",
            min_length=MIN_LENGTH,
        )
    if len(password) > MAX_LENGTH:
        raise Invalid(
            f"Password must have at most {MAX_LENGTH} characters.",
            code="weak_password",
            reason="too_long",
            max_length=MAX_LENGTH,
        )
    if password.isdigit() or len(set(password)) < 4:
        raise Invalid("Password is too easy to guess.", code="weak_password", reason="too_simple")
