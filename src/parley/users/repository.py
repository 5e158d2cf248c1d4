"""Every SQL statement of the users domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Row,
    Select,
    Uuid,
    and_,
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
from parley.users.models import AuthSession, LoginThrottle, PasswordHistory, SecurityAlert, User


async def get(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def avatar_owner(session: AsyncSession, file_id: uuid.UUID) -> uuid.UUID | None:
    stmt = select(User.id).where(User.avatar_file_id == file_id).limit(1)
    return await session.scalar(stmt)


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
    peers_of: uuid.UUID | None = None,
) -> list[User]:
    """Users whose name, username, name's pinyin or initials (`pinyin_key`, see
    users/pinyin.py) contain the query; their e-mail too when `match_email`; only those
    sharing a conversation with `peers_of` (and themself) when it is set."""
    stmt = select(User).order_by(User.username).limit(limit)
    if peers_of is not None:
        stmt = stmt.where(or_(User.id == peers_of, User.id.in_(_peers(peers_of))))
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


# The conversations domain's membership table, named here rather than imported (it is a
# higher layer): who may see whose profile depends on sharing a conversation.
_members = table("members", column("conversation_id", Uuid), column("user_id", Uuid))


def _peers(user_id: uuid.UUID) -> Select[Any]:
    mine = select(_members.c.conversation_id).where(_members.c.user_id == user_id)
    return select(_members.c.user_id).where(_members.c.conversation_id.in_(mine))


async def active_owner_ids(session: AsyncSession) -> list[uuid.UUID]:
    """The active owners, their rows locked (PostgreSQL) so that two owners demoting or
    disabling each other at once cannot both succeed."""
    query = select(User.id).where(User.role == "owner", User.is_active).with_for_update()
    return list(await session.scalars(query))


async def shares_conversation(session: AsyncSession, a: uuid.UUID, b: uuid.UUID) -> bool:
    mine, theirs = _members.alias("mine"), _members.alias("theirs")
    stmt = (
        select(literal(1))
        .select_from(mine)
        .join(theirs, theirs.c.conversation_id == mine.c.conversation_id)
        .where(mine.c.user_id == a, theirs.c.user_id == b)
        .limit(1)
    )
    return await session.scalar(stmt) is not None


async def add_session(session: AsyncSession, values: dict[str, object]) -> None:
    """A Core INSERT: a login adds one row and reads nothing back, so the ORM's unit of
    work (a third of a login's CPU, with the old failure-count reset) buys nothing here."""
    connection = await session.connection()
    await connection.execute(insert(AuthSession).values(values))


def not_expired(now: Any) -> Any:
    """The account has no expiry, or it lies after `now`."""
    return or_(User.expires_at.is_(None), User.expires_at > now)


_ACTIVE_SESSION = (
    select(
        AuthSession.id,
        AuthSession.user_id,
        User.role,
        # The session ends with the account: a socket holding it closes then (gateway).
        case(
            (
                and_(User.expires_at.is_not(None), User.expires_at < AuthSession.expires_at),
                User.expires_at,
            ),
            else_=AuthSession.expires_at,
        ).label("expires_at"),
        User.must_change_password,
    )
    .join(User, User.id == AuthSession.user_id)
    .where(
        AuthSession.token_hash == bindparam("token_hash"),
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > bindparam("now"),
        User.is_active,
        not_expired(bindparam("now")),
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


async def recent_password_hashes(
    session: AsyncSession, user_id: uuid.UUID, limit: int
) -> list[str]:
    """The user's last `limit` password hashes, newest first."""
    rows = await session.scalars(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.user_id == user_id)
        .order_by(PasswordHistory.created_at.desc(), PasswordHistory.id.desc())
        .limit(limit)
    )
    return list(rows)


async def add_password_history(
    session: AsyncSession, user_id: uuid.UUID, password_hash: str, at: datetime, keep: int
) -> None:
    """Remember a password just set; forget all but the user's last `keep`."""
    session.add(PasswordHistory(user_id=user_id, password_hash=password_hash, created_at=at))
    await session.flush()
    kept = (
        select(PasswordHistory.id)
        .where(PasswordHistory.user_id == user_id)
        .order_by(PasswordHistory.created_at.desc(), PasswordHistory.id.desc())
        .limit(keep)
    )
    await session.execute(
        delete(PasswordHistory).where(
            PasswordHistory.user_id == user_id, PasswordHistory.id.not_in(kept)
        )
    )


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
