"""Account operations. Permission checks live here; the caller owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parley.core.clock import utcnow
from parley.core.errors import (
    Conflict,
    Forbidden,
    Invalid,
    Locked,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from parley.core.events import publication, user_topic
from parley.core.ids import new_id
from parley.db.session import publish_on_commit, read_scope, write_scope
from parley.runtime import Runtime
from parley.security.login_policy import next_allowed_at
from parley.security.tokens import new_token, token_hash
from parley.users import repository as repo
from parley.users.models import AuthSession, User
from parley.users.principal import Principal
from parley.users.schemas import (
    LoginResponse,
    PasswordChange,
    ProfileUpdate,
    Registration,
    UserCreate,
    UserPage,
    UserRead,
)


async def create_user(
    session: AsyncSession, rt: Runtime, body: UserCreate | Registration, *, role: str = "member"
) -> User:
    username = body.username.lower()
    email = body.email.lower() if body.email else None
    if await repo.exists_username_or_email(session, username, email):
        raise Conflict("That username or email is already taken.", code="user_exists")
    user = User(
        username=username,
        email=email,
        display_name=body.display_name,
        title=getattr(body, "title", ""),
        password_hash=await rt.passwords.hash(body.password),
        role=role,
    )
    session.add(user)
    await session.flush()
    return user


async def admin_create_user(
    session: AsyncSession, rt: Runtime, actor: Principal, body: UserCreate
) -> User:
    actor.require_admin()
    return await create_user(session, rt, body, role=body.role)


async def register(session: AsyncSession, rt: Runtime, body: Registration) -> User:
    if not rt.settings.self_registration:
        raise Forbidden("Self-registration is turned off.", code="registration_disabled")
    return await create_user(session, rt, body)


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await repo.get(session, user_id)
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    return user


def read_as(user: User, viewer: Principal) -> UserRead:
    """`user` as `viewer` may see them: the account role only for administrators and the
    user themself (whom to ask for rights is not every colleague's business)."""
    view = UserRead.model_validate(user)
    if viewer.is_admin or viewer.user_id == user.id:
        return view
    return view.model_copy(update={"role": None})


async def read_user(session: AsyncSession, viewer: Principal, user_id: uuid.UUID) -> UserRead:
    return read_as(await get_user(session, user_id), viewer)


async def get_users(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, User]:
    return {u.id: u for u in await repo.get_many(session, ids)}


async def require_active_users(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[User]:
    """The users with these ids, all of them active, or a 422 naming the first missing one."""
    found = await get_users(session, ids)
    for user_id in ids:
        user = found.get(user_id)
        if user is None or not user.is_active:
            raise Invalid(f"User {user_id} does not exist or is disabled.", code="user_not_found")
    return [found[i] for i in dict.fromkeys(ids)]


async def search(
    session: AsyncSession,
    actor: Principal,
    query: str,
    *,
    after: str | None,
    limit: int,
    include_inactive: bool,
) -> UserPage:
    if include_inactive:
        actor.require_admin()
    users = await repo.search(
        session, query, after=after, limit=limit + 1, include_inactive=include_inactive
    )
    more = len(users) > limit
    users = users[:limit]
    return UserPage(
        items=[read_as(u, actor) for u in users],
        next_cursor=users[-1].username if more else None,
    )


async def update_profile(session: AsyncSession, actor: Principal, body: ProfileUpdate) -> User:
    user = await get_user(session, actor.user_id)
    for field, value in body.model_dump(exclude_unset=True).items():
        if value is None:
            raise Invalid(f"{field} cannot be null.", code="invalid_field")
        setattr(user, field, value)
    await session.flush()
    publish_on_commit(
        session,
        publication(user_topic(user.id), {"type": "user.updated", "user": _public(user)}),
    )
    return user


async def set_active(
    session: AsyncSession, actor: Principal, user_id: uuid.UUID, active: bool
) -> User:
    actor.require_admin()
    if user_id == actor.user_id and not active:
        raise Conflict("You cannot disable your own account.", code="cannot_disable_self")
    user = await get_user(session, user_id)
    user.is_active = active
    if not active:
        revoked = await repo.revoke_sessions(session, user.id, utcnow())
        _announce_revoked(session, user.id, revoked, reason="account_disabled")
    else:
        user.failed_logins = 0
    await session.flush()
    return user


async def login(
    rt: Runtime, login_name: str, password: str, user_agent: str, ip: str
) -> LoginResponse:
    """Check the password outside any transaction (argon2 is slow), then record the outcome."""
    now = utcnow()
    async with read_scope(rt.db) as session:
        user = await repo.by_login(session, login_name)
    if user is not None:
        allowed_at = next_allowed_at(rt.settings, user.failed_logins, user.last_failed_login_at)
        if allowed_at is not None and allowed_at > now:
            retry = max(1, int((allowed_at - now).total_seconds()) + 1)
            problem = (
                Locked if user.failed_logins >= rt.settings.login_lock_after else TooManyRequests
            )
            raise problem(
                f"Too many failed logins. Try again in {retry} s.",
                code="account_locked" if problem is Locked else "login_throttled",
                retry_after=retry,
            )
    ok = await rt.passwords.verify(user.password_hash if user else None, password)
    async with write_scope(rt.db, rt.publish) as session:
        if user is None or not ok:
            if user is not None:
                await repo.record_failed_login(session, user.id, now)
        elif user.is_active:
            if user.failed_logins:
                await repo.reset_failed_logins(session, user.id)
            return await _open_session(session, rt, user, user_agent, ip)
    if user is not None and ok:
        raise Forbidden("This account is disabled.", code="account_disabled")
    raise Unauthorized("Wrong username or password.", code="invalid_credentials")


async def _open_session(
    session: AsyncSession, rt: Runtime, user: User, user_agent: str, ip: str
) -> LoginResponse:
    token = new_token()
    session_id, expires_at = new_id(), utcnow() + timedelta(hours=rt.settings.token_ttl_hours)
    await repo.add_session(
        session,
        {
            "id": session_id,
            "user_id": user.id,
            "token_hash": token_hash(token),
            "user_agent": user_agent[:300],
            "ip": ip[:64],
            "expires_at": expires_at,
        },
    )
    return LoginResponse(
        token=token,
        expires_at=expires_at,
        session_id=session_id,
        user=UserRead.model_validate(user),
    )


async def open_session_for(
    session: AsyncSession, rt: Runtime, user: User, user_agent: str, ip: str
) -> LoginResponse:
    """A session for a user just created (first-run setup, self-registration)."""
    return await _open_session(session, rt, user, user_agent, ip)


async def list_sessions(session: AsyncSession, actor: Principal) -> list[AuthSession]:
    return await repo.list_sessions(session, actor.user_id, utcnow())


async def revoke_session(session: AsyncSession, actor: Principal, session_id: uuid.UUID) -> None:
    revoked = await repo.revoke_sessions(session, actor.user_id, utcnow(), only=session_id)
    if not revoked:
        raise NotFound("No such session.", code="session_not_found")
    _announce_revoked(session, actor.user_id, revoked, reason="revoked")


async def logout(session: AsyncSession, actor: Principal) -> None:
    await revoke_session(session, actor, actor.session_id)


async def change_password(
    session: AsyncSession, rt: Runtime, actor: Principal, body: PasswordChange
) -> None:
    user = await get_user(session, actor.user_id)
    if not await rt.passwords.verify(user.password_hash, body.current_password):
        raise Forbidden("The current password is wrong.", code="wrong_password")
    user.password_hash = await rt.passwords.hash(body.new_password)
    revoked = await repo.revoke_sessions(session, user.id, utcnow(), keep=actor.session_id)
    _announce_revoked(session, user.id, revoked, reason="password_changed")
    await session.flush()


def _announce_revoked(
    session: AsyncSession, user_id: uuid.UUID, session_ids: list[uuid.UUID], *, reason: str
) -> None:
    """Tell every node to close the sockets of these sessions once the revocation commits."""
    if not session_ids:
        return
    ids = [str(s) for s in session_ids]
    publish_on_commit(
        session,
        publication(
            user_topic(user_id),
            {"type": "session.revoked", "session_ids": ids, "reason": reason},
            close_sessions=ids,
        ),
    )


def _public(user: User) -> dict[str, object]:
    return UserRead.model_validate(user).model_dump(mode="json")


async def ids_by_usernames(session: AsyncSession, usernames: set[str]) -> list[uuid.UUID]:
    return await repo.ids_by_usernames(session, usernames)
