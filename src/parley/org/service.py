"""First-run setup: the organisation and its first administrator, exactly once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parley.core.errors import Conflict
from parley.org import repository as repo
from parley.org.schemas import SetupRequest, SetupResponse, SetupState
from parley.runtime import Runtime
from parley.users import service as users
from parley.users.models import User
from parley.users.schemas import UserCreate


async def state(session: AsyncSession) -> SetupState:
    org = await repo.get(session)
    return SetupState(needs_setup=org is None, organization_name=org.name if org else None)


async def create_organization(session: AsyncSession, rt: Runtime, body: SetupRequest) -> User:
    if await repo.get(session) is not None:
        raise Conflict("Parley is already set up.", code="setup_done")
    try:
        await repo.create(session, body.organization_name)
    except IntegrityError as exc:
        raise Conflict("Parley is already set up.", code="setup_done") from exc
    admin = UserCreate(
        username=body.username,
        password=body.password,
        display_name=body.display_name,
        email=body.email,
        role="owner",
    )
    return await users.create_user(session, rt, admin, role="owner")


async def setup(
    session: AsyncSession, rt: Runtime, body: SetupRequest, user_agent: str, ip: str
) -> SetupResponse:
    admin = await create_organization(session, rt, body)
    login = await users.open_session_for(session, rt, admin, user_agent, ip)
    return SetupResponse(organization_name=body.organization_name, login=login)
