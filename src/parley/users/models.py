from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from parley.core.clock import utcnow
from parley.core.ids import new_id
from parley.db.base import Base, UTCDateTime


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)  # stored lower-case
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # lower-case
    display_name: Mapped[str] = mapped_column(String(100))
    # Directory keys of display_name (users/pinyin.py), set wherever the name is.
    name_pinyin: Mapped[str] = mapped_column(Text, default="")
    name_initials: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(100), default="")
    status_text: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member")  # access/permissions.py
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # After this moment the account can neither sign in nor use a token (guests, mostly).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Contact fields of the profile card; colleagues see those the organisation shows.
    phone: Mapped[str] = mapped_column(String(32), default="")
    employee_no: Mapped[str] = mapped_column(String(32), default="")
    # The uploaded image shown as this user's picture (files/avatars.py); not a foreign
    # key: files already reference users, and the avatar is found through this column.
    avatar_file_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    # The direct manager (departments/service.py sets it) and the IANA time zone the
    # profile card shows a local time in ("" : not given).
    manager_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    time_zone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Set when an administrator chose the password: until the user picks their own, the
    # API serves them only what changing it needs (users/deps.py).
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # When the password was last set: PARLEY_PASSWORD_EXPIRY_DAYS counts from here.
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def external(self) -> bool:
        """A guest from outside the organisation: the client badges their name."""
        return self.role == "guest"

    @property
    def avatar_url(self) -> str | None:
        """Served by files/avatars_api.py; the id changes with the picture, so the URL
        can be cached for good. `?size=` picks a rendition."""
        return f"/api/v1/avatars/{self.avatar_file_id}" if self.avatar_file_id else None


class AuthSession(Base):
    """A login on one device. The token itself is never stored, only its hash."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index(None, "user_id", "revoked_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordHistory(Base):
    """Hashes of a user's recent passwords, kept only while PARLEY_PASSWORD_HISTORY asks
    for some: a new password may not be one of them (users/credentials.py)."""

    __tablename__ = "password_history"
    __table_args__ = (Index(None, "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginThrottle(Base):
    """A counter of login attempts (security/login_policy.py says which and how). An
    attempt is counted before its password is checked, in one statement, so parallel
    attempts on any node cannot all pass; a success takes its count back."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex
    attempts: Mapped[int] = mapped_column(Integer)
    allowed_at: Mapped[datetime] = mapped_column(UTCDateTime)  # next attempt not before
    reset_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # counter starts over


class SecurityAlert(Base):
    """Something administrators must hear about, e.g. an account's login ceiling reached."""

    __tablename__ = "security_alerts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))
    login: Mapped[str] = mapped_column(String(254))  # as typed: it may name no account
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
