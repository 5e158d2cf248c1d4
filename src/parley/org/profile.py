"""The profile card: which contact fields (e-mail, phone, employee number) colleagues
see is the organisation's choice; administrators and the person themselves see all."""

from __future__ import annotations

import uuid
from typing import get_args

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.core.errors import NotFound
from parley.org import repository as repo
from parley.org.schemas import ProfileCard, ProfileField, ProfileFields
from parley.users import service as users
from parley.users.principal import Principal

ALL_FIELDS: tuple[ProfileField, ...] = get_args(ProfileField)


async def shown_fields(session: AsyncSession) -> ProfileFields:
    org = await repo.get(session)
    chosen = set(org.profile_fields or ()) if org is not None else set()
    return ProfileFields(fields=[f for f in ALL_FIELDS if f in chosen])


async def set_shown_fields(
    session: AsyncSession, actor: Principal, fields: list[ProfileField]
) -> ProfileFields:
    actor.require(Permission.MANAGE_SETTINGS)
    org = await repo.get(session)
    if org is None:
        raise NotFound("Parley is not set up yet.", code="setup_required")
    org.profile_fields = [f for f in ALL_FIELDS if f in set(fields)]
    await session.flush()
    return await shown_fields(session)


async def card(session: AsyncSession, viewer: Principal, user_id: uuid.UUID) -> ProfileCard:
    user = await users.access_user(session, viewer, user_id)
    if viewer.has(Permission.MANAGE_USERS) or viewer.user_id == user.id:
        shown = set(ALL_FIELDS)
    else:
        shown = set((await shown_fields(session)).fields)
    return ProfileCard(
        user=users.read_as(user, viewer),
        email=(user.email or "") if "email" in shown else None,
        phone=user.phone if "phone" in shown else None,
        employee_no=user.employee_no if "employee_no" in shown else None,
    )
