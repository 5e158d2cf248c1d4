"""Every SQL statement of the organisation domain."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from parley.org.models import Organization

ORG_ID = 1


async def get(session: AsyncSession) -> Organization | None:
    return await session.get(Organization, ORG_ID)


async def create(session: AsyncSession, name: str) -> Organization:
    org = Organization(id=ORG_ID, name=name)
    session.add(org)
    await session.flush()  # a second, concurrent setup fails here on the primary key
    return org
