"""Every SQL statement of the users domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parley.core.text import like_pattern
from parley.users.models import AuthSession, User


async def get(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


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


async def count_admins(session: AsyncSession) -> int:
    stmt = select(func.count()).select_from(User).where(User.role == "admin", User.is_active)
    return int(await session.scalar(stmt) or 0)


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


async def record_failed_login(session: AsyncSession, user_id: uuid.UUID, at: datetime) -> None:
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(failed_logins=User.failed_logins + 1, last_failed_login_at=at)
    )


async def add_session(session: AsyncSession, values: dict[str, object]) -> None:
    """A Core INSERT: a login adds one row and reads nothing back, so the ORM's unit of
    work (a third of a login's CPU with the reset below) buys nothing here."""
    connection = await session.connection()
    await connection.execute(insert(AuthSession).values(values))


async def reset_failed_logins(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(User).where(User.id == user_id, User.failed_logins > 0).values(failed_logins=0)
    )


_ACTIVE_SESSION = (
    select(AuthSession.id, AuthSession.user_id, User.role, AuthSession.expires_at)
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
) -> Row[tuple[uuid.UUID, uuid.UUID, str, datetime]] | None:
    """(session id, user id, role, expiry) of a live token. Every request and socket asks
    this, so it is built once and runs on the connection as plain columns: loading the
    session and the user as ORM objects cost ~1 ms of CPU per request (bench/README.md)."""
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
