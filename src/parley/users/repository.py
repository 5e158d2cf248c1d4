"""Every SQL statement of the users domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Row,
    bindparam,
    case,
    column,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from parley.core.text import like_pattern
from parley.db.base import UTCDateTime
from parley.security.login_policy import NO_WAIT, Bucket
from parley.users.models import AuthSession, LoginThrottle, SecurityAlert, User


async def get(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def avatar_in_use(session: AsyncSession, file_id: uuid.UUID) -> bool:
    stmt = select(User.id).where(User.avatar_file_id == file_id).limit(1)
    return await session.scalar(stmt) is not None


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[User]:
    if not ids:
        return []
    rows = await session.scalars(select(User).where(User.id.in_(set(ids))))
    return list(rows)


_BY_LOGIN = select(User).where(
    or_(User.username == bindparam("login"), User.email == bindparam("login"))
)


async def by_login(session: AsyncSession, login: str) -> User | None:
    return await session.scalar(_BY_LOGIN, {"login": login.lower()})


async def exists_username_or_email(session: AsyncSession, username: str, email: str | None) -> bool:
    cond = User.username == username
    if email:
        cond = or_(cond, User.email == email)
    return await session.scalar(select(func.count()).select_from(User).where(cond)) > 0


async def search(
    session: AsyncSession,
    query: str,
    pinyin_key: str,
    *,
    after: str | None,
    limit: int,
    include_inactive: bool,
    match_email: bool,
) -> list[User]:
    """Users whose name, username, name's pinyin or initials (`pinyin_key`, see
    users/pinyin.py) contain the query; their e-mail too when `match_email`."""
    stmt = select(User).order_by(User.username).limit(limit)
    if query:
        pattern = like_pattern(query.lower())
        fields = [func.lower(User.display_name), User.username]
        if match_email:
            fields.append(User.email)
        matches = [f.like(pattern, escape="\\") for f in fields]
        if pinyin_key:
            key_pattern = like_pattern(pinyin_key)
            matches += [
                User.name_pinyin.like(key_pattern, escape="\\"),
                User.name_initials.like(key_pattern, escape="\\"),
            ]
        stmt = stmt.where(or_(*matches))
    if after:
        stmt = stmt.where(User.username > after)
    if not include_inactive:
        stmt = stmt.where(User.is_active)
    return list(await session.scalars(stmt))


async def add_session(session: AsyncSession, values: dict[str, object]) -> None:
    """A Core INSERT: a login adds one row and reads nothing back, so the ORM's unit of
    work (a third of a login's CPU, with the old failure-count reset) buys nothing here."""
    connection = await session.connection()
    await connection.execute(insert(AuthSession).values(values))


_ACTIVE_SESSION = (
    select(
        AuthSession.id,
        AuthSession.user_id,
        User.role,
        AuthSession.expires_at,
        User.must_change_password,
    )
    .join(User, User.id == AuthSession.user_id)
    .where(
        AuthSession.token_hash == bindparam("token_hash"),
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > bindparam("now"),
        User.is_active,
    )
)


async def active_session(
    session: AsyncSession, token_hash: str, now: datetime
) -> Row[tuple[uuid.UUID, uuid.UUID, str, datetime, bool]] | None:
    """(session id, user id, role, expiry, must change password) of a live token. Every
    request and socket asks this, so it is built once and runs on the connection as plain
    columns: loading the session and the user as ORM objects cost ~1 ms of CPU per request
    (bench/README.md)."""
    connection = await session.connection()
    params = {"token_hash": token_hash, "now": now}
    return (await connection.execute(_ACTIVE_SESSION, params)).first()


async def list_sessions(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> list[AuthSession]:
    rows = await session.scalars(
        select(AuthSession)
        .where(
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
        )
        .order_by(AuthSession.created_at.desc())
    )
    return list(rows)


async def revoke_sessions(
    session: AsyncSession,
    user_id: uuid.UUID,
    at: datetime,
    *,
    only: uuid.UUID | None = None,
    keep: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Revoke the user's live sessions (one of them, or all but `keep`); return their ids."""
    stmt = (
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=at)
        .returning(AuthSession.id)
    )
    if only is not None:
        stmt = stmt.where(AuthSession.id == only)
    if keep is not None:
        stmt = stmt.where(AuthSession.id != keep)
    return list((await session.scalars(stmt)).all())


async def ids_by_usernames(session: AsyncSession, usernames: set[str]) -> list[uuid.UUID]:
    if not usernames:
        return []
    rows = await session.scalars(
        select(User.id).where(User.username.in_(usernames), User.is_active)
    )
    return list(rows)


# -- login throttle (security/login_policy.py) -----------------------------------------


def _reserve_statement(dialect_name: str, bucket: Bucket, now: datetime) -> Any:
    """Count one attempt against `bucket` unless it must wait: one statement, so that
    parallel attempts (on any node) each see the count the others left. Returns the
    count, or no row when the attempt must wait."""
    table = LoginThrottle.__table__.c
    expired = table.reset_at <= now

    def at(value: datetime) -> Any:
        return literal(value, UTCDateTime())

    counted = case((expired, 1), else_=table.attempts + 1)
    allowed = case(*((counted >= k, at(now + wait)) for k, wait in bucket.steps), else_=at(NO_WAIT))
    reset = at(now + bucket.window)
    if not bucket.sliding:
        reset = case((expired, reset), else_=table.reset_at)
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (
        dialect.insert(LoginThrottle)
        .values(
            key=bucket.key,
            attempts=1,
            allowed_at=bucket.allowed_at(1, now),
            reset_at=now + bucket.window,
        )
        .on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={
                "attempts": counted,
                "allowed_at": allowed,
                "reset_at": reset,
            },
            where=or_(table.allowed_at <= now, expired),
        )
        .returning(LoginThrottle.attempts)
    )


async def reserve_attempt(
    session: AsyncSession, buckets: Sequence[Bucket], now: datetime
) -> dict[str, int | None]:
    """Count an attempt against each bucket: key -> its count, or None where it must wait.
    Taken in key order, so that concurrent attempts lock rows in one order (no deadlock)."""
    dialect_name = session.get_bind().dialect.name
    counts: dict[str, int | None] = {}
    for bucket in sorted(buckets, key=lambda b: b.key):
        result = await session.execute(_reserve_statement(dialect_name, bucket, now))
        counts[bucket.key] = result.scalar_one_or_none()
    return counts


async def throttle_rows(session: AsyncSession, keys: Sequence[str]) -> list[LoginThrottle]:
    return list(await session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))))


async def release_attempt(session: AsyncSession, clear: str, take_back: Sequence[str]) -> None:
    """After a success: forget counter `clear` and take the attempt back from the others.
    Rows in key order, as `reserve_attempt` locks them (no deadlock with it)."""
    for key in sorted([clear, *take_back]):
        if key == clear:
            await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
        else:
            await session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key, LoginThrottle.attempts > 0)
                .values(attempts=LoginThrottle.attempts - 1)
            )


async def forget_throttles(session: AsyncSession, keys: Sequence[str]) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))


_PRUNE_BATCH = 1000


async def prune_throttle(session: AsyncSession, now: datetime) -> None:
    """Drop counters that have started over and hold no wait: they count nothing. Rows
    another login holds are skipped (PostgreSQL), so pruning never waits for one."""
    idle = (
        select(LoginThrottle.key)
        .where(LoginThrottle.reset_at <= now, LoginThrottle.allowed_at <= now)
        .limit(_PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    await session.execute(
        delete(LoginThrottle).where(LoginThrottle.key.in_(idle.scalar_subquery()))
    )


async def add_security_alert(session: AsyncSession, values: dict[str, object]) -> None:
    await session.execute(insert(SecurityAlert).values(values))


async def list_security_alerts(
    session: AsyncSession, *, before: uuid.UUID | None, limit: int
) -> list[SecurityAlert]:
    stmt = select(SecurityAlert).order_by(SecurityAlert.id.desc()).limit(limit)
    if before is not None:
        stmt = stmt.where(SecurityAlert.id < before)
    return list(await session.scalars(stmt))


# The organisation row belongs to the org domain (above this one); registration reads
# only its override column, through a lightweight table, not org's model.
_ORG = table("organization", column("id"), column("self_registration"))


async def registration_override(session: AsyncSession) -> bool | None:
    """The administrator's self-registration choice (org/settings.py), or None: the
    environment decides."""
    return await session.scalar(select(_ORG.c.self_registration).where(_ORG.c.id == 1))


async def taken(
    session: AsyncSession, usernames: set[str], emails: set[str]
) -> tuple[set[str], set[str]]:
    """Which of these (lower-case) usernames and e-mail addresses accounts already use."""
    names = set(await session.scalars(select(User.username).where(User.username.in_(usernames))))
    mails: set[str] = set()
    if emails:
        found = await session.scalars(select(User.email).where(User.email.in_(emails)))
        mails = {m for m in found if m}
    return names, mails


async def email_owner(session: AsyncSession, email: str) -> uuid.UUID | None:
    return await session.scalar(select(User.id).where(User.email == email))
