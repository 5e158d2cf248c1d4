"""HTTP shape of accounts: /auth and /users."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from parley.core.values import Text
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.security.password_policy import MAX_LENGTH
from parley.users import service
from parley.users.deps import (
    CurrentUser,
    CurrentUserPendingPassword,
    client_info,
    set_session_cookie,
)
from parley.users.principal import SESSION_COOKIE
from parley.users.schemas import (
    AccountRead,
    ExpiryUpdate,
    LoginRequest,
    LoginResponse,
    MeRead,
    PasswordChange,
    PasswordPolicyRead,
    PasswordReset,
    ProfileUpdate,
    Registration,
    SessionRead,
    UserCreate,
    UserPage,
    UserRead,
)

auth_router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])


@auth_router.post("/login")
async def login(
    body: LoginRequest, request: Request, response: Response, rt: RuntimeDep
) -> LoginResponse:
    """Exchange a username (or email) and password for a bearer token; also sets a cookie."""
    result = await service.login(rt, body.login, body.password, *client_info(request))
    set_session_cookie(response, rt, result)
    return result


@auth_router.post("/register", status_code=status.HTTP_201_CREATED)
async def register(
    body: Registration, request: Request, response: Response, rt: RuntimeDep
) -> LoginResponse:
    """Create your own account, when the administrator has allowed self-registration."""
    result = await service.register(rt, body, *client_info(request))
    set_session_cookie(response, rt, result)
    return result


@auth_router.get("/password-policy")
async def password_policy(rt: RuntimeDep) -> PasswordPolicyRead:
    """The organisation's password rules (no sign-in needed: setup and sign-up forms show
    them). Strength and the common-password list are checked by the server only."""
    s = rt.settings
    return PasswordPolicyRead(
        min_length=s.password_min_length,
        max_length=MAX_LENGTH,
        min_score=s.password_min_score,
        history=s.password_history,
        expiry_days=s.password_expiry_days,
    )


@auth_router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(me: CurrentUserPendingPassword, session: WriteSession, response: Response) -> None:
    await service.logout(session, me)
    response.delete_cookie(SESSION_COOKIE, path="/api")


@auth_router.get("/sessions")
async def list_sessions(me: CurrentUser, session: ReadSession) -> list[SessionRead]:
    """Your signed-in devices."""
    return [
        SessionRead.model_validate(s).model_copy(update={"current": s.id == me.session_id})
        for s in await service.list_sessions(session, me)
    ]


@auth_router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_session(session_id: uuid.UUID, me: CurrentUser, session: WriteSession) -> None:
    """Sign a device out; its open sockets close at once."""
    await service.revoke_session(session, me, session_id)


@auth_router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(
    body: PasswordChange, me: CurrentUserPendingPassword, rt: RuntimeDep
) -> None:
    """Change your password; every other session is signed out. This also ends the
    `must_change_password` state of a password an administrator set."""
    await service.change_password(rt, me, body)


@users_router.get("")
async def search_users(
    me: CurrentUser,
    session: ReadSession,
    rt: RuntimeDep,
    q: Annotated[Text, Query(max_length=100)] = "",
    after: Annotated[Text | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    include_inactive: bool = False,
) -> UserPage:
    """The directory: users whose name, username, or the name's pinyin or initials
    (`zs`, `zhangsan`, `li si`) contain `q`; e-mail addresses only for administrators."""
    return await service.search(
        session,
        me,
        q.strip(),
        after=after,
        limit=min(limit, rt.settings.page_max),
        include_inactive=include_inactive,
    )


@users_router.post("", status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, me: CurrentUser, rt: RuntimeDep) -> AccountRead:
    """Administrators create accounts (by default the user must change the password at
    their first login)."""
    return AccountRead.model_validate(await service.admin_create_user(rt, me, body))


@users_router.get("/me")
async def read_me(me: CurrentUserPendingPassword, session: ReadSession) -> MeRead:
    """Your account, with `must_change_password`."""
    account = AccountRead.model_validate(await service.get_user(session, me.user_id))
    return MeRead(**account.model_dump(), permissions=sorted(me.permissions))


@users_router.patch("/me")
async def update_me(body: ProfileUpdate, me: CurrentUser, session: WriteSession) -> AccountRead:
    """Change your display name, title or status text."""
    return AccountRead.model_validate(await service.update_profile(session, me, body))


@users_router.get("/{user_id}")
async def read_user(user_id: uuid.UUID, me: CurrentUser, session: ReadSession) -> UserRead:
    """A colleague's profile; `role` is null unless you are an administrator or them."""
    return await service.read_user(session, me, user_id)


@users_router.post("/{user_id}/disable")
async def disable_user(user_id: uuid.UUID, me: CurrentUser, session: WriteSession) -> UserRead:
    """Disable an account: its sessions are revoked and its sockets closed."""
    return UserRead.model_validate(await service.set_active(session, me, user_id, False))


@users_router.post("/{user_id}/enable")
async def enable_user(user_id: uuid.UUID, me: CurrentUser, session: WriteSession) -> UserRead:
    return UserRead.model_validate(await service.set_active(session, me, user_id, True))


@users_router.put("/{user_id}/expiry")
async def set_expiry(
    user_id: uuid.UUID, body: ExpiryUpdate, me: CurrentUser, session: WriteSession
) -> AccountRead:
    """Those who manage users set when an account stops working (guests, contractors): after
    it, sign-in and every token fail with 401 and open sockets close. Null: never."""
    return AccountRead.model_validate(await service.set_expiry(session, me, user_id, body))


@users_router.post("/{user_id}/password")
async def reset_password(
    user_id: uuid.UUID, body: PasswordReset, me: CurrentUser, rt: RuntimeDep
) -> AccountRead:
    """Administrators set a user's password: the user's sessions end and their sockets
    close; by default they must choose their own password at their next login."""
    return AccountRead.model_validate(await service.reset_password(rt, me, user_id, body))
