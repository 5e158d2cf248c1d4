"""Organisation settings an administrator changes at runtime (admin console).

Each is a nullable column of the organisation row: null means the environment's
PARLEY_* value applies, so a fresh installation behaves exactly as configured and an
administrator's choice survives restarts and reaches every node at its next read."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.config import Settings
from parley.core.errors import NotFound
from parley.org import repository as repo
from parley.org.schemas import OrgSettings, OrgSettingsUpdate
from parley.users.principal import Principal

MIB = 1024 * 1024


async def effective(session: AsyncSession, settings: Settings) -> OrgSettings:
    org = await repo.get(session)
    registration = org.self_registration if org else None
    upload_mb = org.max_upload_mb if org else None
    return OrgSettings(
        self_registration=settings.self_registration if registration is None else registration,
        max_upload_mb=upload_mb or max(1, settings.max_upload_bytes // MIB),
        self_registration_default=settings.self_registration,
        max_upload_mb_default=max(1, settings.max_upload_bytes // MIB),
    )


async def read(session: AsyncSession, actor: Principal, settings: Settings) -> OrgSettings:
    actor.require(Permission.MANAGE_SETTINGS)
    return await effective(session, settings)


async def max_upload_bytes(session: AsyncSession, settings: Settings) -> int:
    """The largest file the organisation accepts now."""
    org = await repo.get(session)
    if org is None or org.max_upload_mb is None:
        return settings.max_upload_bytes
    return org.max_upload_mb * MIB


async def update(
    session: AsyncSession, actor: Principal, settings: Settings, body: OrgSettingsUpdate
) -> OrgSettings:
    """Omitted fields stay; null returns a setting to the environment's default."""
    actor.require(Permission.MANAGE_SETTINGS)
    org = await repo.get(session)
    if org is None:
        raise NotFound("Parley is not set up yet.", code="setup_required")
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(org, field, value)
    await session.flush()
    return await effective(session, settings)
