"""Setting a password and the organisation's rules around it that need the account:
its own words (the policy refuses passwords made of them), the history of its recent
passwords (PARLEY_PASSWORD_HISTORY) and when it expires (PARLEY_PASSWORD_EXPIRY_DAYS).
The strength rules themselves are in security/password_policy.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parley.config import Settings
from parley.core.clock import utcnow
from parley.core.errors import Invalid
from parley.runtime import Runtime
from parley.users import repository as repo
from parley.users.models import User


def own_words(username: str, display_name: str, email: str | None) -> list[str]:
    """What a password must not be built from: zxcvbn counts these as easy guesses."""
    words = [username, display_name, *(email.split("@") if email else [])]
    return [w for w in words if w]


def words_of(user: User) -> list[str]:
    return own_words(user.username, user.display_name, user.email)


async def recent_hashes(session: AsyncSession, settings: Settings, user: User) -> list[str]:
    """The hashes a new password is compared with: the current one and, when history is
    kept, the others of the last PARLEY_PASSWORD_HISTORY (empty when that is off)."""
    keep = settings.password_history
    if not keep:
        return []
    recent = await repo.recent_password_hashes(session, user.id, keep)
    return list(dict.fromkeys([user.password_hash, *recent]))[:keep]


async def refuse_reuse(rt: Runtime, hashes: list[str], password: str) -> None:
    """422 `password_reused` if `password` is one of the user's recent ones. Runs on the
    hashing pool outside any transaction, like every hash."""
    if await rt.passwords.matches_any(hashes, password):
        keep = rt.settings.password_history
        raise Invalid(
            f"Choose a password you have not used for your last {keep} passwords.",
            code="password_reused",
            history=keep,
        )


async def set_password(
    session: AsyncSession, settings: Settings, user: User, new_hash: str
) -> None:
    """Store a new password hash and start its expiry; remember it while history is kept."""
    now = utcnow()
    user.password_hash, user.password_changed_at = new_hash, now
    await session.flush()
    if settings.password_history:
        await repo.add_password_history(session, user.id, new_hash, now, settings.password_history)


def expired(settings: Settings, user: User, now: datetime) -> bool:
    """Whether the password is older than PARLEY_PASSWORD_EXPIRY_DAYS (never when 0)."""
    days = settings.password_expiry_days
    changed = user.password_changed_at
    return bool(days) and changed is not None and now - changed >= timedelta(days=days)
