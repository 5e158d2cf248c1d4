"""FastAPI dependencies for the current principal."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request, Response

from parley.core.errors import Forbidden, Unauthorized
from parley.db.session import read_scope
from parley.runtime import Runtime, get_runtime
from parley.security.networks import allowed_from
from parley.users.principal import SESSION_COOKIE, Principal, authenticate
from parley.users.schemas import LoginResponse

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def token_from_request(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    cookie = request.cookies.get(SESSION_COOKIE)
    if (
        cookie
        and request.method not in _SAFE_METHODS
        and not request.headers.get("x-requested-with")
    ):
        # Browsers cannot add custom headers cross-site without CORS approval, so this
        # header is our CSRF guard for cookie-authenticated writes.
        raise Forbidden("Cookie-authenticated writes need X-Requested-With.", code="csrf")
    return cookie


def client_info(request: Request) -> tuple[str, str]:
    return request.headers.get("user-agent", ""), request.client.host if request.client else ""


def set_session_cookie(response: Response, rt: Runtime, login: LoginResponse) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        login.token,
        httponly=True,
        samesite="lax",
        secure=rt.settings.cookie_secure,
        max_age=rt.settings.token_ttl_hours * 3600,
        path="/api",
    )


async def _principal(request: Request, *, pending_password_ok: bool) -> Principal:
    rt = get_runtime(request)
    async with read_scope(rt.db) as session:
        principal = await authenticate(
            session, token_from_request(request), pending_password_ok=pending_password_ok
        )
    networks = rt.settings.admin_allowed_networks
    if networks and not allowed_from(networks, client_info(request)[1]):
        principal = replace(principal, admin_network_ok=False)
    request.state.principal = principal
    return principal


async def current_principal(request: Request) -> Principal:
    """The signed-in user; 403 `password_change_required` while they must change it."""
    return await _principal(request, pending_password_ok=False)


async def current_principal_pending_password(request: Request) -> Principal:
    """The signed-in user, even one who must still change an administrator-set password:
    only for reading their own account, changing the password and signing out."""
    return await _principal(request, pending_password_ok=True)


async def optional_principal(request: Request) -> Principal | None:
    """The caller when signed in, else None: for endpoints that answer anyone but tell
    administrators more. A bad or expired token counts as no token."""
    if token_from_request(request) is None:
        return None
    try:
        return await current_principal_pending_password(request)
    except Unauthorized:
        return None


CurrentUser = Annotated[Principal, Depends(current_principal)]
CurrentUserPendingPassword = Annotated[Principal, Depends(current_principal_pending_password)]
MaybeUser = Annotated[Principal | None, Depends(optional_principal)]
