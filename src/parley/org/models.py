from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parley.core.clock import utcnow
from parley.db.base import Base, UTCDateTime


class Organization(Base):
    """Exactly one row (id 1): its existence means first-run setup is done."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    primary_color: Mapped[str | None] = mapped_column(String(7))
    logo: Mapped[str | None] = mapped_column(Text)  # a data: URL of a raster image
    # Contact fields of the profile card shown to colleagues (org/profile.py); null: none.
    profile_fields: Mapped[list[str] | None] = mapped_column(JSON)
    # Runtime settings (org/settings.py); null: the environment's PARLEY_* value applies.
    self_registration: Mapped[bool | None] = mapped_column(Boolean)
    max_upload_mb: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
