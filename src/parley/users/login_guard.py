"""Login throttling: count an attempt before its password is checked, settle it after.

The counters and their rules are in security/login_policy.py; here they meet the
database and the administrators. Every failure (unknown name, wrong password, disabled
account) is settled the same way, so none can be told from another.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.config import Settings
from parley.core.errors import Locked, TooManyRequests
from parley.core.ids import new_id
from parley.security.login_policy import Bucket, account_key, buckets
from parley.users import repository as repo
from parley.users.models import SecurityAlert, User
from parley.users.principal import Principal

log = structlog.get_logger()

# One failure in this many also drops the counters that count nothing any more.
PRUNE_ONE_IN = 64


@dataclass(frozen=True, slots=True)
class Attempt:
    login: str
    buckets: list[Bucket]
    counts: dict[str, int]

    def bucket(self, kind: str) -> Bucket:
        return next(b for b in self.buckets if b.kind == kind)


async def count_attempt(
    session: AsyncSession, settings: Settings, login: str, ip: str, now: datetime
) -> Attempt:
    """Count the attempt against each of its counters, or refuse it (and count nothing)
    with 429 `login_throttled` while its source must wait, 423 `account_locked` while the
    account's ceiling holds. The caller's transaction must end before the slow check."""
    attempt_buckets = buckets(settings, login, ip)
    counts = await repo.reserve_attempt(session, attempt_buckets, now)
    waiting = [b for b in attempt_buckets if counts[b.key] is None]
    if not waiting:
        return Attempt(login.lower(), attempt_buckets, {k: c for k, c in counts.items() if c})
    rows = await repo.throttle_rows(session, [b.key for b in waiting])
    until = max(min(r.allowed_at, r.reset_at) for r in rows) if rows else now
    retry = max(1, int((until - now).total_seconds()) + 1)
    detail = f"Too many failed logins. Try again in {retry} s."
    # Raising rolls the transaction back: the counters that did take it forget it.
    if any(b.kind == "account" for b in waiting):
        raise Locked(detail, code="account_locked", retry_after=retry)
    raise TooManyRequests(detail, code="login_throttled", retry_after=retry)


async def succeeded(session: AsyncSession, attempt: Attempt) -> None:
    """The right password of an active account: its source starts afresh for this name,
    and the attempt is taken back from the address's and the account's counts."""
    others = [b.key for b in attempt.buckets if b.kind != "pair"]
    await repo.release_attempt(session, attempt.bucket("pair").key, others)


async def failed(
    session: AsyncSession, settings: Settings, attempt: Attempt, user: User | None, now: datetime
) -> None:
    """The attempt stays counted. If it is the one that reached the account's ceiling,
    the administrators are told (once per window: later attempts are refused unchecked)."""
    account = attempt.bucket("account")
    if attempt.counts.get(account.key) == settings.login_account_ceiling:
        window = settings.login_account_window_seconds
        detail = (
            f"{settings.login_account_ceiling} failed logins within {window} s from all "
            "addresses together; sign-in with this name is locked for the rest of the window."
        )
        await repo.add_security_alert(
            session,
            {
                "id": new_id(),
                "kind": "login_ceiling",
                "login": attempt.login[:254],
                "user_id": user.id if user else None,
                "detail": detail,
                "created_at": now,
            },
        )
        log.warning(
            "security.login_ceiling",
            login=attempt.login,
            user_id=str(user.id) if user else None,
            failures=settings.login_account_ceiling,
            window_seconds=window,
        )
    if secrets.randbelow(PRUNE_ONE_IN) == 0:
        await repo.prune_throttle(session, now)


async def lift_account_lock(session: AsyncSession, user: User) -> None:
    """An administrator vouched for the account (enabled it, set its password): the
    ceiling of its names from all addresses starts over. Sources still throttled stay so."""
    names = [n for n in (user.username, user.email) if n]
    await repo.forget_throttles(session, [account_key(n) for n in names])


async def list_alerts(
    session: AsyncSession, actor: Principal, *, before: uuid.UUID | None, limit: int
) -> list[SecurityAlert]:
    actor.require(Permission.MANAGE_USERS)
    return await repo.list_security_alerts(session, before=before, limit=limit)
