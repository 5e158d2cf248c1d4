"""Account operations. Permission checks live here; the caller owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.core.clock import utcnow
from parley.core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from parley.core.events import publication, user_topic
from parley.core.ids import new_id
from parley.db.session import publish_on_commit, read_scope, write_scope
from parley.runtime import Runtime
from parley.security.login_policy import source_of
from parley.security.tokens import new_token, token_hash
from parley.users import credentials, login_guard, roles
from parley.users import repository as repo
from parley.users.models import AuthSession, User
from parley.users.pinyin import name_keys, query_key
from parley.users.principal import Principal
from parley.users.schemas import (
    AccountRead,
    ExpiryUpdate,
    LoginResponse,
    PasswordChange,
    PasswordReset,
    ProfileUpdate,
    Registration,
    UserCreate,
    UserPage,
    UserRead,
)


async def create_user(
    session: AsyncSession,
    rt: Runtime,
    body: UserCreate | Registration,
    *,
    role: str = "member",
    must_change_password: bool = False,
    password_hash: str | None = None,
) -> User:
    """`password_hash` when the caller hashed `body.password` already, outside the
    transaction (on SQLite a hash inside it holds every other write of the node)."""
    username = body.username.lower()
    email = body.email.lower() if body.email else None
    if await repo.exists_username_or_email(session, username, email):
        raise Conflict("That username or email is already taken.", code="user_exists")
    if password_hash is None:
        password_hash = await rt.passwords.hash(body.password, _own_words(body))
    user = User(
        username=username,
        email=email,
        title=getattr(body, "title", ""),
        phone=getattr(body, "phone", ""),
        employee_no=getattr(body, "employee_no", ""),
        password_hash=password_hash,
        role=role,
        must_change_password=must_change_password,
        expires_at=getattr(body, "expires_at", None),
    )
    set_display_name(user, body.display_name)
    session.add(user)
    await credentials.set_password(session, rt.settings, user, password_hash)
    return user


def _own_words(body: UserCreate | Registration) -> list[str]:
    return credentials.own_words(body.username.lower(), body.display_name, body.email)


def set_display_name(user: User, display_name: str) -> None:
    """Set the display name and the directory's pinyin keys of it together: every path
    that names or renames a user goes through here, or the directory misses them."""
    keys = name_keys(display_name)
    user.display_name = display_name
    user.name_pinyin, user.name_initials = keys.pinyin, keys.initials


async def admin_create_user(rt: Runtime, actor: Principal, body: UserCreate) -> User:
    """Hashes before its transaction, as every password write does (see change_password)."""
    actor.require(Permission.MANAGE_USERS)
    roles.check_system_role_grant(actor, body.role)
    password_hash = await rt.passwords.hash(body.password, _own_words(body))
    async with write_scope(rt.db, rt.publish) as session:
        return await create_user(
            session,
            rt,
            body,
            role=body.role,
            must_change_password=body.must_change_password,
            password_hash=password_hash,
        )


async def register(rt: Runtime, body: Registration, user_agent: str, ip: str) -> LoginResponse:
    """Anyone may call this when it is on, so it hashes as a login does: on a place of the
    hashing pool (503 `overloaded` beyond it) and before its transaction begins, so a
    flood of sign-ups can neither starve the pool nor hold the database's writers."""
    async with read_scope(rt.db) as session:
        override = await repo.registration_override(session)
    if not (rt.settings.self_registration if override is None else override):
        raise Forbidden("Self-registration is turned off.", code="registration_disabled")
    with rt.passwords.place(source_of(ip)):
        password_hash = await rt.passwords.hash(body.password, _own_words(body))
    async with write_scope(rt.db, rt.publish) as session:
        user = await create_user(session, rt, body, password_hash=password_hash)
        return await _open_session(session, rt, user, user_agent, ip)


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await repo.get(session, user_id)
    if user is None:
        raise roles.user_not_found()
    return user


async def require_managed_user(session: AsyncSession, actor: Principal, user_id: uuid.UUID) -> User:
    """A user someone with manage_users acts on: 403 `permission_required` for anyone else
    (before the lookup, so members learn nothing about ids), 404 `user_not_found` for an
    unknown id, 403 `owner_required` for an owner's or administrator's account unless the
    actor is an owner (no administrator takes over another's account)."""
    actor.require(Permission.MANAGE_USERS)
    user = await get_user(session, user_id)
    if user.id != actor.user_id:
        roles.require_owner_for(actor, user.role)
    return user


def read_as(user: User, viewer: Principal) -> UserRead:
    """`user` as `viewer` may see them: the account role only for those who manage users and
    the user themself (whom to ask for rights is not every colleague's business)."""
    view = UserRead.model_validate(user)
    if viewer.has(Permission.MANAGE_USERS) or viewer.user_id == user.id:
        return view
    return view.model_copy(update={"role": None})


async def access_user(session: AsyncSession, viewer: Principal, user_id: uuid.UUID) -> User:
    """A user whose profile `viewer` may see: anyone, for those who may browse the
    directory; otherwise (guests) themself and the people they share a conversation
    with. Anyone else is a 404, exactly as an unknown id."""
    if viewer.has(Permission.VIEW_DIRECTORY) or viewer.user_id == user_id:
        return await get_user(session, user_id)
    if not await repo.shares_conversation(session, viewer.user_id, user_id):
        raise NotFound("No such user.", code="user_not_found")
    return await get_user(session, user_id)


async def read_user(session: AsyncSession, viewer: Principal, user_id: uuid.UUID) -> UserRead:
    return read_as(await access_user(session, viewer, user_id), viewer)


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
    """Without view_directory only the people one shares a conversation with."""
    managing = actor.has(Permission.MANAGE_USERS)
    if include_inactive:
        actor.require(Permission.MANAGE_USERS)
    users = await repo.search(
        session,
        query,
        query_key(query),
        after=after,
        limit=limit + 1,
        include_inactive=include_inactive,
        match_email=managing,
        peers_of=None if actor.has(Permission.VIEW_DIRECTORY) else actor.user_id,
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
        if field == "display_name":
            set_display_name(user, value)
        else:
            setattr(user, field, value)
    await session.flush()
    _announce_updated(session, user)
    return user


async def set_avatar(session: AsyncSession, user_id: uuid.UUID, file_id: uuid.UUID | None) -> User:
    """Record the user's picture (checked by files/avatars.py, which owns images)."""
    user = await get_user(session, user_id)
    user.avatar_file_id = file_id
    await session.flush()
    _announce_updated(session, user)
    return user


async def access_avatar_owner(session: AsyncSession, viewer: Principal, file_id: uuid.UUID) -> bool:
    """Whether this file is the current picture of someone `viewer` may see (access_user)."""
    owner = await repo.avatar_owner(session, file_id)
    if owner is None:
        return False
    try:
        await access_user(session, viewer, owner)
    except NotFound:
        return False
    return True


def _announce_updated(session: AsyncSession, user: User) -> None:
    """The user's own devices refresh their profile."""
    publish_on_commit(
        session,
        publication(user_topic(user.id), {"type": "user.updated", "user": _public(user)}),
    )


async def set_active(
    session: AsyncSession, actor: Principal, user_id: uuid.UUID, active: bool
) -> User:
    actor.require(Permission.MANAGE_USERS)
    user = await get_user(session, user_id)
    if user.id == actor.user_id and not active:
        raise Conflict("You cannot disable your own account.", code="cannot_disable_self")
    if not active:
        await roles.check_not_last_owner(session, user)
    roles.require_owner_for(actor, user.role)
    user.is_active = active
    if not active:
        revoked = await repo.revoke_sessions(session, user.id, utcnow())
        _announce_revoked(session, user.id, revoked, reason="account_disabled")
    else:
        await login_guard.lift_account_lock(session, user)
    await session.flush()
    return user


async def reset_password(
    rt: Runtime, actor: Principal, user_id: uuid.UUID, body: PasswordReset
) -> User:
    """An administrator sets someone's password (forgotten, or an account handed over): every
    session of theirs ends and its sockets close, as when disabling; a lockout is lifted.
    Hashes before its transaction, as every password write does (see change_password)."""
    async with read_scope(rt.db) as session:
        user = await require_managed_user(session, actor, user_id)
        recent = await credentials.recent_hashes(session, rt.settings, user)
    if user.id == actor.user_id:
        raise Conflict("Change your own password with your current one.", code="cannot_reset_self")
    await credentials.refuse_reuse(rt, recent, body.new_password)
    new_hash = await rt.passwords.hash(body.new_password, credentials.words_of(user))
    async with write_scope(rt.db, rt.publish) as session:
        user = await get_user(session, user_id)
        await credentials.set_password(session, rt.settings, user, new_hash)
        user.must_change_password = body.must_change_password
        await login_guard.lift_account_lock(session, user)
        revoked = await repo.revoke_sessions(session, user.id, utcnow())
        _announce_revoked(session, user.id, revoked, reason="password_reset")
        await session.flush()
        return user


async def login(
    rt: Runtime, login_name: str, password: str, user_agent: str, ip: str
) -> LoginResponse:
    """The attempt takes a place on the hashing pool (503 when a flood has them all) and
    is counted against its throttles in one committed statement *before* the password is
    checked, so parallel attempts on any node cannot outrun the limits. An unknown name,
    a wrong password and a disabled account then fail alike: same check, same count,
    same 401."""
    now = utcnow()
    with rt.passwords.place(source_of(ip)):
        async with write_scope(rt.db, rt.publish) as session:
            attempt = await login_guard.count_attempt(session, rt.settings, login_name, ip, now)
            user = await repo.by_login(session, login_name)
        ok = await rt.passwords.verify(user.password_hash if user else None, password)
    async with write_scope(rt.db, rt.publish) as session:
        if ok and user is not None and user.is_active:
            if _expired(user):  # told only to who knows the password; stays counted
                raise Unauthorized("This account has expired.", code="account_expired")
            await login_guard.succeeded(session, attempt)
            if credentials.expired(rt.settings, user, now):
                # The existing must-change state: the session serves only changing it.
                user = await get_user(session, user.id)
                user.must_change_password = True
                await session.flush()
            return await _open_session(session, rt, user, user_agent, ip)
        await login_guard.failed(session, rt.settings, attempt, user, now)
    raise Unauthorized("Wrong username or password.", code="invalid_credentials")


def _expired(user: User) -> bool:
    return user.expires_at is not None and user.expires_at <= utcnow()


async def set_expiry(
    session: AsyncSession, actor: Principal, user_id: uuid.UUID, body: ExpiryUpdate
) -> User:
    """When an account stops working. A moment already past ends its sessions now and
    closes its sockets, as disabling does; a later one is enforced on every token check."""
    actor.require(Permission.MANAGE_USERS)
    user = await get_user(session, user_id)
    if user.id == actor.user_id:
        raise Conflict("You cannot expire your own account.", code="cannot_expire_self")
    if user.role == "owner" and body.expires_at is not None:
        # Expiry is a disabling that happens later: owners keep the organisation reachable.
        raise Conflict("An owner's account cannot expire.", code="owner_cannot_expire")
    user.expires_at = body.expires_at
    if _expired(user):
        revoked = await repo.revoke_sessions(session, user.id, utcnow())
        _announce_revoked(session, user.id, revoked, reason="account_expired")
    await session.flush()
    return user


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
        user=AccountRead.model_validate(user),
    )


async def open_session_for(
    session: AsyncSession, rt: Runtime, user: User, user_agent: str, ip: str
) -> LoginResponse:
    """A session for a user just created (first-run setup)."""
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


async def change_password(rt: Runtime, actor: Principal, body: PasswordChange) -> None:
    """Both hashes (checking the current password, making the new one) run outside any
    transaction: on SQLite a hash inside one would hold every other write of the node
    (every password write hashes first). The write then applies only if the password is
    still the one that was checked."""
    async with read_scope(rt.db) as session:
        user = await get_user(session, actor.user_id)
        recent = await credentials.recent_hashes(session, rt.settings, user)
    checked = user.password_hash
    if not await rt.passwords.verify(checked, body.current_password):
        raise Forbidden("The current password is wrong.", code="wrong_password")
    if body.new_password == body.current_password:
        raise Invalid(
            "The new password must differ from the current one.", code="password_unchanged"
        )
    await credentials.refuse_reuse(rt, recent, body.new_password)
    new_hash = await rt.passwords.hash(body.new_password, credentials.words_of(user))
    async with write_scope(rt.db, rt.publish) as session:
        await _set_own_password(session, rt, actor, checked, new_hash)


async def _set_own_password(
    session: AsyncSession, rt: Runtime, actor: Principal, checked: str, new_hash: str
) -> None:
    user = await get_user(session, actor.user_id)
    if user.password_hash != checked:
        raise Conflict(
            "The password was changed meanwhile; sign in again.", code="password_changed_meanwhile"
        )
    await credentials.set_password(session, rt.settings, user, new_hash)
    user.must_change_password = False
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


async def record_security_alert(
    session: AsyncSession, kind: str, user_id: uuid.UUID, detail: str
) -> None:
    """An alert for administrators (GET /security/alerts) about something this user did,
    e.g. uploading an infected file."""
    user = await get_user(session, user_id)
    values = {"kind": kind, "login": user.username, "user_id": user.id, "detail": detail[:500]}
    await repo.add_security_alert(session, {"id": new_id(), "created_at": utcnow(), **values})


async def ids_by_usernames(session: AsyncSession, usernames: set[str]) -> list[uuid.UUID]:
    return await repo.ids_by_usernames(session, usernames)


async def taken(
    session: AsyncSession, usernames: set[str], emails: set[str]
) -> tuple[set[str], set[str]]:
    """Which usernames and e-mail addresses (compared lower-case) are in use already."""
    return await repo.taken(
        session, {u.lower() for u in usernames}, {e.lower() for e in emails if e}
    )


ACCOUNT_FIELDS = frozenset({"display_name", "title", "email", "phone", "employee_no"})


async def update_account(session: AsyncSession, user: User, changes: dict[str, object]) -> User:
    """Apply an administrator's edit of these fields (`ACCOUNT_FIELDS`); the caller checked
    the permission. 409 `user_exists` for an e-mail address another account uses."""
    for field, value in changes.items():
        if field not in ACCOUNT_FIELDS:
            raise Invalid(f"{field} cannot be changed here.", code="invalid_field")
        if field == "email":
            email = str(value).lower() if value else None
            owner = await repo.email_owner(session, email) if email else None
            if owner is not None and owner != user.id:
                raise Conflict("That email is already taken.", code="user_exists")
            user.email = email
        elif value is None:
            raise Invalid(f"{field} cannot be null.", code="invalid_field")
        elif field == "display_name":
            set_display_name(user, str(value))
        else:
            setattr(user, field, value)
    await session.flush()
    _announce_updated(session, user)
    return user
