"""Every SQL statement of invitations."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parley.guests.models import Invitation


async def get(session: AsyncSession, invitation_id: uuid.UUID) -> Invitation | None:
    return await session.get(Invitation, invitation_id)


async def by_token_hash(session: AsyncSession, token_hash: str) -> Invitation | None:
    return await session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


async def page(session: AsyncSession, *, before: uuid.UUID | None, limit: int) -> list[Invitation]:
    stmt = select(Invitation).order_by(Invitation.id.desc()).limit(limit)
    if before is not None:
        stmt = stmt.where(Invitation.id < before)
    return list(await session.scalars(stmt))


async def claim(session: AsyncSession, token_hash: str, now: datetime) -> uuid.UUID | None:
    """Count one use of a live invitation, in one statement so that parallel acceptances
    (on any node) cannot exceed its use count. None when it is gone or unknown."""
    stmt = (
        update(Invitation)
        .where(
            Invitation.token_hash == token_hash,
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            or_(Invitation.max_uses.is_(None), Invitation.uses < Invitation.max_uses),
        )
        .values(uses=Invitation.uses + 1)
        .returning(Invitation.id)
        .execution_options(synchronize_session=False)
    )
    return await session.scalar(stmt)
