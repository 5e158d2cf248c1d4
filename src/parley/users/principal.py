"""Who is asking: resolved from a bearer token or the session cookie."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import ADMINISTRATIVE, Permission, require
from parley.access.service import effective_permissions
from parley.core.clock import utcnow
from parley.core.errors import Forbidden, Unauthorized
from parley.security.tokens import token_hash
from parley.users import repository as repo

SESSION_COOKIE = "parley_session"


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role: str
    expires_at: datetime
    must_change_password: bool = False
    permissions: frozenset[Permission] = frozenset()
    # False when the request comes from outside PARLEY_ADMIN_ALLOWED_NETWORKS (users/deps.py):
    # the account stays an administrator, but may not act as one from there.
    admin_network_ok: bool = True

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        """403 `permission_required` naming the permission, unless this principal holds it;
        403 `admin_network_refused` for an administrative one asked from outside the
        networks administration is allowed from."""
        require(self.permissions, permission)
        if not self.admin_network_ok and permission in ADMINISTRATIVE:
            raise Forbidden(
                "Administration is not allowed from this network.", code="admin_network_refused"
            )

    def require_own_password(self) -> None:
        """403 while the password is one an administrator set and the user must change."""
        if self.must_change_password:
            raise Forbidden(
                "Choose a new password first (POST /auth/password).",
                code="password_change_required",
            )


async def authenticate(
    session: AsyncSession, token: str | None, *, pending_password_ok: bool = False
) -> Principal:
    """The principal for a token; 401 if it is unknown, revoked, expired or its user disabled;
    403 `password_change_required` if it must change its password, unless the caller is one
    of the few routes that serve such a user (`pending_password_ok`)."""
    if not token or len(token) > 200:
        raise Unauthorized("A valid session token is required.", code="unauthorized")
    found = await repo.active_session(session, token_hash(token), utcnow())
    if found is None:
        raise Unauthorized("The session token is invalid or has expired.", code="invalid_token")
    session_id, user_id, role, expires_at, must_change_password = found
    permissions = await effective_permissions(session, user_id, role)
    principal = Principal(user_id, session_id, role, expires_at, must_change_password, permissions)
    if not pending_password_ok:
        principal.require_own_password()
    return principal
